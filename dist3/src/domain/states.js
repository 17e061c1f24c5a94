/** Job and job-execution state machines, as AWS documents them. Pure functions of data. */
export const TERMINAL_EXECUTION_STATUSES = [
    'SUCCEEDED',
    'FAILED',
    'TIMED_OUT',
    'REJECTED',
    'REMOVED',
    'CANCELED',
];
export const PENDING_EXECUTION_STATUSES = ['QUEUED', 'IN_PROGRESS'];
/** Statuses a device may report (UpdateJobExecution). */
export const DEVICE_SETTABLE_STATUSES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED'];
/** AWS allows at most this many jobs in DELETION_IN_PROGRESS at once. */
export const MAX_CONCURRENT_DELETIONS = 10;
/** Targets per job, CreateJob and AssociateTargetsWithJob together. */
export const MAX_TARGETS_PER_JOB = 100;
/** Pending executions shown by GetPendingJobExecutions and the notify topic. */
export const MAX_PENDING_LISTED = 10;
export const isTerminal = (s) => TERMINAL_EXECUTION_STATUSES.includes(s);
export const isPending = (s) => s === 'QUEUED' || s === 'IN_PROGRESS';
/** The per-status counter column kept on the job row (DescribeJob's jobProcessDetails). */
export const COUNTER_COLUMN = {
    QUEUED: 'n_queued',
    IN_PROGRESS: 'n_in_progress',
    SUCCEEDED: 'n_succeeded',
    FAILED: 'n_failed',
    TIMED_OUT: 'n_timed_out',
    REJECTED: 'n_rejected',
    REMOVED: 'n_removed',
    CANCELED: 'n_canceled',
};
const ok = { ok: true };
const no = (error, message) => ({
    ok: false,
    error,
    message,
});
/** A device's UpdateJobExecution from `current` to `next`. */
export function deviceUpdate(current, next) {
    if (!DEVICE_SETTABLE_STATUSES.includes(next))
        return no('InvalidRequest', `A device may not set the status ${next}; allowed: ${DEVICE_SETTABLE_STATUSES.join(', ')}`);
    if (isTerminal(current))
        return no('InvalidStateTransition', `Cannot update the job execution from ${current} to ${next}: it is in a terminal state`);
    return ok;
}
/** CancelJobExecution. */
export function cancelExecution(current, force) {
    if (isTerminal(current))
        return no('InvalidStateTransition', `The job execution is already in the terminal state ${current}`);
    if (current === 'IN_PROGRESS' && !force)
        return no('InvalidStateTransition', 'The job execution is IN_PROGRESS; set force to cancel it');
    return ok;
}
/** DeleteJobExecution: terminal executions always; QUEUED or IN_PROGRESS only with force. */
export function deleteExecution(current, force) {
    if (!isTerminal(current) && !force)
        return no('InvalidStateTransition', `The job execution is ${current}; only a terminal execution can be deleted without force`);
    return ok;
}
/** DeleteJob, before the limit of concurrent deletions is checked. */
export function deleteJob(status, force) {
    if (status === 'DELETION_IN_PROGRESS')
        return no('InvalidStateTransition', 'The job is already being deleted');
    if ((status === 'IN_PROGRESS' || status === 'SCHEDULED') && !force)
        return no('InvalidStateTransition', `The job is ${status}; set force to delete it`);
    return ok;
}
/** CancelJob. A CANCELED job may be canceled again with force, to cancel IN_PROGRESS executions too. */
export function cancelJob(status, force, alreadyForced) {
    if (status === 'DELETION_IN_PROGRESS')
        return no('InvalidRequest', 'The job is being deleted and cannot be canceled');
    if (status === 'COMPLETED')
        return no('InvalidRequest', 'The job is already COMPLETED');
    if (status === 'CANCELED' && (!force || alreadyForced))
        return no('InvalidRequest', 'The job is already CANCELED');
    return ok;
}
/** Statuses that CancelJob moves to CANCELED. */
export const cancelableStatuses = (force) => (force ? ['QUEUED', 'IN_PROGRESS'] : ['QUEUED']);
/**
 * A SNAPSHOT job completes when its rollout is done (no fan-out owed, no paced rollout still
 * creating executions) and no execution is pending. A job whose rollout the schedule's endTime
 * stopped for good completes the same way, CONTINUOUS or not.
 */
export function snapshotComplete(job) {
    return (job.status === 'IN_PROGRESS' &&
        (job.target_selection === 'SNAPSHOT' || job.rollout_ended === 1) &&
        job.pending_work === null &&
        (job.rollout_pace ?? null) === null &&
        job.n_queued === 0 &&
        job.n_in_progress === 0);
}
//# sourceMappingURL=states.js.map