/**
 * The JOB and JOB_EXECUTION events of AWS IoT Jobs ($aws/events/job/..., $aws/events/jobExecution/...),
 * as pure functions of data. Units as AWS's examples show them: `timestamp` in seconds, the job's
 * times in milliseconds.
 */

export type JobEventOperation = 'completed' | 'canceled' | 'deleted' | 'cancellation_in_progress' | 'deletion_in_progress';
export type JobExecutionEventOperation = 'succeeded' | 'failed' | 'rejected' | 'canceled' | 'timed_out' | 'removed' | 'deleted';

const JOB_STATUS: Record<JobEventOperation, string> = {
  completed: 'COMPLETED',
  canceled: 'CANCELED',
  deleted: 'DELETED',
  cancellation_in_progress: 'CANCELLATION_IN_PROGRESS',
  deletion_in_progress: 'DELETION_IN_PROGRESS',
};

/** What a job event is made of: the job's row as it is at the transition. */
export interface JobFacts {
  jobId: string;
  targetSelection: string;
  targets: string[];
  description: string | null;
  comment: string | null;
  createdAt: number;
  lastUpdatedAt: number;
  completedAt: number | null;
  counts: { canceled: number; rejected: number; failed: number; removed: number; succeeded: number };
}

export const jobEventTopic = (jobId: string, op: JobEventOperation): string => `$aws/events/job/${jobId}/${op}`;

export function jobEventPayload(job: JobFacts, op: JobEventOperation, eventId: string, nowMs: number): Record<string, unknown> {
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
export function jobExecutionOperation(status: string | null): JobExecutionEventOperation | undefined {
  switch (status) {
    case 'SUCCEEDED':
    case 'FAILED':
    case 'REJECTED':
    case 'CANCELED':
    case 'TIMED_OUT':
    case 'REMOVED':
      return status.toLowerCase() as JobExecutionEventOperation;
    case null:
      return 'deleted';
    default:
      return undefined;
  }
}

export const jobExecutionEventTopic = (jobId: string, op: JobExecutionEventOperation): string => `$aws/events/jobExecution/${jobId}/${op}`;

export function jobExecutionEventPayload(
  e: { jobId: string; thingArn: string; status: string; operation: JobExecutionEventOperation; statusDetails?: Record<string, string> | null },
  eventId: string,
  nowMs: number,
): Record<string, unknown> {
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
