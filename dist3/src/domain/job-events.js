/**
 * The JOB and JOB_EXECUTION events of AWS IoT Jobs ($aws/events/job/..., $aws/events/jobExecution/...),
 * as pure functions of data. Units as AWS's examples show them: `timestamp` in seconds, the job's
 * times in milliseconds.
 */
const JOB_STATUS = {
    completed: 'COMPLETED',
    canceled: 'CANCELED',
    deleted: 'DELETED',
    cancellation_in_progress: 'CANCELLATION_IN_PROGRESS',
    deletion_in_progress: 'DELETION_IN_PROGRESS',
};
export const jobEventTopic = (jobId, op) => `$aws/events/job/${jobId}/${op}`;
export function jobEventPayload(job, op, eventId, nowMs) {
    return {
        eventType: 'JOB',
        eventId,
        timestamp: Math.floor(nowMs / 1000),
        operation: op,
        jobId: job.jobId,
        status: JOB_STATUS[op],
        targetSelection: job.targetSelection,
        targets: job.targets,
        ...(job.description ? { description: job.description } : {}),
        ...(op === 'completed' ? { completedAt: job.completedAt ?? nowMs } : {}),
        createdAt: job.createdAt,
        lastUpdatedAt: job.lastUpdatedAt,
        ...(op === 'completed'
            ? {
                jobProcessDetails: {
                    numberOfCanceledThings: job.counts.canceled,
                    numberOfRejectedThings: job.counts.rejected,
                    numberOfFailedThings: job.counts.failed,
                    numberOfRemovedThings: job.counts.removed,
                    numberOfSucceededThings: job.counts.succeeded,
                },
            }
            : {}),
        ...(op !== 'completed' && op !== 'canceled' && job.comment ? { comment: job.comment } : {}),
    };
}
/** The operation of an execution that reached `status` (null: it was deleted). */
export function jobExecutionOperation(status) {
    switch (status) {
        case 'SUCCEEDED':
        case 'FAILED':
        case 'REJECTED':
        case 'CANCELED':
        case 'TIMED_OUT':
        case 'REMOVED':
            return status.toLowerCase();
        case null:
            return 'deleted';
        default:
            return undefined;
    }
}
export const jobExecutionEventTopic = (jobId, op) => `$aws/events/jobExecution/${jobId}/${op}`;
export function jobExecutionEventPayload(e, eventId, nowMs) {
    return {
        eventType: 'JOB_EXECUTION',
        eventId,
        timestamp: Math.floor(nowMs / 1000),
        operation: e.operation,
        jobId: e.jobId,
        thingArn: e.thingArn,
        status: e.status,
        // A device's flat map, left out when it sent none (as a capture from AWS shows).
        ...(e.statusDetails && Object.keys(e.statusDetails).length ? { statusDetails: e.statusDetails } : {}),
    };
}
//# sourceMappingURL=job-events.js.map