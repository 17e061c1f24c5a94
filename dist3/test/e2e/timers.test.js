import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobExecutionsForJobCommand, ListJobExecutionsForThingCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand as DeviceDescribe, GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { clockRequest } from '../../src/cli/clock-client.js';
const MIN = 60_000;
for (const backend of BACKENDS) {
    describe(`manual clock, timeouts and retries [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let s;
        const ep = () => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
        const advance = async (seconds) => {
            const r = await clockRequest(ep(), { advanceSeconds: seconds });
            assert.equal(r.status, 200, JSON.stringify(r.body));
            return Date.parse(r.body.now);
        };
        const now = async () => Date.parse((await clockRequest(ep())).body.now);
        const thing = async (n) => {
            const t = name(n);
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            return t;
        };
        const job = (jobId, things, extra = {}) => s.iot.send(new CreateJobCommand({ jobId: name(jobId), targets: things.map(thingArn), document: '{"op":"x"}', ...extra }));
        const counters = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId: name(jobId) }))).job.jobProcessDetails;
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
        });
        after(async () => {
            await s.close();
        });
        test('GET /_iot-jobs/clock: mode manual and an ISO time with milliseconds; unsigned requests get 403', async () => {
            const r = await clockRequest(ep());
            assert.equal(r.status, 200);
            assert.equal(r.body.mode, 'manual');
            assert.match(r.body.now, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
            assert.equal(new Date(Date.parse(r.body.now)).toISOString(), r.body.now);
            const unsigned = await fetch(`${s.url}/_iot-jobs/clock`);
            assert.equal(unsigned.status, 403);
            const unsignedPost = await fetch(`${s.url}/_iot-jobs/clock`, { method: 'POST', body: '{"advanceSeconds":5}' });
            assert.equal(unsignedPost.status, 403);
            const wrong = await clockRequest({ ...ep(), credentials: { accessKeyId: 'test', secretAccessKey: 'nope' } });
            assert.equal(wrong.status, 403);
        });
        test('POST moves the clock: advanceSeconds (fractions), now; bad bodies answer 400 and leave it', async () => {
            const t0 = await now();
            assert.equal(await advance(1.5), t0 + 1500);
            const set = await clockRequest(ep(), { now: new Date(t0 + 3600_000).toISOString().replace('Z', '+00:00') });
            assert.equal(set.status, 200);
            assert.equal(set.body.now, new Date(t0 + 3600_000).toISOString());
            const t1 = t0 + 3600_000;
            for (const body of [{}, { advanceSeconds: 0 }, { advanceSeconds: -3 }, { advanceSeconds: '5' }, { advanceSeconds: 5, now: new Date(t1 + 1000).toISOString() }, { now: 'tomorrow' }, { now: '2030-01-01T00:00:00' }, { now: new Date(t1 - 1000).toISOString() }, { other: 1 }]) {
                const r = await clockRequest(ep(), body);
                assert.equal(r.status, 400, JSON.stringify(body));
                assert.equal(r.body.__type ?? 'InvalidRequestException', 'InvalidRequestException');
            }
            assert.equal(await now(), t1);
            // A body that is not JSON at all (signed by hand: the client always sends JSON).
            const r = await clockRequest(ep(), []);
            assert.equal(r.status, 400);
            assert.equal(await now(), t1);
        });
        test('times the server writes come from the clock', async () => {
            const t = await thing('times');
            const before = await advance(3600);
            await job('times', [t]);
            const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('times'), thingName: t }));
            assert.equal(e.execution.queuedAt.getTime(), before);
        });
        test('the §4.3 timeline: in-progress 20 min, step timers 7, 5, 9 min time out at 12:12, 12:15, 12:20', async () => {
            const t = await thing('tl');
            await job('tl', [t], { timeoutConfig: { inProgressTimeoutInMinutes: 20 } });
            const q = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('tl'), thingName: t }));
            assert.equal(q.execution.approximateSecondsBeforeTimedOut, undefined, 'QUEUED: no timer');
            const t1200 = await now();
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            const left = async () => (await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('tl'), thingName: t }))).execution.approximateSecondsBeforeTimedOut;
            const deviceLeft = async () => (await s.data.send(new DeviceDescribe({ jobId: name('tl'), thingName: t }))).execution.approximateSecondsBeforeTimedOut;
            assert.equal(await left(), 20 * 60);
            assert.equal(await deviceLeft(), 20 * 60);
            await advance(5 * 60); // 12:05
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('tl'), thingName: t, status: 'IN_PROGRESS', stepTimeoutInMinutes: 7 }));
            assert.equal(await left(), 7 * 60); // 12:12
            await advance(5 * 60); // 12:10
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('tl'), thingName: t, status: 'IN_PROGRESS', stepTimeoutInMinutes: 5 }));
            assert.equal(await left(), 5 * 60); // 12:15
            await advance(3 * 60); // 12:13
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('tl'), thingName: t, status: 'IN_PROGRESS', stepTimeoutInMinutes: 9 }));
            assert.equal(await left(), 7 * 60, 'capped by the in-progress timer at 12:20');
            // An update without the field leaves the timer running.
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('tl'), thingName: t, status: 'IN_PROGRESS', statusDetails: { step: 'x' } }));
            assert.equal(await left(), 7 * 60);
            // 12:19:59.999: not yet.
            await advance(7 * 60 - 0.001);
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('tl'), thingName: t }))).execution.status, 'IN_PROGRESS');
            await advance(0.001); // 12:20 exactly
            const e = (await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('tl'), thingName: t }))).execution;
            assert.equal(e.status, 'TIMED_OUT');
            assert.equal(e.lastUpdatedAt.getTime(), t1200 + 20 * MIN);
            assert.equal(e.approximateSecondsBeforeTimedOut, undefined);
            const c = await counters('tl');
            assert.equal(c.numberOfTimedOutThings, 1);
            assert.equal(c.numberOfInProgressThings, 0);
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId: name('tl') }))).job.status, 'COMPLETED', 'SNAPSHOT job completes');
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: name('tl'), thingName: t, status: 'SUCCEEDED' })), 'InvalidStateTransitionException', 409);
        });
        test('step timer alone, -1 cancels it, and a value out of range is a 400 naming the field', async () => {
            const t = await thing('step');
            await job('step', [t]);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t, stepTimeoutInMinutes: 3 }));
            const left = async () => (await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('step'), thingName: t }))).execution.approximateSecondsBeforeTimedOut;
            assert.equal(await left(), 180);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('step'), thingName: t, status: 'IN_PROGRESS', stepTimeoutInMinutes: -1 }));
            assert.equal(await left(), undefined);
            await advance(3600);
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('step'), thingName: t }))).execution.status, 'IN_PROGRESS');
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: name('step'), thingName: t, status: 'IN_PROGRESS', stepTimeoutInMinutes: 0 })), 'InvalidRequestException', 400, /stepTimeoutInMinutes/);
            await rejectsWith(s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t, stepTimeoutInMinutes: -1 })), 'InvalidRequestException', 400, /stepTimeoutInMinutes/);
            await rejectsWith(job('bad-timeout', [t], { timeoutConfig: { inProgressTimeoutInMinutes: 10081 } }), 'InvalidRequestException', 400, /inProgressTimeoutInMinutes/);
            await rejectsWith(job('bad-timeout0', [t], { timeoutConfig: { inProgressTimeoutInMinutes: 0 } }), 'InvalidRequestException', 400, /inProgressTimeoutInMinutes/);
        });
        test('QUEUED executions never time out; UpdateJob timeoutConfig applies to executions that start afterwards', async () => {
            const a = await thing('upd-a');
            const b = await thing('upd-b');
            await job('upd', [a, b], { timeoutConfig: { inProgressTimeoutInMinutes: 10 } });
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: a }));
            await s.iot.send(new UpdateJobCommand({ jobId: name('upd'), timeoutConfig: { inProgressTimeoutInMinutes: 60 } }));
            await advance(9 * 60);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: b }));
            await advance(60);
            const st = async (t) => (await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('upd'), thingName: t }))).execution.status;
            assert.equal(await st(a), 'TIMED_OUT');
            assert.equal(await st(b), 'IN_PROGRESS');
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('upd'), thingName: b }))).execution.approximateSecondsBeforeTimedOut, 59 * 60);
            const c = await thing('never');
            await job('never', [c], { timeoutConfig: { inProgressTimeoutInMinutes: 1 } });
            await advance(3 * 60);
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('never'), thingName: c }))).execution.status, 'QUEUED');
        });
        test('retries after FAILED and after TIMED_OUT, seen by an MQTT device: new executionNumber, retryAttempt, counters count attempts', async () => {
            const t = await thing('retry');
            const d = await Device.connect(s.app.mqttUrl, t);
            try {
                const jobId = name('retry');
                await job('retry', [t], {
                    timeoutConfig: { inProgressTimeoutInMinutes: 5 },
                    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }, { failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
                });
                await d.nextOn(`${d.prefix}/notify-next`, 0);
                // Attempt 1 fails: attempt 2 is queued at once, and the device hears of it.
                let m = d.mark();
                assert.ok((await d.request('start-next', {})).accepted);
                m = d.mark();
                const r = await d.request(`${jobId}/update`, { status: 'FAILED' });
                assert.ok(r.accepted);
                const next = await d.waitFor((x) => x.topic === `${d.prefix}/notify-next` && x.i >= m && x.body.execution?.executionNumber === 2, 5000, 'notify-next of attempt 2');
                assert.equal(next.body.execution.status, 'QUEUED');
                const pending = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t }));
                assert.deepEqual(pending.queuedJobs?.map((j) => [j.jobId, j.executionNumber]), [[jobId, 2]]);
                // Attempt 2 times out: attempt 3 (the TIMED_OUT budget) is queued before the POST answers.
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
                m = d.mark();
                await advance(5 * 60);
                const after = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t }));
                assert.deepEqual(after.queuedJobs?.map((j) => [j.jobId, j.executionNumber]), [[jobId, 3]]);
                const n3 = d.on(`${d.prefix}/notify-next`, m).find((x) => x.body.execution?.executionNumber === 3);
                assert.ok(n3, 'notify-next of attempt 3 was published before the clock POST answered');
                // Attempt 3 fails: the FAILED budget is spent, no attempt 4; the job completes.
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
                await s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: t, status: 'FAILED' }));
                const list = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
                assert.deepEqual(list.executionSummaries.map((x) => [x.jobExecutionSummary.executionNumber, x.jobExecutionSummary.status, x.jobExecutionSummary.retryAttempt]), [[1, 'FAILED', 0], [2, 'TIMED_OUT', 1], [3, 'FAILED', 2]]);
                const forThing = await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t }));
                assert.deepEqual(forThing.executionSummaries.map((x) => x.jobExecutionSummary.retryAttempt), [2, 1, 0]);
                const c = await counters('retry');
                assert.equal(c.numberOfFailedThings, 2);
                assert.equal(c.numberOfTimedOutThings, 1);
                assert.equal(c.numberOfQueuedThings, 0);
                assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.status, 'COMPLETED');
                // The device plane's latest attempt is attempt 3.
                await rejectsWith(s.data.send(new DeviceDescribe({ jobId, thingName: t })), 'TerminalStateException', 410);
            }
            finally {
                await d.close();
            }
        });
        test('REJECTED is never retried; CancelJob cancels a queued retry; retries can be set to 0 only', async () => {
            const t = await thing('rej');
            const cfg = { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 3 }] } };
            await job('rej', [t], cfg);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('rej'), thingName: t, status: 'REJECTED' }));
            assert.equal((await counters('rej')).numberOfQueuedThings, 0);
            const u = await thing('cj');
            await job('cj', [u], cfg);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('cj'), thingName: u, status: 'FAILED' }));
            assert.equal((await counters('cj')).numberOfQueuedThings, 1);
            await s.iot.send(new CancelJobCommand({ jobId: name('cj') }));
            const c = await counters('cj');
            assert.equal(c.numberOfQueuedThings, 0);
            assert.equal(c.numberOfCanceledThings, 1);
            await rejectsWith(s.iot.send(new UpdateJobCommand({ jobId: name('rej'), jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 4 }] } })), 'InvalidRequestException', 400, /numberOfRetries/);
            const v = await thing('zero');
            await job('zero', [v], cfg);
            await s.iot.send(new UpdateJobCommand({ jobId: name('zero'), jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 0 }] } }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('zero'), thingName: v, status: 'FAILED' }));
            assert.equal((await counters('zero')).numberOfQueuedThings, 0);
            await rejectsWith(job('too-many', [v], { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 6 }, { failureType: 'TIMED_OUT', numberOfRetries: 5 }] } }), 'InvalidRequestException', 400, /jobExecutionsRetryConfig/);
        });
        test('the manual clock is durable: a restart keeps its time, and due timers fire after it', async () => {
            const t = await thing('dur');
            await job('dur', [t], { timeoutConfig: { inProgressTimeoutInMinutes: 2 } });
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            const at = await advance(86400);
            s = await s.restart();
            assert.equal(await now(), at);
            await advance(120);
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('dur'), thingName: t }))).execution.status, 'TIMED_OUT');
        });
    });
}
describe('system clock', () => {
    test('GET answers mode system; POST is a 400', async () => {
        const s = await startServer(BACKENDS[0]);
        try {
            const ep = { url: s.url, region: REGION, credentials: CREDENTIALS };
            const r = await clockRequest(ep);
            assert.equal(r.status, 200);
            assert.equal(r.body.mode, 'system');
            assert.ok(Math.abs(Date.parse(r.body.now) - Date.now()) < 5000);
            const p = await clockRequest(ep, { advanceSeconds: 5 });
            assert.equal(p.status, 400);
        }
        finally {
            await s.close();
        }
    });
});
void MOSQUITTO_URL;
//# sourceMappingURL=timers.test.js.map