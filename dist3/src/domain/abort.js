/** abortConfig: validation, and when a job aborts (AWS IoT Jobs developer guide; the choices in docs/compatibility.md). Pure functions of the counters. */
/** The problem with an abort config (naming the field), or undefined. Enums and required members are the codec's. */
export function checkAbort(cfg) {
    for (const [i, c] of cfg.criteriaList.entries()) {
        const at = `abortConfig.criteriaList[${i}]`;
        if (c.action !== 'CANCEL')
            return `${at}.action must be CANCEL`;
        const p = c.thresholdPercentage;
        if (!(p >= 0 && p <= 100))
            return `${at}.thresholdPercentage must be between 0 and 100`;
        if (Math.abs(p * 100 - Math.round(p * 100)) > 1e-6)
            return `${at}.thresholdPercentage can have at most two digits after the decimal point`;
        if (!Number.isInteger(c.minNumberOfExecutedThings) || c.minNumberOfExecutedThings < 1)
            return `${at}.minNumberOfExecutedThings must be a whole number of at least 1`;
    }
    return undefined;
}
/**
 * C = executions that reached an outcome: SUCCEEDED, FAILED, REJECTED, TIMED_OUT. CANCELED and
 * REMOVED are left out (an operator's action, not a device's result; an abort's own cancellations
 * must not feed it); deleted executions leave the counters and so C.
 */
export const completedCount = (n) => n.n_succeeded + n.n_failed + n.n_rejected + n.n_timed_out;
export function failureCount(type, n) {
    switch (type) {
        case 'FAILED':
            return n.n_failed;
        case 'REJECTED':
            return n.n_rejected;
        case 'TIMED_OUT':
            return n.n_timed_out;
        case 'ALL':
            return n.n_failed + n.n_rejected + n.n_timed_out;
    }
}
/**
 * The first criterion, in list order, that is met: C ≥ minNumberOfExecutedThings and
 * 100·F/C ≥ thresholdPercentage (compared in whole hundredths of a percent, no float error).
 */
export function abortVerdict(cfg, n) {
    if (!cfg)
        return undefined;
    const completed = completedCount(n);
    for (const [index, criterion] of cfg.criteriaList.entries()) {
        if (completed < criterion.minNumberOfExecutedThings || completed === 0)
            continue;
        const failed = failureCount(criterion.failureType, n);
        if (10_000 * failed >= Math.round(criterion.thresholdPercentage * 100) * completed)
            return { criterion, index, completed, failed };
    }
    return undefined;
}
/** The automated reasonCode and comment of an abort; they fit the model's patterns. */
export function abortReason(v) {
    const c = v.criterion;
    return {
        reasonCode: `AUTOMATED_ABORT_${c.failureType}`,
        comment: `Job aborted automatically by abortConfig.criteriaList[${v.index}]: ${v.failed} of ${v.completed} completed executions ` +
            `are ${c.failureType === 'ALL' ? 'FAILED, REJECTED or TIMED_OUT' : c.failureType} ` +
            `(threshold ${c.thresholdPercentage}% after at least ${c.minNumberOfExecutedThings} completed)`,
    };
}
//# sourceMappingURL=abort.js.map