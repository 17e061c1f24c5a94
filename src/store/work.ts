import type { Db } from './store.js';
import type { JobRow, Tx } from './tx.js';
import { clearTimer, setTimer } from './timers.js';

/**
 * The background work a job owes (jobs.pending_work), each kind with its own cursor
 * (jobs.work_cursor), and the timer due now that makes the engine do its next step:
 * - rollout: the fan-out to group targets, from a position in job_targets and a thing name;
 * - cancel: CancelJob (or an abort, or an end time) over the executions after a thing name;
 * - sweep: the canceled rows leaving the pending index after a worker's cancel;
 * - delete: DeleteJob's removal of the executions after a thing name, then of the job.
 * A paced rollout walks its groups with the same fan-out cursor while it owes no work of its own
 * (its 'rollout' timer releases the next batch at the pace).
 */
export type WorkKind = 'rollout' | 'cancel' | 'sweep' | 'delete';
export const WORK_KINDS: readonly WorkKind[] = ['rollout', 'cancel', 'sweep', 'delete'];

export interface FanoutCursor {
  /** Position in job_targets of the group being walked. */
  t: number;
  /** Last thing name handled in that group. */
  after: string;
}

export type JobWork = { kind: 'rollout'; cursor: FanoutCursor } | { kind: 'cancel' | 'sweep' | 'delete'; after: string | null };

/** The engine's timer kind for a kind of work (timers.kind). */
export const workTimer = (kind: WorkKind): string => `work:${kind}`;
export const isWorkTimer = (kind: string): boolean => kind.startsWith('work:');
export const workOfTimer = (kind: string): WorkKind => kind.slice('work:'.length) as WorkKind;

/** The fan-out cursor of a job (rolling out, paced or not); the start when none is kept. */
export const fanoutCursor = (job: Pick<JobRow, 'work_cursor'>): FanoutCursor => (job.work_cursor ? (JSON.parse(job.work_cursor) as FanoutCursor) : { t: 0, after: '' });

/** The thing-name cursor of a cancel, sweep or deletion ('' from the start). */
export const rangeCursor = (job: Pick<JobRow, 'work_cursor'>): string => job.work_cursor ?? '';

const encode = (work: JobWork): string | null => (work.kind === 'rollout' ? JSON.stringify(work.cursor) : work.after);

/**
 * What a job owes from now on (null: nothing), with the engine's timer for it due at `now`, in
 * the caller's transaction; the engine is woken after commit.
 */
export async function owe(tx: Tx, job: Pick<JobRow, 'job_id' | 'pending_work'>, work: JobWork | null, now: number): Promise<void> {
  const db = tx.db;
  await db
    .updateTable('jobs')
    .set({ pending_work: work?.kind ?? null, work_cursor: work ? encode(work) : null })
    .where('job_id', '=', job.job_id)
    .execute();
  if (job.pending_work && job.pending_work !== work?.kind) await clearTimer(db, workTimer(job.pending_work as WorkKind), job.job_id);
  if (work) {
    await setTimer(db, workTimer(work.kind), job.job_id, job.job_id, now);
    tx.wake();
  }
}

/** Keeps the cursor of the work under way (or of a paced fan-out). */
export async function saveCursor(db: Db, jobId: string, cursor: FanoutCursor | string | null): Promise<void> {
  const text = cursor === null || typeof cursor === 'string' ? cursor : JSON.stringify(cursor);
  await db.updateTable('jobs').set({ work_cursor: text }).where('job_id', '=', jobId).execute();
}
