import { sql } from 'kysely';
import { rowLimit } from './store.js';
import { prepared } from './prepared.js';
/**
 * Durable timers: one row per thing due at a time. (kind, ref) is unique, so setting a timer again
 * moves it. Kinds: 'timeout' (ref = an execution's id), the rollout's 'rollout', 'schedule_start'
 * and 'schedule_end' (ref = the job), and the engine's 'work:<kind>' (ref = the job, due now).
 */
export const TIMEOUT = 'timeout';
export const ROLLOUT = 'rollout';
export const SCHEDULE_START = 'schedule_start';
export const SCHEDULE_END = 'schedule_end';
/** The timers a job's rollout keeps (ref = the job). */
export const ROLLOUT_TIMERS = [ROLLOUT, SCHEDULE_START, SCHEDULE_END];
export async function setTimer(db, kind, ref, jobId, dueAt) {
    await db
        .insertInto('timers')
        .values({ kind, ref, job_id: jobId, due_at: dueAt })
        .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet({ due_at: dueAt, job_id: jobId }))
        .execute();
}
export async function clearTimer(db, kind, ref) {
    await db.deleteFrom('timers').where('kind', '=', kind).where('ref', '=', ref).execute();
}
const filterSql = (f) => f.work ? `kind in (${f.kinds.map((k) => `'${k}'`).join(', ')})` : `kind not like 'work:%'`;
const statements = new Map();
function takeStatements(postgres, limit, filter) {
    const where = filterSql(filter);
    const key = `${postgres ? 'pg' : 'sqlite'}:${limit}:${where}`;
    let s = statements.get(key);
    if (!s) {
        const kinds = sql.raw(where);
        s = {
            peek: prepared((_db, arg) => sql `
          select distinct job_id from (
            select job_id from timers where due_at <= ${arg('now')} and ${kinds} order by due_at, id limit ${rowLimit(limit)}) t`),
            take: prepared((_db, arg) => postgres
                ? // = any(array(...)): IN (subquery) is planned as a scan of the whole table.
                    sql `
            delete from timers where id = any(array(
              select id from timers where due_at <= ${arg('now')} and ${kinds} and (job_id = any(cast(${arg('jobs')} as text[])) or job_id is null)
              order by due_at, id limit ${rowLimit(limit)} for update skip locked))
            returning id, kind, ref, job_id, due_at`
                : sql `
            delete from timers where id in (
              select id from timers where due_at <= ${arg('now')} and ${kinds} order by due_at, id limit ${rowLimit(limit)})
            returning id, kind, ref, job_id, due_at`),
        };
        statements.set(key, s);
    }
    return s;
}
/**
 * Takes up to `limit` timers due at `now` out of the table, in the caller's transaction, which then
 * fires them: the transaction is the claim, so a node that dies mid-batch rolls the deletion back
 * with the firing and the timers are due again at once. On PostgreSQL the jobs of the batch are
 * locked first (the one lock order: job, then what hangs off it), and SKIP LOCKED leaves the
 * timers another node is firing to it.
 */
export async function takeDue(tx, now, limit, filter) {
    const { peek, take } = takeStatements(tx.postgres, limit, filter);
    let jobs = [];
    if (tx.postgres) {
        jobs = (await peek(tx.db, { now })).flatMap((r) => (r.job_id === null ? [] : [r.job_id]));
        await tx.lockJobs(jobs);
    }
    const rows = await take(tx.db, { now, jobs });
    // SQLite takes without a peek: its writers are serialised, so holding the batch is the lock.
    if (!tx.postgres)
        await tx.lockJobs(rows.flatMap((r) => (r.job_id === null ? [] : [r.job_id])));
    return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}
/** The earliest due time (of the kinds the filter takes), or undefined: one index probe. */
export async function nextDue(db, filter) {
    // The few work timers through the (kind, ref) index, not a walk of the due index past every timeout.
    if (filter?.work) {
        const row = await db.selectFrom('timers').select((eb) => eb.fn.min('due_at').as('due')).where(sql.raw(filterSql(filter))).executeTakeFirst();
        return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
    }
    let q = db.selectFrom('timers').select('due_at');
    if (filter)
        q = q.where(sql.raw(filterSql(filter)));
    const row = await q.orderBy('due_at').orderBy('id').limit(rowLimit(1)).executeTakeFirst();
    return row ? Number(row.due_at) : undefined;
}
/** Whether any timer the filter takes is due at `now` (being fired or not): a drain waits until none is. */
export async function anyDue(db, now, filter) {
    let q = db.selectFrom('timers').select('id').where('due_at', '<=', now);
    if (filter)
        q = q.where(sql.raw(filterSql(filter)));
    return (await q.limit(rowLimit(1)).executeTakeFirst()) !== undefined;
}
//# sourceMappingURL=timers.js.map