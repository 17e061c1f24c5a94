import { sql } from 'kysely';
import { rowLimit } from '../store.js';
import { move } from '../lifecycle/executions.js';
import { jobEvent } from '../lifecycle/job-status.js';
import { owe, rangeCursor, saveCursor } from '../work.js';
import { cancelableStatuses, PENDING_EXECUTION_STATUSES } from '../../domain/states.js';
/**
 * One bounded step of a job's cancel (CancelJob, an abort, an end time): QUEUED (and with force
 * IN_PROGRESS) executions become CANCELED, in thing-name order from the work's cursor. A thing has
 * at most one pending execution per job, so the batch is the next `limit` pending things; the job is
 * locked, and every status change of its executions takes that lock first, so they are the things
 * the UPDATEs move (no RETURNING of every name). `unlist: false` (the engine) leaves the moved rows
 * in the pending index for the sweep. When the cancel is done, the job owes its sweep (or nothing).
 */
export async function cancelStep(tx, job, now, limit, opts) {
    tx.assertLocked(job.job_id);
    const statuses = cancelableStatuses(job.force_canceled === 1);
    const after = rangeCursor(job);
    const batch = tx.db
        .selectFrom('job_executions')
        .select(['thing_name', 'status'])
        .where('job_id', '=', job.job_id)
        .where('thing_name', '>', after)
        .where('status', 'in', statuses)
        .orderBy('thing_name')
        .limit(rowLimit(limit))
        .as('b');
    // One row per status for the batch: a row object per thing cost more than the UPDATE's index
    // work. Thing names cannot hold a comma (the model's pattern); max() is the bound in the
    // database's order.
    const groups = await tx.db
        .selectFrom(batch)
        .select(['b.status', sql `count(*)`.as('n'), sql `max(b.thing_name)`.as('last'), sql `string_agg(b.thing_name, ',')`.as('names')])
        .groupBy('b.status')
        .execute();
    const n = groups.reduce((sum, g) => sum + Number(g.n), 0);
    const last = groups.reduce((m, g) => (g.last !== null && (m === null || g.last > m) ? g.last : m), null);
    const namesOf = (status) => groups.find((g) => g.status === status)?.names?.split(',') ?? [];
    const things = statuses.flatMap(namesOf);
    // The bound from the database (its collation decides which of the groups' maxima is last).
    const upTo = n === limit && last !== null ? await lastOf(tx, groups.flatMap((g) => (g.last === null ? [] : [g.last]))) : undefined;
    for (const from of statuses) {
        const names = namesOf(from);
        if (names.length)
            await move(tx, { job: job.job_id, from, after, upTo, things: names, unlist: opts.unlist, namespaceId: job.namespace_id }, 'CANCELED', now);
    }
    if (upTo !== undefined)
        await saveCursor(tx.db, job.job_id, upTo);
    else {
        // The engine's cancel leaves the rows listed: the sweep unlists them afterwards.
        await owe(tx, job, opts.unlist ? null : { kind: 'sweep', after: null }, now);
        await jobEvent(tx, job.job_id, 'canceled', now);
    }
    return { things, done: upTo === undefined };
}
/** The greatest of a few thing names in the database's own order (its collation, not JavaScript's). */
async function lastOf(tx, names) {
    if (names.length === 1)
        return names[0];
    const { rows } = await sql `select max(v) as m from (${sql.join(names.map((x) => sql `select ${x} as v`), sql ` union all `)}) t`.execute(tx.db);
    return rows[0].m;
}
/**
 * One bounded step of the sweep after an engine's cancel: the job's ended executions that are still
 * listed leave the pending index. The sweep changes no status, counter or notification.
 */
export async function sweepStep(tx, job, now, limit) {
    const after = rangeCursor(job);
    const bound = await tx.db
        .selectFrom('job_executions')
        .select('thing_name')
        .where('job_id', '=', job.job_id)
        .where('thing_name', '>', after)
        .orderBy('thing_name')
        .limit(rowLimit(1))
        .offset(limit - 1)
        .executeTakeFirst();
    // `listed` as a parameter, not the index's literal predicate: SQLite then walks the job's index.
    let q = tx.db
        .updateTable('job_executions')
        .set({ listed: 0 })
        .where('job_id', '=', job.job_id)
        .where('thing_name', '>', after)
        .where('listed', '=', 1)
        .where('status', 'not in', [...PENDING_EXECUTION_STATUSES]);
    if (bound)
        q = q.where('thing_name', '<=', bound.thing_name);
    const n = Number((await q.executeTakeFirst()).numUpdatedRows);
    if (bound)
        await saveCursor(tx.db, job.job_id, bound.thing_name);
    else
        await owe(tx, job, null, now);
    return { n, done: !bound };
}
//# sourceMappingURL=cancel.js.map