import { findExecution } from '../execution-rows.js';
import { readJobConfig } from '../job-config.js';
import { queue } from '../lifecycle/executions.js';
import { shouldRetry } from '../../domain/timeouts.js';
const FRESH = { failed_retries: 0, timed_out_retries: 0 };
/**
 * "The number of retry attempts is reset to zero when there are updates to a thing's group
 * membership" (AWS IoT Jobs developer guide; the choices in docs/compatibility.md), for a CONTINUOUS job whose targets still cover the thing
 * after a membership change of one of its groups:
 * - a pending attempt keeps running with a full budget again (its retry counts go back to 0);
 * - a last attempt that ended FAILED or TIMED_OUT with nothing queued after it (its budget was spent)
 *   is retried as a fresh execution (executionNumber + 1, retryAttempt 0), if the job's retry config
 *   retries that failure type at all.
 * Returns whether an execution was queued. Takes the job's row lock first (the lock order).
 */
export async function resetRetryBudget(tx, jobId, thingName, now) {
    const job = await tx.lockJob(jobId);
    if (!job || job.status !== 'IN_PROGRESS')
        return false;
    const criteria = readJobConfig(job).jobExecutionsRetryConfig?.criteriaList;
    if (!criteria?.length)
        return false;
    const last = await findExecution(tx.db, jobId, thingName);
    if (!last)
        return false;
    if (last.status === 'QUEUED' || last.status === 'IN_PROGRESS') {
        if (last.failed_retries || last.timed_out_retries)
            await tx.db.updateTable('job_executions').set(FRESH).where('id', '=', last.id).where('status', 'in', ['QUEUED', 'IN_PROGRESS']).execute();
        return false;
    }
    if ((last.status === 'FAILED' || last.status === 'TIMED_OUT') && shouldRetry(criteria, last.status, FRESH))
        return queue(tx, jobId, thingName, now, job.namespace_id);
    return false;
}
//# sourceMappingURL=retry-budget.js.map