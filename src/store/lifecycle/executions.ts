/**
 * The one place where job executions change status, are created or are removed, with every
 * consequence: the job's counters, the pending flag (`listed`), the timeout timer, the retry of a
 * failed or timed-out attempt, the job's abort and completion, and the notifications owed after
 * commit. Each entry point (move, queue, remove) writes its rows set-based, then hands what it did
 * to `settle`, where the consequences live. A caller holds the job's lock (Tx.lock*) first.
 */
import { sql } from 'kysely';
import { inIds, idsArg, rowLimit, StaleRead, type Db } from '../store.js';
import type { Tx } from '../tx.js';
import { LISTED, PENDING_STATUSES } from '../migrations.js';
import { adjustCounters, moveDelta } from '../counters.js';
import { clearTimer, setTimer, TIMEOUT } from '../timers.js';
import { prepared } from '../prepared.js';
import { readJobConfig } from '../job-config.js';
import { deleteExecutionRow, queuedRow, updateExecution, type ExecutionRow } from '../execution-rows.js';
import { abortIfMet, completeIfDone } from './job-status.js';
import { isPending, type ExecutionStatus } from '../../domain/states.js';
import { nextTimers, shouldRetry } from '../../domain/timeouts.js';
import { jobExecutionEventTopic, jobExecutionOperation } from '../../domain/job-events.js';

/** What one execution's change may set besides its status. */
export interface Change {
  status?: string;
  statusDetails?: Record<string, string>;
  forceCanceled?: boolean;
  /** null clears the step timer. */
  stepTimeoutInMinutes?: number | null;
}

/** Which executions move. */
export type Selection =
  /** One execution as the caller read and decided on it; the write is conditional on its versionNumber. */
  | { one: ExecutionRow; change?: Omit<Change, 'status'>; namespaceId?: string | null }
  /**
   * A job's executions in `from`, in a keyset range of thing names (a cancel batch); `things` are
   * their names, read under the job's lock. `unlist: false` leaves them in the pending index for a sweep.
   */
  | { job: string; from: ExecutionStatus; after: string; upTo: string | undefined; things: string[]; unlist: boolean; namespaceId: string | null }
  /** Executions whose timeout timers were taken due (they must still be IN_PROGRESS and past their deadline). */
  | { timedOut: number[] }
  /** A thing's pending executions of these jobs (all when undefined): REMOVED. */
  | { thing: string; jobs?: string[] };

/** What a move, queue or removal did to one job's executions: `settle` acts on it. */
interface Settled {
  jobId: string;
  /** null: created. */
  from: string | null;
  /** null: deleted. */
  to: string | null;
  n: number;
  /** Things whose pending list changed (notified after commit). */
  things: string[];
  namespaceId: string | null | undefined;
  /** Attempts that just ended FAILED or TIMED_OUT, for their retries. */
  ended?: Ended[];
  /** One execution's statusDetails, for its event. */
  details?: string | null;
  /** No per-execution events (DeleteJob's removal: the job's own `deleted` event stands for them). */
  quiet?: boolean;
}

type Ended = Pick<ExecutionRow, 'job_id' | 'thing_name' | 'execution_number' | 'status' | 'retry_attempt' | 'failed_retries' | 'timed_out_retries'>;

/**
 * The consequences of executions changing, in one place. Counters move by the rows written; a
 * failed or timed-out attempt is retried; an execution that ends may abort or complete its job; the
 * things whose pending list changed are owed a notification after commit.
 */
async function settle(tx: Tx, s: Settled, now: number): Promise<void> {
  if (s.n === 0) return;
  await adjustCounters(tx.db, s.jobId, moveDelta(s.from, s.to, s.n));
  // An execution that ends, or is deleted, owes its JOB_EXECUTION event (each attempt its own).
  const op = s.quiet || s.from === null ? undefined : jobExecutionOperation(s.to);
  if (op && tx.wants('JOB_EXECUTION', jobExecutionEventTopic(s.jobId, op)))
    await tx.event('JOB_EXECUTION', {
      executions: { jobId: s.jobId, status: s.to ?? s.from!, operation: op, things: s.things, details: s.details ? (JSON.parse(s.details) as Record<string, string>) : null, at: now },
    });
  // A retry is queued before the job's completion is checked: a retried thing is not done.
  if (s.ended?.length) await queueRetries(tx, s.jobId, s.ended, now);
  const counted = s.to === null || s.to === 'SUCCEEDED' || s.to === 'FAILED' || s.to === 'REJECTED' || s.to === 'TIMED_OUT';
  if (counted) await abortIfMet(tx, s.jobId, now);
  const leftPending = s.from !== null && isPending(s.from) && (s.to === null || !isPending(s.to));
  if (leftPending) await completeIfDone(tx, s.jobId, now);
  if (s.from !== s.to && ((s.from !== null && isPending(s.from)) || (s.to !== null && isPending(s.to)))) tx.pendingChanged(s.things, s.namespaceId);
}

/** Moves the selected executions to `to`. For one execution, returns its new row. */
export async function move(tx: Tx, sel: Selection, to: ExecutionStatus, now: number): Promise<ExecutionRow | undefined> {
  if ('one' in sel) return moveOne(tx, sel.one, { ...sel.change, status: to }, now, sel.namespaceId);
  if ('job' in sel) {
    await moveRange(tx, sel, to, now);
    return undefined;
  }
  if ('timedOut' in sel) {
    await timeOut(tx, sel.timedOut, now);
    return undefined;
  }
  await removeForThing(tx, sel.thing, sel.jobs, now);
  return undefined;
}

/** A change to one execution that keeps its status (a device's statusDetails or step timer). */
export const touch = (tx: Tx, row: ExecutionRow, change: Omit<Change, 'status'>, now: number, namespaceId?: string | null): Promise<ExecutionRow> =>
  moveOne(tx, row, change, now, namespaceId);

const jobTimeout = prepared<{ jobId: string }, { config: string }>((db, arg) => db.selectFrom('jobs').select('config').where('job_id', '=', arg('jobId')));

async function moveOne(tx: Tx, row: ExecutionRow, change: Change, now: number, namespaceId: string | null | undefined): Promise<ExecutionRow> {
  await tx.lock(row.job_id);
  const status = change.status ?? row.status;
  // Only an execution that starts reads its job's timeoutConfig (UpdateJob applies to later starts).
  let minutes: number | undefined;
  if (row.status === 'QUEUED' && status === 'IN_PROGRESS') {
    const [cfg] = await jobTimeout(tx.db, { jobId: row.job_id });
    if (cfg?.config.includes('"timeoutConfig"')) minutes = readJobConfig(cfg.config).timeoutConfig?.inProgressTimeoutInMinutes;
  }
  // Only the columns a change can touch: setting an indexed column, even to its own value, makes
  // SQLite rewrite that index's entry (more pages in every commit).
  const changed = {
    status,
    status_details: change.statusDetails ? JSON.stringify(change.statusDetails) : row.status_details,
    force_canceled: change.forceCanceled ? 1 : row.force_canceled,
    started_at: row.started_at ?? (status === 'IN_PROGRESS' ? now : null),
    last_updated_at: now,
    version_number: row.version_number + 1,
    listed: isPending(status) ? 1 : 0,
    step_timeout_minutes: change.stepTimeoutInMinutes === undefined ? row.step_timeout_minutes : change.stepTimeoutInMinutes,
    ...nextTimers(row, status, now, minutes, change.stepTimeoutInMinutes),
  };
  // Conditional on the version read: a timeout fired (or another update) in between makes store.tx run the caller again.
  if ((await updateExecution(tx.db, { ...changed, id: row.id, expected: row.version_number })) !== 1) throw new StaleRead(`job execution ${row.id}`);
  if (changed.timeout_at !== row.timeout_at) {
    if (changed.timeout_at === null) await clearTimer(tx.db, TIMEOUT, String(row.id));
    else await setTimer(tx.db, TIMEOUT, String(row.id), row.job_id, changed.timeout_at);
  }
  const after = { ...row, ...changed };
  if (status !== row.status)
    await settle(tx, { jobId: row.job_id, from: row.status, to: status, n: 1, things: [row.thing_name], namespaceId, ended: [after], details: after.status_details }, now);
  return after;
}

/** Timeout timers of a job's running executions in a thing range, set-based, before they leave IN_PROGRESS. */
async function clearRangeTimers(tx: Tx, jobId: string, after: string, upTo: string | undefined, op: '>' | '>=' = '>'): Promise<void> {
  let ids = tx.db
    .selectFrom('job_executions')
    .select(sql<string>`cast(id as varchar(32))`.as('ref'))
    .where('job_id', '=', jobId)
    .where('thing_name', op, after)
    .where('status', '=', 'IN_PROGRESS')
    .where('timeout_at', 'is not', null);
  if (upTo !== undefined) ids = ids.where('thing_name', '<=', upTo);
  await tx.db.deleteFrom('timers').where('kind', '=', TIMEOUT).where('job_id', '=', jobId).where('ref', 'in', ids).execute();
}

/**
 * A keyset range UPDATE, no id subquery. The status test sits in the UPDATE's own WHERE, so
 * PostgreSQL re-checks it on a row a concurrent transaction changed meanwhile, and the counters
 * count the rows it moved.
 */
async function moveRange(tx: Tx, sel: Extract<Selection, { job: string }>, to: ExecutionStatus, now: number): Promise<number> {
  tx.assertLocked(sel.job);
  const running = sel.from === 'IN_PROGRESS';
  if (running) await clearRangeTimers(tx, sel.job, sel.after, sel.upTo);
  let q = tx.db
    .updateTable('job_executions')
    .set({
      status: to,
      last_updated_at: now,
      version_number: sql`version_number + 1`,
      ...(running ? { force_canceled: 1, in_progress_deadline: null, timeout_at: null } : {}),
      ...(sel.unlist ? { listed: isPending(to) ? 1 : 0 } : {}),
    })
    .where('job_id', '=', sel.job)
    .where('thing_name', '>', sel.after)
    .where('status', '=', sel.from);
  if (sel.upTo !== undefined) q = q.where('thing_name', '<=', sel.upTo);
  const n = Number((await q.executeTakeFirst()).numUpdatedRows);
  await settle(tx, { jobId: sel.job, from: sel.from, to, n, things: sel.things, namespaceId: sel.namespaceId }, now);
  return n;
}

type TimedOut = Ended & { namespace_id: string | null };

// One statement for a whole batch (the ids as one argument), returning only what is used.
const timeOutRows = prepared<{ ids: unknown; now: number }, Omit<TimedOut, 'namespace_id'>>((db, arg) =>
  db
    .updateTable('job_executions')
    .set({ status: 'TIMED_OUT', last_updated_at: arg('now'), version_number: sql`version_number + 1`, in_progress_deadline: null, timeout_at: null, listed: 0 })
    .where(inIds(db, 'id', arg('ids')))
    .where('status', '=', 'IN_PROGRESS')
    .where('timeout_at', '<=', arg('now'))
    .returning(['job_id', 'thing_name', 'execution_number', 'status', 'retry_attempt', 'failed_retries', 'timed_out_retries']),
);

/**
 * Timeouts, set-based: one conditional UPDATE moves the executions still IN_PROGRESS whose deadline
 * has come (a device may have finished them, or set a later step timer, since the timer was
 * taken); their timers were taken with them. The jobs were locked by takeDue.
 */
async function timeOut(tx: Tx, ids: number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  const rows = await timeOutRows(tx.db, { ids: idsArg(tx.dialect, ids), now });
  const byJob = new Map<string, Ended[]>();
  for (const e of rows) {
    tx.assertLocked(e.job_id);
    const list = byJob.get(e.job_id);
    if (list) list.push(e);
    else byJob.set(e.job_id, [e]);
  }
  if (byJob.size === 0) return;
  const ns = await tx.db.selectFrom('jobs').select(['job_id', 'namespace_id']).where('job_id', 'in', [...byJob.keys()]).execute();
  const nsOf = new Map(ns.map((r) => [r.job_id, r.namespace_id]));
  for (const [jobId, ended] of byJob)
    await settle(tx, { jobId, from: 'IN_PROGRESS', to: 'TIMED_OUT', n: ended.length, things: ended.map((e) => e.thing_name), namespaceId: nsOf.get(jobId) ?? null, ended }, now);
}

/**
 * A thing's pending executions (of the given jobs; of all jobs when undefined) become REMOVED
 * (DeleteThing, leaving a CONTINUOUS job's groups). Their jobs are locked first, in order; an
 * execution of a job that was not locked (it turned pending meanwhile) makes the transaction run
 * again. Returns whether anything changed.
 */
async function removeForThing(tx: Tx, thingName: string, jobIds: string[] | undefined, now: number): Promise<boolean> {
  if (jobIds?.length === 0) return false;
  let pending = tx.db.selectFrom('job_executions').select('job_id').distinct().where('thing_name', '=', thingName).where(sql.raw<boolean>(`${LISTED} and ${PENDING_STATUSES}`));
  if (jobIds) pending = pending.where('job_id', 'in', jobIds);
  const jobs = (await pending.execute()).map((r) => r.job_id);
  if (jobs.length === 0) return false;
  await tx.lockJobs(jobs);
  let changed = false;
  for (const from of ['QUEUED', 'IN_PROGRESS'] as const) {
    if (from === 'IN_PROGRESS') {
      let timed = tx.db
        .selectFrom('job_executions')
        .select(sql<string>`cast(id as varchar(32))`.as('ref'))
        .where('thing_name', '=', thingName)
        .where('status', '=', 'IN_PROGRESS')
        .where('timeout_at', 'is not', null);
      if (jobIds) timed = timed.where('job_id', 'in', jobIds);
      await tx.db.deleteFrom('timers').where('kind', '=', TIMEOUT).where('ref', 'in', timed).execute();
    }
    let q = tx.db
      .updateTable('job_executions')
      .set({ status: 'REMOVED', last_updated_at: now, version_number: sql`version_number + 1`, listed: 0, in_progress_deadline: null, timeout_at: null })
      .where('thing_name', '=', thingName)
      .where(sql.raw<boolean>(LISTED))
      .where('status', '=', from);
    if (jobIds) q = q.where('job_id', 'in', jobIds);
    const moved = new Map<string, number>();
    for (const r of await q.returning('job_id').execute()) {
      if (!tx.isLocked(r.job_id)) throw new StaleRead(`pending executions of thing ${thingName}`);
      moved.set(r.job_id, (moved.get(r.job_id) ?? 0) + 1);
    }
    // Group membership and DeleteThing may span namespaces: the notifier looks them up.
    for (const [jobId, n] of moved) await settle(tx, { jobId, from, to: 'REMOVED', n, things: [thingName], namespaceId: undefined }, now);
    changed ||= moved.size > 0;
  }
  return changed;
}

/** Deletes one execution as read (conditional on its versionNumber), with its timer and counter. */
export async function removeOne(tx: Tx, row: ExecutionRow, now: number, namespaceId: string | null): Promise<void> {
  await tx.lock(row.job_id);
  if ((await deleteExecutionRow(tx.db, { id: row.id, expected: row.version_number })) !== 1) throw new StaleRead(`job execution ${row.id}`);
  if (row.timeout_at !== null) await clearTimer(tx.db, TIMEOUT, String(row.id));
  await settle(tx, { jobId: row.job_id, from: row.status, to: null, n: 1, things: [row.thing_name], namespaceId, details: row.status_details }, now);
}

/**
 * Deletes a job's executions in a keyset range of thing names from `after` (inclusive: a boundary
 * thing may have further executions), with their timers and counters (DeleteJob's steps). Returns
 * the things whose pending list changed and how many rows went.
 */
export async function removeRange(
  tx: Tx,
  jobId: string,
  after: string,
  upTo: string | undefined,
  namespaceId: string | null,
  now: number,
  opts: { running: boolean } = { running: true },
): Promise<{ things: string[]; n: number }> {
  tx.assertLocked(jobId);
  // Only running executions have timeout timers: a job with none running (its counter) skips the look.
  if (opts.running) await clearRangeTimers(tx, jobId, after, upTo, '>=');
  let victims = tx.db.deleteFrom('job_executions').where('job_id', '=', jobId).where('thing_name', '>=', after);
  if (upTo !== undefined) victims = victims.where('thing_name', '<=', upTo);
  const byStatus = new Map<string, string[]>();
  let n = 0;
  if (tx.postgres) {
    const rows = await victims.returning(['thing_name', 'status']).execute();
    for (const r of rows) {
      const list = byStatus.get(r.status);
      if (list) list.push(r.thing_name);
      else byStatus.set(r.status, [r.thing_name]);
    }
    n = rows.length;
  } else {
    // SQLite: the range read first (one string of names per status), then a DELETE without
    // RETURNING, which buffers every row it returns (a 1,000,000 deletion paid 1.2 s for it,
    // bench/floor-bulk.ts). The transaction is SQLite's only writer: what it read is what goes.
    for (const r of await rangeByStatus(tx.db, { jobId, after, upTo })) byStatus.set(r.status, r.names.split('\u0000'));
    for (const names of byStatus.values()) n += names.length;
    const deleted = Number((await victims.executeTakeFirst()).numDeletedRows);
    if (deleted !== n) throw new Error(`deletion of job ${jobId}: ${n} executions read, ${deleted} deleted`);
  }
  const things: string[] = [];
  // The counters count down as executions go, so DescribeJob shows the deletion's progress.
  for (const [status, names] of byStatus) {
    await settle(tx, { jobId, from: status, to: null, n: names.length, things: names, namespaceId, quiet: true }, now);
    if (isPending(status)) things.push(...names);
  }
  return { things, n };
}

// Thing names cannot hold a NUL ([a-zA-Z0-9:_-]+): one string per status instead of a row object per execution.
// Two statements, bounded and not: an `or` in the bound would keep SQLite from using it as the index range's end.
const byStatusIn = (bounded: boolean) =>
  prepared<{ jobId: string; after: string; upTo: string | undefined }, { status: string; names: string }>(
    (_db, arg) => sql`
      select status, group_concat(thing_name, char(0)) as names from job_executions
      where job_id = ${arg('jobId')} and thing_name >= ${arg('after')} ${bounded ? sql`and thing_name <= ${arg('upTo')}` : sql``}
      group by status`,
  );
const byStatusUpTo = byStatusIn(true);
const byStatusToEnd = byStatusIn(false);
const rangeByStatus = (db: Db, a: { jobId: string; after: string; upTo: string | undefined }) => (a.upTo === undefined ? byStatusToEnd : byStatusUpTo)(db, a);

/** Queues a new execution of the job on the thing (number = latest + 1, or as given for a retry). */
export async function queue(tx: Tx, jobId: string, thingName: string, now: number, namespaceId: string | null | undefined, retry?: Ended): Promise<boolean> {
  await tx.lock(jobId);
  let number: number;
  let counts = {};
  if (retry) {
    number = retry.execution_number + 1;
    counts = {
      retry_attempt: retry.retry_attempt + 1,
      failed_retries: retry.failed_retries + (retry.status === 'FAILED' ? 1 : 0),
      timed_out_retries: retry.timed_out_retries + (retry.status === 'TIMED_OUT' ? 1 : 0),
    };
  } else {
    const last = await tx.db
      .selectFrom('job_executions')
      .select('execution_number')
      .where('job_id', '=', jobId)
      .where('thing_name', '=', thingName)
      .orderBy('execution_number', 'desc')
      .limit(rowLimit(1))
      .executeTakeFirst();
    number = (last?.execution_number ?? 0) + 1;
  }
  // The unique (job, thing, executionNumber) index makes a second retry of one attempt a no-op.
  const inserted = await tx.db
    .insertInto('job_executions')
    .values({ ...queuedRow(jobId, thingName, number, now), ...counts })
    .onConflict((oc) => oc.columns(['job_id', 'thing_name', 'execution_number']).doNothing())
    .returning('id')
    .execute();
  if (inserted.length === 0) return false;
  await settle(tx, { jobId, from: null, to: 'QUEUED', n: 1, things: [thingName], namespaceId }, now);
  return true;
}

/** Executions a set-based INSERT created (a fan-out step): their counters and notifications. */
export async function queued(tx: Tx, jobId: string, things: string[], namespaceId: string | null, now: number): Promise<void> {
  tx.assertLocked(jobId);
  await settle(tx, { jobId, from: null, to: 'QUEUED', n: things.length, things, namespaceId }, now);
}

const retryState = prepared<{ jobId: string }, { config: string; status: string; rollout_ended: number; namespace_id: string | null }>((db, arg) =>
  db.selectFrom('jobs').select(['config', 'status', 'rollout_ended', 'namespace_id']).where('job_id', '=', arg('jobId')),
);

/**
 * Attempts that just ended FAILED or TIMED_OUT are retried at once, as new QUEUED attempts with the
 * next executionNumber, if the job is IN_PROGRESS and the failure type's budget allows.
 */
async function queueRetries(tx: Tx, jobId: string, ended: Ended[], now: number): Promise<void> {
  if (ended[0]!.status !== 'FAILED' && ended[0]!.status !== 'TIMED_OUT') return;
  const [job] = await retryState(tx.db, { jobId });
  // Retries stop with the rollout at schedulingConfig.endTime.
  if (!job || job.status !== 'IN_PROGRESS' || job.rollout_ended === 1 || !job.config.includes('"jobExecutionsRetryConfig"')) return;
  const criteria = readJobConfig(job.config).jobExecutionsRetryConfig?.criteriaList;
  for (const e of ended) if (shouldRetry(criteria, e.status, e)) await queue(tx, jobId, e.thing_name, now, job.namespace_id, e);
}

