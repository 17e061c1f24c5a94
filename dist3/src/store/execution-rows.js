import { sql } from 'kysely';
import { rowLimit } from './store.js';
import { prepared, preparedWrite } from './prepared.js';
import { LISTED, PENDING_STATUSES } from './migrations.js';
/** The execution of a job on a thing: the given number, or the latest. */
export async function findExecution(db, jobId, thingName, executionNumber) {
    let q = db.selectFrom('job_executions').selectAll().where('job_id', '=', jobId).where('thing_name', '=', thingName);
    q = executionNumber === undefined ? q.orderBy('execution_number', 'desc').limit(rowLimit(1)) : q.where('execution_number', '=', executionNumber);
    return q.executeTakeFirst();
}
/** The $next order: IN_PROGRESS first, then by queue time (and insertion, for equal times). */
const NEXT_ORDER = sql `case when e.status = 'IN_PROGRESS' then 0 else 1 end, e.queued_at, e.id`;
// The index's predicate first, then the status: a row a worker's cancel moved stays listed until its sweep.
const pendingOf = (namespaceId) => sql `${sql.raw(`e.${LISTED} and e.${PENDING_STATUSES}`)} and j.status <> 'DELETION_IN_PROGRESS' and ${namespaceId === null ? sql `j.namespace_id is null` : sql `j.namespace_id = ${namespaceId}`}`;
/**
 * A thing's pending (QUEUED / IN_PROGRESS) executions in $next order, at most `limit`; jobs being
 * deleted are left out, and a namespace sees only its own jobs (null: jobs without one). Only the
 * first row carries the job document.
 */
export async function pendingForThing(db, thingName, namespaceId, limit) {
    if (limit !== 1)
        return (await pendingForThings(db, [thingName], namespaceId, limit)).get(thingName);
    return (namespaceId === null ? nextOutsideNamespaces : nextInNamespace)(db, { thingName, namespaceId });
}
// The device hot path ($next, start-next): an ordered index walk, cheaper than the window query.
const nextPending = (namespaced) => prepared((_db, arg) => sql `
      select e.*, j.document from job_executions e join jobs j on j.job_id = e.job_id
      where e.thing_name = ${arg('thingName')} and ${pendingOf(namespaced ? arg('namespaceId') : null)}
      order by ${NEXT_ORDER} limit ${rowLimit(1)}`);
const nextOutsideNamespaces = nextPending(false);
const nextInNamespace = nextPending(true);
/** pendingForThing for many things in one statement (the notifier's batches). */
export async function pendingForThings(db, thingNames, namespaceId, limit) {
    const out = new Map(thingNames.map((t) => [t, []]));
    if (thingNames.length === 0)
        return out;
    const { rows } = await sql `
    select t.*, case when t.rn = 1 then j2.document end as document from (
      select e.*, row_number() over (partition by e.thing_name order by ${NEXT_ORDER}) as rn
      from job_executions e join jobs j on j.job_id = e.job_id
      where e.thing_name in (${sql.join(thingNames)}) and ${pendingOf(namespaceId)}
    ) t join jobs j2 on j2.job_id = t.job_id
    where t.rn <= ${rowLimit(limit)}
    order by t.thing_name, t.rn`.execute(db);
    for (const { rn: _rn, ...r } of rows)
        out.get(r.thing_name)?.push(r);
    return out;
}
/** A new QUEUED execution row. */
export const queuedRow = (jobId, thingName, executionNumber, now) => ({
    job_id: jobId,
    thing_name: thingName,
    execution_number: executionNumber,
    status: 'QUEUED',
    status_details: null,
    force_canceled: 0,
    queued_at: now,
    started_at: null,
    last_updated_at: now,
    version_number: 1,
    step_timeout_minutes: null,
    listed: 1,
});
/** One execution's new state, conditional on the version the caller read (1: written, 0: it changed meanwhile). */
export const updateExecution = preparedWrite((db, arg) => db
    .updateTable('job_executions')
    .set({
    status: arg('status'),
    status_details: arg('status_details'),
    force_canceled: arg('force_canceled'),
    started_at: arg('started_at'),
    last_updated_at: arg('last_updated_at'),
    version_number: arg('version_number'),
    listed: arg('listed'),
    step_timeout_minutes: arg('step_timeout_minutes'),
    in_progress_deadline: arg('in_progress_deadline'),
    timeout_at: arg('timeout_at'),
})
    .where('id', '=', arg('id'))
    .where('version_number', '=', arg('expected')));
/** Deletes one execution, conditional on the version the caller read. */
export const deleteExecutionRow = preparedWrite((db, arg) => db.deleteFrom('job_executions').where('id', '=', arg('id')).where('version_number', '=', arg('expected')));
const executionWithJob = (latest) => prepared((db, arg) => {
    const q = db
        .selectFrom('job_executions as e')
        .innerJoin('jobs as j', 'j.job_id', 'e.job_id')
        .selectAll('e')
        .select(['j.namespace_id', 'j.document'])
        .where('e.job_id', '=', arg('jobId'))
        .where('e.thing_name', '=', arg('thingName'));
    return latest ? q.orderBy('e.execution_number', 'desc').limit(rowLimit(1)) : q.where('e.execution_number', '=', arg('executionNumber'));
});
const latestWithJob = executionWithJob(true);
const numberedWithJob = executionWithJob(false);
/** An execution with its job's namespace and document, in one statement (the device hot path). */
export async function findExecutionWithJob(db, jobId, thingName, executionNumber) {
    const args = { jobId, thingName, executionNumber };
    const [row] = await (executionNumber === undefined ? latestWithJob : numberedWithJob)(db, args);
    return row;
}
/** The namespaces (null for none) of the jobs a thing has executions of. */
export async function namespacesOfThing(db, thingName) {
    const rows = await db
        .selectFrom('job_executions as e')
        .innerJoin('jobs as j', 'j.job_id', 'e.job_id')
        .select('j.namespace_id')
        .distinct()
        .where('e.thing_name', '=', thingName)
        .execute();
    return rows.map((r) => r.namespace_id);
}
//# sourceMappingURL=execution-rows.js.map