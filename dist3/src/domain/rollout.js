/**
 * jobExecutionsRolloutConfig: its validation and the pace of a rollout (AWS IoT Jobs developer guide; the choices in docs/compatibility.md).
 * Pure functions of the config, the counts and the time.
 */
export const MAX_RATE = 1000;
const MINUTE = 60_000;
/** The problem with a rollout config (naming the field), or undefined. Model minimums are checked by the codec. */
export function checkRollout(cfg) {
    const max = cfg.maximumPerMinute;
    if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > MAX_RATE))
        return `jobExecutionsRolloutConfig.maximumPerMinute must be between 1 and ${MAX_RATE}`;
    const e = cfg.exponentialRate;
    if (!e)
        return undefined;
    if (!Number.isInteger(e.baseRatePerMinute) || e.baseRatePerMinute < 1 || e.baseRatePerMinute > MAX_RATE)
        return `jobExecutionsRolloutConfig.exponentialRate.baseRatePerMinute must be between 1 and ${MAX_RATE}`;
    const f = e.incrementFactor;
    if (!(f >= 1.1 && f <= 5) || Math.abs(f * 10 - Math.round(f * 10)) > 1e-9)
        return 'jobExecutionsRolloutConfig.exponentialRate.incrementFactor must be between 1.1 and 5.0 with at most one digit after the decimal point';
    const c = e.rateIncreaseCriteria ?? {};
    if (c.numberOfNotifiedThings === undefined && c.numberOfSucceededThings === undefined)
        return 'jobExecutionsRolloutConfig.exponentialRate.rateIncreaseCriteria must set numberOfNotifiedThings or numberOfSucceededThings';
    return undefined;
}
/** The rate cap: maximumPerMinute when given (it caps an exponential rollout too), else 1000. */
export const rateCap = (cfg) => cfg.maximumPerMinute ?? MAX_RATE;
/**
 * How many times the rate has been multiplied: the i-th increase happens once `notified` reaches
 * i × numberOfNotifiedThings or `succeeded` reaches i × numberOfSucceededThings, whichever comes
 * first (AWS's table: thresholds at 1×, 2×, 3× the criterion). Several thresholds crossed at once
 * count as several increases.
 */
export function increases(cfg, notified, succeeded) {
    const c = cfg.exponentialRate?.rateIncreaseCriteria;
    if (!c)
        return 0;
    const byNotified = c.numberOfNotifiedThings ? Math.floor(notified / c.numberOfNotifiedThings) : 0;
    const bySucceeded = c.numberOfSucceededThings ? Math.floor(succeeded / c.numberOfSucceededThings) : 0;
    return Math.max(byNotified, bySucceeded);
}
/**
 * The rate (executions per minute) after `k` increases: base × factor^k, rounded down to a whole
 * number, never below the base, at most the cap. Computed in exact decimal (the factor has one
 * decimal), so 1.1^k does not drift.
 */
export function rateAfter(cfg, k) {
    const cap = rateCap(cfg);
    const e = cfg.exponentialRate;
    if (!e)
        return cap;
    const f10 = BigInt(Math.round(e.incrementFactor * 10));
    let num = BigInt(e.baseRatePerMinute);
    let den = 1n;
    for (let i = 0; i < k; i++) {
        num *= f10;
        den *= 10n;
        if (num / den >= BigInt(cap))
            return cap;
    }
    return Math.min(cap, Number(num / den));
}
export const currentRate = (cfg, notified, succeeded) => rateAfter(cfg, increases(cfg, notified, succeeded));
/**
 * The pace at the start of a rollout (CreateJob, a scheduled start, a window opening): one minute's
 * worth at once. A smooth pace begins to grow only when that minute is over (anchored a minute
 * ahead), or the first minute would hold the burst and almost a minute's accrual besides.
 */
export function startPace(cfg, now, notified = 0, succeeded = 0, step = false) {
    const rate = currentRate(cfg, notified, succeeded);
    return step ? { at: now, count: notified + rate, rate, step } : { at: now + MINUTE, count: notified + rate, rate };
}
/** Executions allowed in total by time t under one rate (no rate change on the way). */
const allowedAt = (p, t) => {
    const dt = Math.max(0, t - p.at);
    return p.count + (p.step ? p.rate * Math.floor(dt / MINUTE) : Math.floor((p.rate * dt) / MINUTE));
};
/** When the allowance of `p` reaches `n` (at the earliest p.at). */
const reachedAt = (p, n) => {
    const need = Math.max(0, n - p.count);
    return p.at + (p.step ? Math.ceil(need / p.rate) * MINUTE : Math.ceil((need * MINUTE) / p.rate));
};
/**
 * Where a pace whose rate changes at `t` is re-anchored: not before its own anchor (a smooth pace's
 * first minute stays a minute), and on a step pace's minute grid, so the next batch comes on time.
 */
function anchorAt(p, t) {
    if (t <= p.at)
        return p.at;
    return p.step ? p.at + Math.floor((t - p.at) / MINUTE) * MINUTE : t;
}
/**
 * Advances a pace to time `t` for a rollout that has created `notified` executions (and seen
 * `succeeded` succeed) and still has `remaining` targets without one. Returns how many may be
 * created now and the pace to store. Rate increases from the notified criterion that the
 * release itself crosses take effect from the moment they are crossed, so one long advance of a
 * manual clock releases what minute-by-minute advances would have.
 */
export function advancePace(cfg, pace, t, notified, succeeded, remaining) {
    let p = { ...pace };
    let created = notified;
    for (let guard = 0; guard < 10_000 && remaining > 0; guard++) {
        const rate = currentRate(cfg, created, succeeded);
        if (rate !== p.rate) {
            // Re-anchor at the moment the allowance reached what had been created (or now, if later).
            const reached = p.rate > 0 ? reachedAt(p, created) : t;
            const at = anchorAt(p, Math.min(t, reached));
            p = { ...p, at, count: Math.max(created, allowedAt(p, at)), rate };
        }
        const allowed = allowedAt(p, t);
        let n = Math.min(remaining, allowed - created);
        if (n <= 0)
            break;
        // Stop at the next notified threshold so that the higher rate applies past it.
        const c = cfg.exponentialRate?.rateIncreaseCriteria?.numberOfNotifiedThings;
        if (c && rate < rateCap(cfg)) {
            const next = (Math.floor(created / c) + 1) * c;
            n = Math.min(n, next - created);
        }
        created += n;
        remaining -= n;
        if (!c || rate >= rateCap(cfg))
            break;
    }
    return { release: created - notified, pace: p };
}
/**
 * The pace after a gap in which nothing was released (a restart, a lease taken over, a closed
 * maintenance window): the allowance restarts from what was created, so the rollout resumes at its
 * rate without a burst to catch up the missed minutes.
 */
export function resumePace(pace, t, notified) {
    return { ...pace, at: t, count: notified };
}
/** When the next execution becomes allowed (for the timer), or undefined when the rate is 0. */
export function nextReleaseAt(pace, notified) {
    if (pace.rate <= 0)
        return undefined;
    // 0: allowed already (a release cut short by its batch size), due at once.
    return notified < pace.count ? 0 : reachedAt(pace, notified + 1);
}
/**
 * The pace re-anchored at `t` with a new rate (UpdateJob): what the old rate allowed by `t` stays
 * allowed, and the new rate applies from `t` on.
 */
export function repace(pace, t, rate, notified) {
    const at = anchorAt(pace, t);
    return { ...pace, at, count: Math.max(notified, allowedAt(pace, at)), rate };
}
//# sourceMappingURL=rollout.js.map