import { sql, type Selectable } from 'kysely';
import { rowLimit, StaleRead, type Db } from './store.js';
import { prepared, preparedWrite } from './prepared.js';
import { LISTED, PENDING_STATUSES } from './migrations.js';
import type { JobExecutionsTable } from './schema.js';
// jobs.ts imports this module too; the cycle only involves functions called at run time.
import { completeIfDone, lockJobs } from './jobs.js';
import { abortIfMet } from './abort.js';
import { executionTimers, queueRetry, syncTimeoutTimer } from './timeouts.js';
import { COUNTER_COLUMN, isPending, isTerminal, type CounterColumn, type ExecutionStatus } from '../domain/states.js';

export type ExecutionRow = Selectable<JobExecutionsTable>;
export type PendingRow = ExecutionRow & { document: string | null };

const COUNTERS = Object.values(COUNTER_COLUMN);

/** One statement shape for every counter change: each column plus its delta (0 for most). */
const addToCounters = prepared<Record<CounterColumn | 'jobId', unknown>, never>((db, arg) =>
  db
    .updateTable('jobs')
    .set(Object.fromEntries(COUNTERS.map((c) => [c, sql`${sql.ref(c)} + ${arg(c)}`])))
    .where('job_id', '=', arg('jobId') as string),
);

/** Adds deltas to a job's per-status counters, in the caller's transaction. */
export async function adjustCounters(db: Db, jobId: string, deltas: Partial<Record<CounterColumn, number>>): Promise<void> {
  if (!COUNTERS.some((c) => deltas[c])) return;
  const args: Record<string, unknown> = { jobId };
  for (const c of COUNTERS) args[c] = deltas[c] ?? 0;
  await addToCounters(db, args as Record<CounterColumn | 'jobId', unknown>);
}

/** Counter deltas for executions moving from one status to another. */
export function moveDelta(from: string, to: string | null, n = 1): Partial<Record<CounterColumn, number>> {
  const d: Partial<Record<CounterColumn, number>> = {};
  const f = COUNTER_COLUMN[from as ExecutionStatus];
  d[f] = (d[f] ?? 0) - n;
  if (to) {
    const t = COUNTER_COLUMN[to as ExecutionStatus];
    d[t] = (d[t] ?? 0) + n;
  }
  return d;
}

/** The execution of a job on a thing: the given number, or the latest. */
export async function findExecution(db: Db, jobId: string, thingName: string, executionNumber?: number): Promise<ExecutionRow | undefined> {
  let q = db.selectFrom('job_executions').selectAll().where('job_id', '=', jobId).where('thing_name', '=', thingName);
  q = executionNumber === undefined ? q.orderBy('execution_number', 'desc').limit(rowLimit(1)) : q.where('execution_number', '=', executionNumber);
  return q.executeTakeFirst();
}

/** The $next order: IN_PROGRESS first, then by queue time (and insertion, for equal times). */
const NEXT_ORDER = sql`case when e.status = 'IN_PROGRESS' then 0 else 1 end, e.queued_at, e.id`;

// The index's predicate first, then the status: a row a worker's cancel moved stays listed until its sweep.
const pendingOf = (namespaceId: string | null) =>
  sql`${sql.raw(`e.${LISTED} and e.${PENDING_STATUSES}`)} and j.status <> 'DELETION_IN_PROGRESS' and ${namespaceId === null ? sql`j.namespace_id is null` : sql`j.namespace_id = ${namespaceId}`}`;

/**
 * A thing's pending (QUEUED / IN_PROGRESS) executions in $next order, at most `limit`; jobs being
 * deleted are left out, and a namespace sees only its own jobs (null: jobs without one). Only the
 * first row carries the job document.
 */
export async function pendingForThing(db: Db, thingName: string, namespaceId: string | null, limit: number): Promise<PendingRow[]> {
  if (limit !== 1) return (await pendingForThings(db, [thingName], namespaceId, limit)).get(thingName)!;
  return (namespaceId === null ? nextOutsideNamespaces : nextInNamespace)(db, { thingName, namespaceId });
}

// The device hot path ($next, start-next): an ordered index walk, cheaper than the window query.
const nextPending = (namespaced: boolean) =>
  prepared<{ thingName: string; namespaceId: string | null }, PendingRow>(
    (_db, arg) => sql<PendingRow>`
      select e.*, j.document from job_executions e join jobs j on j.job_id = e.job_id
      where e.thing_name = ${arg('thingName')} and ${pendingOf(namespaced ? arg('namespaceId') : null)}
      order by ${NEXT_ORDER} limit ${rowLimit(1)}`,
  );
const nextOutsideNamespaces = nextPending(false);
const nextInNamespace = nextPending(true);

/** A new QUEUED execution row. */
export const queuedRow = (jobId: string, thingName: string, executionNumber: number, now: number) => ({
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

/** Inserts a QUEUED execution (number = latest + 1) and counts it. */
export async function queueExecution(db: Db, jobId: string, thingName: string, now: number): Promise<void> {
  // The job row before its executions (the lock order, docs/deployment.md).
  await adjustCounters(db, jobId, { n_queued: 1 });
  const last = await db
    .selectFrom('job_executions')
    .select('execution_number')
    .where('job_id', '=', jobId)
    .where('thing_name', '=', thingName)
    .orderBy('execution_number', 'desc')
    .limit(rowLimit(1))
    .executeTakeFirst();
  await db.insertInto('job_executions').values(queuedRow(jobId, thingName, (last?.execution_number ?? 0) + 1, now)).execute();
}

/**
 * Moves a job's executions in a keyset range of thing names from `from` to `to` (CancelJob),
 * set-based, and keeps the counters: one range UPDATE, no id subquery. The status test sits in the
 * UPDATE's own WHERE, so PostgreSQL re-checks it on a row that a concurrent transaction changed
 * meanwhile, and the counters count the rows it moved. With `unlist: false` the rows stay in the
 * pending index (only the row is rewritten), for a sweep to drop later. Returns how many moved.
 */
export async function moveBatch(
  db: Db,
  jobId: string,
  from: ExecutionStatus,
  to: ExecutionStatus,
  opts: { now: number; force?: boolean; unlist: boolean; things: { after: string; upTo: string | undefined } },
): Promise<number> {
  let q = db
    .updateTable('job_executions')
    .set({
      status: to,
      last_updated_at: opts.now,
      version_number: sql`version_number + 1`,
      ...(opts.force ? { force_canceled: 1 } : {}),
      ...(opts.unlist ? { listed: isPending(to) ? 1 : 0 } : {}),
    })
    .where('job_id', '=', jobId)
    .where('thing_name', '>', opts.things.after)
    .where('status', '=', from);
  if (opts.things.upTo !== undefined) q = q.where('thing_name', '<=', opts.things.upTo);
  const n = Number((await q.executeTakeFirst()).numUpdatedRows);
  if (n) await adjustCounters(db, jobId, moveDelta(from, to, n));
  return n;
}

/** What a change did beyond its row, for the caller to act on after the commit. */
export interface ChangeEffects {
  /** The job aborted (abortConfig): its QUEUED executions wait for the job worker, to be woken. */
  aborted: boolean;
}

export interface ExecutionChange {
  status?: string;
  statusDetails?: Record<string, string>;
  forceCanceled?: boolean;
  /** null clears the step timer. */
  stepTimeoutInMinutes?: number | null;
}

/**
 * Writes one change to an execution: bumps versionNumber, stamps times, keeps the job's counters,
 * and completes a SNAPSHOT job whose last pending execution ended. Returns the new row.
 *
 * `row` is what the caller read and decided on. The write is conditional on its versionNumber: if
 * another transaction changed the execution since, StaleRead makes store.tx run the caller's
 * transaction again on the new row (one of several racing updates wins; the others then answer
 * VersionMismatch or InvalidStateTransition, as they would one after another).
 */
export async function changeExecution(db: Db, row: ExecutionRow, change: ExecutionChange, now: number, effects?: ChangeEffects): Promise<ExecutionRow> {
  const status = change.status ?? row.status;
  // Only the columns an execution change can touch: setting an indexed column, even to its own
  // value, makes SQLite rewrite that index's entry (more pages in every commit).
  const changed = {
    status,
    status_details: change.statusDetails ? JSON.stringify(change.statusDetails) : row.status_details,
    force_canceled: change.forceCanceled ? 1 : row.force_canceled,
    started_at: row.started_at ?? (status === 'IN_PROGRESS' ? now : null),
    last_updated_at: now,
    version_number: row.version_number + 1,
    listed: isPending(status) ? 1 : 0,
    step_timeout_minutes: change.stepTimeoutInMinutes === undefined ? row.step_timeout_minutes : change.stepTimeoutInMinutes,
    ...(await executionTimers(db, row, status, change.stepTimeoutInMinutes, now)),
  };
  // The job row first (its counters), then the execution: the lock order of every path.
  if (status !== row.status) await adjustCounters(db, row.job_id, moveDelta(row.status, status));
  // Conditional on the version read: a timeout fired (or another update) in between makes store.tx run the caller again.
  if ((await updateExecution(db, { ...changed, id: row.id, expected: row.version_number })) !== 1) throw new StaleRead(`job execution ${row.id}`);
  await syncTimeoutTimer(db, row, changed.timeout_at);
  const after = { ...row, ...changed };
  if (status !== row.status) {
    // A retry is queued before the job's completion is checked: a retried thing is not done.
    await queueRetry(db, after, now);
    // Only an execution that ends can abort or complete its job.
    if (isTerminal(status)) {
      if ((await abortIfMet(db, row.job_id, now)) && effects) effects.aborted = true;
      await completeIfDone(db, row.job_id, now);
    }
  }
  return after;
}

const deleteOne = preparedWrite<{ id: number; expected: number }>((db, arg) =>
  db.deleteFrom('job_executions').where('id', '=', arg('id')).where('version_number', '=', arg('expected')),
);

/** Deletes one execution as read (conditional on its versionNumber, as changeExecution), keeping the counters. */
export async function deleteExecution(db: Db, row: ExecutionRow, now: number, effects?: ChangeEffects): Promise<void> {
  await adjustCounters(db, row.job_id, moveDelta(row.status, null));
  if ((await deleteOne(db, { id: row.id, expected: row.version_number })) !== 1) throw new StaleRead(`job execution ${row.id}`);
  // A deleted execution leaves C (and maybe F) of the abort criteria.
  if ((await abortIfMet(db, row.job_id, now)) && effects) effects.aborted = true;
  await completeIfDone(db, row.job_id, now);
}

/**
 * A thing's pending executions (of the given jobs; of all jobs when undefined) become REMOVED
 * (DeleteThing, leaving a CONTINUOUS job's groups). Their jobs are locked first, in order; an
 * execution of a job that was not locked (it turned pending meanwhile) makes the transaction run
 * again. Returns whether anything changed.
 */
export async function removePending(db: Db, thingName: string, jobIds: string[] | undefined, now: number): Promise<boolean> {
  if (jobIds?.length === 0) return false;
  let pending = db.selectFrom('job_executions').select('job_id').distinct().where('thing_name', '=', thingName).where(sql.raw<boolean>(`${LISTED} and ${PENDING_STATUSES}`));
  if (jobIds) pending = pending.where('job_id', 'in', jobIds);
  const jobs = (await pending.execute()).map((r) => r.job_id);
  if (jobs.length === 0) return false;
  await lockJobs(db, jobs);
  const locked = new Set(jobs);
  const touched = new Set<string>();
  for (const from of ['QUEUED', 'IN_PROGRESS'] as const) {
    let q = db
      .updateTable('job_executions')
      .set({ status: 'REMOVED', last_updated_at: now, version_number: sql`version_number + 1`, listed: 0 })
      .where('thing_name', '=', thingName)
      .where(sql.raw<boolean>(LISTED))
      .where('status', '=', from);
    if (jobIds) q = q.where('job_id', 'in', jobIds);
    const moved = new Map<string, number>();
    for (const r of await q.returning('job_id').execute()) {
      if (!locked.has(r.job_id)) throw new StaleRead(`pending executions of thing ${thingName}`);
      moved.set(r.job_id, (moved.get(r.job_id) ?? 0) + 1);
    }
    for (const [jobId, n] of moved) {
      await adjustCounters(db, jobId, moveDelta(from, 'REMOVED', n));
      touched.add(jobId);
    }
  }
  for (const jobId of touched) await completeIfDone(db, jobId, now);
  return touched.size > 0;
}

type MutableColumns = Omit<ExecutionRow, 'id' | 'job_id' | 'thing_name' | 'execution_number' | 'queued_at' | 'retry_attempt' | 'failed_retries' | 'timed_out_retries'>;

const updateExecution = preparedWrite<MutableColumns & { id: number; expected: number }>((db, arg) =>
  db
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
    .where('version_number', '=', arg('expected')),
);

export type ExecutionWithJob = ExecutionRow & { namespace_id: string | null; document: string | null };

const executionWithJob = (latest: boolean) =>
  prepared<{ jobId: string; thingName: string; executionNumber: number | undefined }, ExecutionWithJob>((db, arg) => {
    const q = db
      .selectFrom('job_executions as e')
      .innerJoin('jobs as j', 'j.job_id', 'e.job_id')
      .selectAll('e')
      .select(['j.namespace_id', 'j.document'])
      .where('e.job_id', '=', arg('jobId'))
      .where('e.thing_name', '=', arg('thingName'));
    return latest ? q.orderBy('e.execution_number', 'desc').limit(rowLimit(1)) : q.where('e.execution_number', '=', arg('executionNumber')!);
  });
const latestWithJob = executionWithJob(true);
const numberedWithJob = executionWithJob(false);

/** An execution with its job's namespace and document, in one statement (the device hot path). */
export async function findExecutionWithJob(db: Db, jobId: string, thingName: string, executionNumber?: number): Promise<ExecutionWithJob | undefined> {
  const args = { jobId, thingName, executionNumber };
  const [row] = await (executionNumber === undefined ? latestWithJob : numberedWithJob)(db, args);
  return row;
}

/** The namespaces (null for none) of the jobs a thing has executions of. */
export async function namespacesOfThing(db: Db, thingName: string): Promise<(string | null)[]> {
  const rows = await db
    .selectFrom('job_executions as e')
    .innerJoin('jobs as j', 'j.job_id', 'e.job_id')
    .select('j.namespace_id')
    .distinct()
    .where('e.thing_name', '=', thingName)
    .execute();
  return rows.map((r) => r.namespace_id);
}

/** pendingForThing for many things in one statement (the notifier's batches). */
export async function pendingForThings(db: Db, thingNames: string[], namespaceId: string | null, limit: number): Promise<Map<string, PendingRow[]>> {
  const out = new Map<string, PendingRow[]>(thingNames.map((t) => [t, []]));
  if (thingNames.length === 0) return out;
  const { rows } = await sql<ExecutionRow & { document: string | null; rn: number }>`
    select t.*, case when t.rn = 1 then j2.document end as document from (
      select e.*, row_number() over (partition by e.thing_name order by ${NEXT_ORDER}) as rn
      from job_executions e join jobs j on j.job_id = e.job_id
      where e.thing_name in (${sql.join(thingNames)}) and ${pendingOf(namespaceId)}
    ) t join jobs j2 on j2.job_id = t.job_id
    where t.rn <= ${rowLimit(limit)}
    order by t.thing_name, t.rn`.execute(db);
  for (const { rn: _rn, ...r } of rows) out.get(r.thing_name)?.push(r);
  return out;
}
