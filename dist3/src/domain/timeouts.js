/** Execution timeouts and retries (AWS IoT Jobs developer guide; the choices in docs/compatibility.md), as pure functions of data. */
const MINUTE = 60_000;
/**
 * The timers of an execution after a change. The in-progress timer starts when the execution
 * goes IN_PROGRESS and never moves; a step timer (minutes; -1 or null cancels it; undefined leaves
 * it) is replaced by each new value. The execution times out at min(in-progress, step deadline):
 * a step timer cannot outlast the in-progress timer (the §4.3 timeline). A terminal execution has none.
 */
export function nextTimers(prev, status, now, inProgressTimeoutMinutes, stepTimeoutInMinutes) {
    if (status !== 'IN_PROGRESS' && status !== 'QUEUED')
        return { in_progress_deadline: null, timeout_at: null };
    let ip = prev.in_progress_deadline;
    if (status === 'IN_PROGRESS' && prev.status === 'QUEUED' && inProgressTimeoutMinutes)
        ip = now + inProgressTimeoutMinutes * MINUTE;
    let timeoutAt;
    if (stepTimeoutInMinutes === undefined) {
        // The step timer runs on: whichever deadline was nearest still is, unless the in-progress timer just began.
        timeoutAt = minOf(prev.timeout_at, ip);
    }
    else if (stepTimeoutInMinutes === null || stepTimeoutInMinutes === -1) {
        timeoutAt = ip;
    }
    else {
        timeoutAt = minOf(now + stepTimeoutInMinutes * MINUTE, ip);
    }
    // QUEUED executions never time out.
    if (status === 'QUEUED')
        return { in_progress_deadline: null, timeout_at: null };
    return { in_progress_deadline: ip, timeout_at: timeoutAt };
}
function minOf(a, b) {
    if (a === null)
        return b;
    if (b === null)
        return a;
    return Math.min(a, b);
}
/** approximateSecondsBeforeTimedOut: whole seconds left, only while a timer runs. */
export function secondsBeforeTimedOut(e, now) {
    if (e.status !== 'IN_PROGRESS' || e.timeout_at === null)
        return undefined;
    return Math.max(0, Math.ceil((e.timeout_at - now) / 1000));
}
/**
 * Whether an attempt that ended in `status` is retried. Each failure type has its own budget; a
 * criterion naming the type wins over ALL, and under ALL both types draw on one budget.
 */
export function shouldRetry(criteria, status, used) {
    if (!criteria || (status !== 'FAILED' && status !== 'TIMED_OUT'))
        return false;
    const own = criteria.find((c) => c.failureType === status);
    if (own)
        return (status === 'FAILED' ? used.failed_retries : used.timed_out_retries) < own.numberOfRetries;
    const all = criteria.find((c) => c.failureType === 'ALL');
    return all !== undefined && used.failed_retries + used.timed_out_retries < all.numberOfRetries;
}
/** AWS's limits on jobExecutionsRetryConfig beyond the model's ranges; a message, or undefined. */
export function retryConfigProblem(criteria) {
    const types = criteria.map((c) => c.failureType);
    if (new Set(types).size !== types.length)
        return 'jobExecutionsRetryConfig.criteriaList must not name a failureType twice';
    const total = criteria.reduce((s, c) => s + c.numberOfRetries, 0);
    if (total > 10)
        return 'jobExecutionsRetryConfig.criteriaList allows at most 10 retries for all failure types combined';
    return undefined;
}
//# sourceMappingURL=timeouts.js.map