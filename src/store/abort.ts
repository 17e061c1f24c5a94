import type { Db } from './store.js';
import { prepared } from './prepared.js';
import type { JobRow } from './jobs.js';
import { abortReason, abortVerdict, type AbortConfig } from '../domain/abort.js';

type AbortState = Pick<JobRow, 'status' | 'config' | 'n_succeeded' | 'n_failed' | 'n_rejected' | 'n_timed_out'>;

// Read after every execution that ends, in the transaction that just changed the job's counters
// (so on PostgreSQL the job row is already locked by that UPDATE and the counts are current).
const abortState = prepared<{ jobId: string }, AbortState>((db, arg) =>
  db.selectFrom('jobs').select(['status', 'config', 'n_succeeded', 'n_failed', 'n_rejected', 'n_timed_out']).where('job_id', '=', arg('jobId')),
);

/**
 * Evaluates a job's abortConfig against its counters, as an execution ends (not by a scan). When
 * a criterion is met the job becomes CANCELED with an automated reasonCode and comment, its
 * rollout stops, and the worker cancels its QUEUED executions in bounded batches and notifies the
 * devices, exactly as after CancelJob without force. Returns whether the job aborted.
 */
export async function abortIfMet(db: Db, jobId: string, now: number): Promise<boolean> {
  const [job] = await abortState(db, { jobId });
  if (!job || job.status !== 'IN_PROGRESS' || !job.config.includes('"abortConfig"')) return false;
  const cfg = (JSON.parse(job.config) as { abortConfig?: AbortConfig }).abortConfig;
  const verdict = abortVerdict(cfg, job);
  if (!verdict) return false;
  const { reasonCode, comment } = abortReason(verdict);
  const r = await db
    .updateTable('jobs')
    .set({
      status: 'CANCELED',
      force_canceled: 0,
      reason_code: reasonCode,
      comment,
      last_updated_at: now,
      pending_work: 'cancel',
      rollout_cursor: null,
      rollout_pace: null,
    })
    .where('job_id', '=', jobId)
    .where('status', '=', 'IN_PROGRESS')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
