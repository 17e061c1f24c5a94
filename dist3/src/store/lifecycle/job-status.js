/**
 * The one owner of a job's status and of the work it owes: completion, cancel (by a user, an abort
 * or the schedule's end), and the start of a deletion. The execution transitions (executions.ts)
 * call completeIfDone and abortIfMet as their consequences; the steps and operations above call
 * markCanceled and startDeletion. Imports only the store's primitives and the domain.
 */
import { isPostgres } from '../store.js';
import { prepared } from '../prepared.js';
import { clearTimer, ROLLOUT_TIMERS } from '../timers.js';
import { owe } from '../work.js';
import { readJobConfig } from '../job-config.js';
import { abortReason, abortVerdict } from '../../domain/abort.js';
import { jobEventPayload, jobEventTopic } from '../../domain/job-events.js';
import { randomUUID } from 'node:crypto';
import { snapshotComplete } from '../../domain/states.js';
// Read after every execution that ends (the device hot path), under the job's row lock: the
// counters it tests are then the latest.
const completionState = (postgres) => prepared((db, arg) => {
    const q = db
        .selectFrom('jobs')
        .select(['status', 'target_selection', 'pending_work', 'n_queued', 'n_in_progress', 'rollout_pace', 'rollout_ended'])
        .where('job_id', '=', arg('jobId'));
    return postgres ? q.forUpdate() : q;
});
const completionStates = { sqlite: completionState(false), postgres: completionState(true) };
/** A SNAPSHOT job whose executions are all terminal (and that owes no rollout) becomes COMPLETED. */
export async function completeIfDone(tx, jobId, now) {
    const [job] = await completionStates[isPostgres(tx.db) ? 'postgres' : 'sqlite'](tx.db, { jobId });
    if (job && snapshotComplete(job)) {
        const r = await tx.db
            .updateTable('jobs')
            .set({ status: 'COMPLETED', completed_at: now, last_updated_at: now })
            .where('job_id', '=', jobId)
            .where('status', '=', 'IN_PROGRESS')
            .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1)
            await jobEvent(tx, jobId, 'completed', now);
    }
}
/**
 * The JOB event of a job's transition ($aws/events/job/<jobId>/<op>), written to the outbox in the
 * transition's transaction when JOB events are on. Reads the job's row as it is now (call it before
 * the row goes).
 */
export async function jobEvent(tx, jobId, op, now) {
    if (!tx.wants('JOB'))
        return;
    const j = await tx.db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
    if (!j)
        return;
    const facts = {
        jobId,
        targetSelection: j.target_selection,
        targets: JSON.parse(j.targets),
        description: j.description,
        comment: j.comment,
        createdAt: Number(j.created_at),
        lastUpdatedAt: Number(j.last_updated_at),
        completedAt: j.completed_at === null ? null : Number(j.completed_at),
        counts: { canceled: Number(j.n_canceled), rejected: Number(j.n_rejected), failed: Number(j.n_failed), removed: Number(j.n_removed), succeeded: Number(j.n_succeeded) },
    };
    await tx.event('JOB', { topic: jobEventTopic(jobId, op), payload: jobEventPayload(facts, op, randomUUID(), now) });
}
const abortState = prepared((db, arg) => db.selectFrom('jobs').select(['job_id', 'pending_work', 'status', 'config', 'n_succeeded', 'n_failed', 'n_rejected', 'n_timed_out']).where('job_id', '=', arg('jobId')));
/**
 * Evaluates a job's abortConfig against its counters, as an execution ends (never by a scan). A
 * criterion met cancels the job as CancelJob without force does, with an automated reasonCode and
 * comment; the engine then cancels its QUEUED executions. Returns whether the job aborted.
 */
export async function abortIfMet(tx, jobId, now) {
    const [job] = await abortState(tx.db, { jobId });
    if (!job || job.status !== 'IN_PROGRESS' || !job.config.includes('"abortConfig"'))
        return false;
    const verdict = abortVerdict(readJobConfig(job).abortConfig, job);
    if (!verdict)
        return false;
    await markCanceled(tx, job, { force: false, ...abortReason(verdict) }, now);
    return true;
}
/**
 * A SCHEDULED job starts (its start time, or its first maintenance window), or the schedule's end
 * with STOP_ROLLOUT leaves it IN_PROGRESS for good (`endsRollout`: no more releases, joins or
 * retries). The job's row must be locked.
 */
export async function markInProgress(tx, jobId, now, opts = {}) {
    tx.assertLocked(jobId);
    await tx.db
        .updateTable('jobs')
        .set({ status: 'IN_PROGRESS', last_updated_at: now, ...(opts.endsRollout ? { rollout_pace: null, rollout_ended: 1 } : {}) })
        .where('job_id', '=', jobId)
        .execute();
}
/**
 * A job becomes CANCELED (CancelJob, an abort, schedulingConfig.endTime): its rollout stops (pace
 * and timers), and it owes a cancel of its QUEUED (with force, IN_PROGRESS too) executions from the
 * first thing, which the engine does in batches; the caller may do a first batch inline
 * (steps/cancel.ts). The job's row must be locked. Returns the row as written.
 */
export async function markCanceled(tx, job, how, now) {
    tx.assertLocked(job.job_id);
    for (const kind of ROLLOUT_TIMERS)
        await clearTimer(tx.db, kind, job.job_id);
    await tx.db
        .updateTable('jobs')
        .set({
        status: 'CANCELED',
        force_canceled: how.force ? 1 : 0,
        ...(how.reasonCode !== undefined ? { reason_code: how.reasonCode } : {}),
        ...(how.comment !== undefined ? { comment: how.comment } : {}),
        last_updated_at: now,
        rollout_pace: null,
        ...(how.endsRollout ? { rollout_ended: 1 } : {}),
    })
        .where('job_id', '=', job.job_id)
        .execute();
    await owe(tx, job, { kind: 'cancel', after: null }, now);
    // The pair's second message comes when the cancel's last step is done (steps/cancel.ts).
    await jobEvent(tx, job.job_id, 'cancellation_in_progress', now);
}
/**
 * DeleteJob: the job becomes DELETION_IN_PROGRESS and owes the removal of its executions (then of
 * itself), which the engine does in batches; its rollout stops. The job's row must be locked.
 */
export async function startDeletion(tx, job, now) {
    tx.assertLocked(job.job_id);
    for (const kind of ROLLOUT_TIMERS)
        await clearTimer(tx.db, kind, job.job_id);
    await tx.db.updateTable('jobs').set({ status: 'DELETION_IN_PROGRESS', rollout_pace: null, last_updated_at: now }).where('job_id', '=', job.job_id).execute();
    await owe(tx, job, { kind: 'delete', after: null }, now);
    // The pair's second message comes when the job's row goes (steps/delete.ts).
    await jobEvent(tx, job.job_id, 'deletion_in_progress', now);
}
//# sourceMappingURL=job-status.js.map