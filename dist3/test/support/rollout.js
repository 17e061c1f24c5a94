import assert from 'node:assert/strict';
import { CreateThingCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { clockRequest } from '../../src/cli/clock-client.js';
import { CREDENTIALS, REGION } from './harness.js';
/** Helpers for tests that drive a rollout with the manual clock (POST /_iot-jobs/clock). */
export const MIN = 60_000;
const ep = (url) => ({ url, region: REGION, credentials: CREDENTIALS });
/** Advances the server's manual clock; resolves with the new time once the due work is done. */
export async function advance(url, seconds) {
    const r = await clockRequest(ep(url), { advanceSeconds: seconds });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Date.parse(r.body.now);
}
export async function clockNow(url) {
    const r = await clockRequest(ep(url));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Date.parse(r.body.now);
}
/** Moves the clock to an exact time (not earlier than now). */
export async function setClock(url, t) {
    const r = await clockRequest(ep(url), { now: new Date(t).toISOString() });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Date.parse(r.body.now);
}
/** Moves the clock to the next whole minute (or leaves it there); returns that time. */
export async function alignMinute(url) {
    const t = await clockNow(url);
    const next = Math.ceil(t / MIN) * MIN;
    return next === t ? t : setClock(url, next);
}
/** `YYYY-MM-DDTHH:MM` (UTC), the schedulingConfig format. */
export const scheduleTime = (t) => new Date(t).toISOString().slice(0, 16);
/** Every execution of a job (all pages). */
export async function executions(iot, jobId) {
    const rows = [];
    let nextToken;
    do {
        const page = await iot.send(new ListJobExecutionsForJobCommand({ jobId, nextToken, maxResults: 250 }));
        for (const e of page.executionSummaries ?? [])
            rows.push({ thing: e.thingArn.split('/').pop(), status: e.jobExecutionSummary.status, executionNumber: e.jobExecutionSummary.executionNumber });
        nextToken = page.nextToken;
    } while (nextToken);
    return rows;
}
/** The things of a job's executions. */
export const executedThings = async (iot, jobId) => new Set((await executions(iot, jobId)).map((e) => e.thing));
/**
 * The most executions created in any window (t, t + 60 s] of clock time, from samples of
 * (clock time, executions so far) taken after every clock move of at most 60 s.
 */
export function maxPerMinute(samples, base = 0) {
    let worst = 0;
    for (let i = 0; i < samples.length; i++) {
        // Executions created at samples i..j, all within 60 s of sample i: the window just before t_i.
        // `base` is what existed before the first sample (so the first sample counts n - base).
        const before = i === 0 ? base : samples[i - 1].n;
        for (let j = i; j < samples.length && samples[j].t - samples[i].t < MIN; j++)
            worst = Math.max(worst, samples[j].n - before);
    }
    return worst;
}
/** Creates things named `name(prefix + i)` for i < n; returns their names. */
export async function makeThings(iot, name, prefix, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
        const t = name(`${prefix}${i}`);
        await iot.send(new CreateThingCommand({ thingName: t }));
        out.push(t);
    }
    return out;
}
//# sourceMappingURL=rollout.js.map