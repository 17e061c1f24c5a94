import { createHash } from 'node:crypto';
import { UsageError } from './aws.js';
export const OUTCOMES = ['succeed', 'fail', 'reject', 'hang'];
/**
 * The outcome shares from --succeed/--fail/--reject/--hang. Failing, rejecting and hanging default
 * to 0; succeeding defaults to what they leave. The four must add up to 1.
 */
export function parseMix(flags) {
    const mix = { succeed: 0, fail: 0, reject: 0, hang: 0 };
    for (const o of OUTCOMES) {
        const raw = flags[o];
        if (raw === undefined)
            continue;
        const v = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1)
            throw new UsageError(`--${o} must be a share between 0 and 1, got ${raw}`);
        mix[o] = v;
    }
    if (flags.succeed === undefined)
        mix.succeed = Math.max(0, 1 - mix.fail - mix.reject - mix.hang);
    const sum = mix.succeed + mix.fail + mix.reject + mix.hang;
    if (Math.abs(sum - 1) > 1e-9)
        throw new UsageError(`--succeed, --fail, --reject and --hang must add up to 1, got ${+sum.toFixed(6)}`);
    return mix;
}
/** A work time range in seconds: "2-10", or "3" for exactly 3. */
export function parseRange(raw) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(raw);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
    if (!m || hi < lo)
        throw new UsageError(`--work-time must be seconds or a range MIN-MAX (for example 2-10), got ${raw}`);
    return [lo * 1000, hi * 1000];
}
/**
 * What a device does with one execution and how long it works: a pure function of the seed and
 * the execution, so that a run is reproducible whatever order devices are served in.
 */
export function decide(seed, thing, jobId, executionNumber, mix, workMs) {
    const h = createHash('sha256').update(`${seed}\0${thing}\0${jobId}\0${executionNumber}`).digest();
    const u = h.readUInt32BE(0) / 2 ** 32;
    const w = h.readUInt32BE(4) / 2 ** 32;
    let acc = 0;
    // Rounding can leave the shares a hair under 1: the last positive share takes that sliver.
    let outcome = OUTCOMES.filter((o) => mix[o] > 0).at(-1) ?? 'succeed';
    for (const o of OUTCOMES) {
        acc += mix[o];
        if (u < acc) {
            outcome = o;
            break;
        }
    }
    return { outcome, workMs: Math.round(workMs[0] + w * (workMs[1] - workMs[0])) };
}
export const noCommands = () => ({ commands: 0, commandsSucceeded: 0, commandsFailed: 0, commandsRejected: 0, commandsHung: 0 });
//# sourceMappingURL=sim-mix.js.map