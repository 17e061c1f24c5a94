import { sql } from 'kysely';
import { idsArg, inIds, isPostgres, type Db } from './store.js';
import { prepared } from './prepared.js';
import { clearTimer, setTimer, type TimerRow } from './timers.js';
// executions.ts imports this module too; the cycle only involves functions called at run time.
import { adjustCounters, moveDelta, queuedRow, type ExecutionRow } from './executions.js';
import { completeIfDone } from './jobs.js';
import { abortIfMet } from './abort.js';
import { nextTimers, shouldRetry, type RetryCriterion, type TimerState } from '../domain/timeouts.js';
import type { Fired } from '../workers/timer-worker.js';

/** The timer kind of execution timeouts; ref = the execution's id. */
export const TIMEOUT = 'timeout';

interface TimeConfig {
  timeoutConfig?: { inProgressTimeoutInMinutes?: number };
  jobExecutionsRetryConfig?: { criteriaList?: RetryCriterion[] };
}

const jobConfig = prepared<{ jobId: string }, { config: string; status: string; namespace_id: string | null; rollout_ended: number }>((db, arg) =>
  db.selectFrom('jobs').select(['config', 'status', 'namespace_id', 'rollout_ended']).where('job_id', '=', arg('jobId')),
);

async function timeConfig(db: Db, jobId: string): Promise<(TimeConfig & { status: string; namespaceId: string | null; ended: boolean }) | undefined> {
  const [row] = await jobConfig(db, { jobId });
  if (!row) return undefined;
  return { ...(JSON.parse(row.config) as TimeConfig), status: row.status, namespaceId: row.namespace_id, ended: row.rollout_ended === 1 };
}

/**
 * The timers of an execution after a change to `status`. Only an execution that starts reads its
 * job's timeoutConfig (so UpdateJob changes apply to executions that start afterwards).
 */
export async function executionTimers(db: Db, row: ExecutionRow, status: string, step: number | null | undefined, now: number): Promise<TimerState> {
  let minutes: number | undefined;
  if (row.status === 'QUEUED' && status === 'IN_PROGRESS') minutes = (await timeConfig(db, row.job_id))?.timeoutConfig?.inProgressTimeoutInMinutes;
  return nextTimers(row, status, now, minutes, step);
}

/** Keeps the durable timer of an execution in step with its timeout_at. */
export async function syncTimeoutTimer(db: Db, row: ExecutionRow, timeoutAt: number | null): Promise<void> {
  if (timeoutAt === row.timeout_at) return;
  if (timeoutAt === null) await clearTimer(db, TIMEOUT, String(row.id));
  else await setTimer(db, TIMEOUT, String(row.id), row.job_id, timeoutAt);
}

/**
 * An attempt that just ended FAILED or TIMED_OUT is retried at once, as a new QUEUED attempt with
 * the next executionNumber, if its job is IN_PROGRESS and the failure type's budget allows. The
 * unique (job, thing, executionNumber) index makes a second try a no-op; counted only if inserted.
 */
export async function queueRetry(db: Db, ended: Pick<ExecutionRow, 'job_id' | 'thing_name' | 'execution_number' | 'status' | 'retry_attempt' | 'failed_retries' | 'timed_out_retries'>, now: number): Promise<boolean> {
  if (ended.status !== 'FAILED' && ended.status !== 'TIMED_OUT') return false;
  const cfg = await timeConfig(db, ended.job_id);
  // Retries stop with the rollout at schedulingConfig.endTime.
  if (!cfg || cfg.status !== 'IN_PROGRESS' || cfg.ended) return false;
  if (!shouldRetry(cfg.jobExecutionsRetryConfig?.criteriaList, ended.status, ended)) return false;
  const inserted = await db
    .insertInto('job_executions')
    .values({
      ...queuedRow(ended.job_id, ended.thing_name, ended.execution_number + 1, now),
      retry_attempt: ended.retry_attempt + 1,
      failed_retries: ended.failed_retries + (ended.status === 'FAILED' ? 1 : 0),
      timed_out_retries: ended.timed_out_retries + (ended.status === 'TIMED_OUT' ? 1 : 0),
    })
    .onConflict((oc) => oc.columns(['job_id', 'thing_name', 'execution_number']).doNothing())
    .returning('id')
    .execute();
  if (inserted.length === 0) return false;
  await adjustCounters(db, ended.job_id, { n_queued: 1 });
  return true;
}

/** What firing a timeout needs of the execution it ended (its retry and its notification). */
type Ended = Pick<ExecutionRow, 'id' | 'job_id' | 'thing_name' | 'execution_number' | 'status' | 'retry_attempt' | 'failed_retries' | 'timed_out_retries'>;

// One statement for a whole batch (the ids as one argument), returning only what is used.
const timeOut = prepared<{ ids: unknown; now: number }, Ended>((db, arg) =>
  db
    .updateTable('job_executions')
    .set({
      status: 'TIMED_OUT',
      last_updated_at: arg('now'),
      version_number: sql`version_number + 1`,
      in_progress_deadline: null,
      timeout_at: null,
      listed: 0,
    })
    .where(inIds(db, 'id', arg('ids')))
    .where('status', '=', 'IN_PROGRESS')
    .where('timeout_at', '<=', arg('now'))
    .returning(['id', 'job_id', 'thing_name', 'execution_number', 'status', 'retry_attempt', 'failed_retries', 'timed_out_retries']),
);

/**
 * Fires execution timeouts, set-based: one conditional UPDATE moves the executions still
 * IN_PROGRESS whose deadline has come (a device may have finished them, or set a later step
 * timer, since the timer was claimed), and the counters move by the rows it returned.
 */
export async function fireTimeouts(db: Db, timers: TimerRow[], now: number): Promise<Fired> {
  const ids = timers.map((t) => Number(t.ref));
  const ended = ids.length ? await timeOut(db, { ids: idsArg(isPostgres(db) ? 'postgres' : 'sqlite', ids), now }) : [];
  const byJob = new Map<string, Ended[]>();
  for (const e of ended) {
    const list = byJob.get(e.job_id);
    if (list) list.push(e);
    else byJob.set(e.job_id, [e]);
  }
  const things: Fired['things'] = [];
  for (const [jobId, rows] of byJob) {
    await adjustCounters(db, jobId, moveDelta('IN_PROGRESS', 'TIMED_OUT', rows.length));
    const cfg = await timeConfig(db, jobId);
    if (cfg?.jobExecutionsRetryConfig?.criteriaList?.length) for (const e of rows) await queueRetry(db, e, now);
    // TIMED_OUT executions count for the abort criteria as a device's FAILED does.
    await abortIfMet(db, jobId, now);
    await completeIfDone(db, jobId, now);
    const namespaceId = cfg?.namespaceId ?? null;
    for (const e of rows) things.push({ thingName: e.thing_name, namespaceId });
  }
  return { things };
}
