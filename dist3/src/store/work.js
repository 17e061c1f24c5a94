import { clearTimer, setTimer } from './timers.js';
export const WORK_KINDS = ['rollout', 'cancel', 'sweep', 'delete'];
/** The engine's timer kind for a kind of work (timers.kind). */
export const workTimer = (kind) => `work:${kind}`;
export const isWorkTimer = (kind) => kind.startsWith('work:');
export const workOfTimer = (kind) => kind.slice('work:'.length);
/** The fan-out cursor of a job (rolling out, paced or not); the start when none is kept. */
export const fanoutCursor = (job) => (job.work_cursor ? JSON.parse(job.work_cursor) : { t: 0, after: '' });
/** The thing-name cursor of a cancel, sweep or deletion ('' from the start). */
export const rangeCursor = (job) => job.work_cursor ?? '';
const encode = (work) => (work.kind === 'rollout' ? JSON.stringify(work.cursor) : work.after);
/**
 * What a job owes from now on (null: nothing), with the engine's timer for it due at `now`, in
 * the caller's transaction; the engine is woken after commit.
 */
export async function owe(tx, job, work, now) {
    const db = tx.db;
    await db
        .updateTable('jobs')
        .set({ pending_work: work?.kind ?? null, work_cursor: work ? encode(work) : null })
        .where('job_id', '=', job.job_id)
        .execute();
    if (job.pending_work && job.pending_work !== work?.kind)
        await clearTimer(db, workTimer(job.pending_work), job.job_id);
    if (work) {
        await setTimer(db, workTimer(work.kind), job.job_id, job.job_id, now);
        tx.wake();
    }
}
/** Keeps the cursor of the work under way (or of a paced fan-out). */
export async function saveCursor(db, jobId, cursor) {
    const text = cursor === null || typeof cursor === 'string' ? cursor : JSON.stringify(cursor);
    await db.updateTable('jobs').set({ work_cursor: text }).where('job_id', '=', jobId).execute();
}
//# sourceMappingURL=work.js.map