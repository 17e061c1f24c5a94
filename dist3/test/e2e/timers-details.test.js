import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CancelJobCommand, CancelJobExecutionCommand, CreateJobCommand, CreateThingCommand, DeleteJobExecutionCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobExecutionsForJobCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand as DeviceDescribe, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, REGION, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { clockRequest } from '../../src/cli/clock-client.js';
// The bullets of issue 10 §3 and §4 that test/e2e/timers.test.ts does not reach: step timers over
// MQTT, out-of-range values everywhere, the data plane's approximateSecondsBeforeTimedOut, UpdateJob
// on timeouts and retries, DeleteJobExecution per attempt, what is never retried, ALL's budget.
for (const backend of BACKENDS)
    describe(`timeouts and retries in detail [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `td-${n}-${run}`;
        let s;
        const devices = [];
        const advance = async (seconds) => {
            const r = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: seconds });
            assert.equal(r.status, 200, JSON.stringify(r.body));
        };
        const thing = async (n) => {
            const t = name(n);
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            return t;
        };
        const job = (jobId, things, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: '{}', ...extra }));
        const described = async (jobId, t, executionNumber) => (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: t, executionNumber }))).execution;
        const attempts = async (jobId) => ((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }))).executionSummaries ?? [])
            .map((x) => [x.jobExecutionSummary.executionNumber, x.jobExecutionSummary.status, x.jobExecutionSummary.retryAttempt])
            .sort((a, b) => a[0] - b[0]);
        const counters = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
        const update = (jobId, t, status, extra = {}) => s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: t, status: status, ...extra }));
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        test('step timers over MQTT: start-next sets one, update replaces it, an update without the field leaves it, -1 cancels it; bad values are rejected', async () => {
            const t = await thing('mq');
            const d = await Device.connect(s.app.mqttUrl, t);
            devices.push(d);
            const jobId = name('mq');
            await job(jobId, [t]);
            const left = async () => (await d.request(`${jobId}/get`)).body.execution.approximateSecondsBeforeTimedOut;
            for (const bad of [0, -1, 10081]) {
                const r = await d.request('start-next', { stepTimeoutInMinutes: bad });
                assert.equal(r.body.code, 'InvalidRequest', `start-next ${bad}`);
                assert.match(String(r.body.message), /stepTimeoutInMinutes/);
            }
            const started = await d.request('start-next', { stepTimeoutInMinutes: 3 });
            assert.equal(started.body.execution.approximateSecondsBeforeTimedOut, 180);
            assert.ok((await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', stepTimeoutInMinutes: 10 })).accepted);
            assert.equal(await left(), 600, 'the new value replaces the old one');
            await advance(60);
            assert.ok((await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', statusDetails: { step: 'b' } })).accepted);
            assert.equal(await left(), 540, 'an update without the field leaves the timer running');
            for (const bad of [0, -2, 10081]) {
                const r = await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', stepTimeoutInMinutes: bad });
                assert.equal(r.body.code, 'InvalidRequest', `update ${bad}`);
                assert.match(String(r.body.message), /stepTimeoutInMinutes/);
            }
            assert.equal(await left(), 540, 'a rejected update changes nothing');
            assert.ok((await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', stepTimeoutInMinutes: -1 })).accepted);
            assert.equal(await left(), undefined, '-1 cancels the step timer');
            await advance(3600);
            assert.equal((await described(jobId, t)).status, 'IN_PROGRESS');
            // A step timer set over MQTT fires like any other.
            assert.ok((await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', stepTimeoutInMinutes: 2 })).accepted);
            await advance(120);
            assert.equal((await described(jobId, t)).status, 'TIMED_OUT');
        });
        test('out-of-range values over HTTP are 400 InvalidRequestException naming the field', async () => {
            const t = await thing('range');
            const jobId = name('range');
            await job(jobId, [t]);
            await rejectsWith(s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t, stepTimeoutInMinutes: 10081 })), 'InvalidRequestException', 400, /stepTimeoutInMinutes/);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t, stepTimeoutInMinutes: 10080 }));
            await rejectsWith(update(jobId, t, 'IN_PROGRESS', { stepTimeoutInMinutes: 10081 }), 'InvalidRequestException', 400, /stepTimeoutInMinutes/);
            await rejectsWith(update(jobId, t, 'IN_PROGRESS', { stepTimeoutInMinutes: -2 }), 'InvalidRequestException', 400, /stepTimeoutInMinutes/);
            for (const minutes of [0, 10081])
                await rejectsWith(s.iot.send(new UpdateJobCommand({ jobId, timeoutConfig: { inProgressTimeoutInMinutes: minutes } })), 'InvalidRequestException', 400, /inProgressTimeoutInMinutes/);
            const criteria = (list) => job(name(`bad-${randomBytes(2).toString('hex')}`), [t], { jobExecutionsRetryConfig: { criteriaList: list } });
            await rejectsWith(criteria([{ failureType: 'FAILED', numberOfRetries: 11 }]), 'InvalidRequestException', 400, /numberOfRetries/);
            await rejectsWith(criteria([{ failureType: 'FAILED', numberOfRetries: -1 }]), 'InvalidRequestException', 400, /numberOfRetries/);
            await rejectsWith(criteria([{ failureType: 'FAILED', numberOfRetries: 1 }, { failureType: 'TIMED_OUT', numberOfRetries: 1 }, { failureType: 'ALL', numberOfRetries: 1 }]), 'InvalidRequestException', 400, /criteriaList/);
            await rejectsWith(criteria([{ failureType: 'FAILED', numberOfRetries: 1 }, { failureType: 'FAILED', numberOfRetries: 2 }]), 'InvalidRequestException', 400, /failureType/);
            await rejectsWith(criteria([{ failureType: 'REJECTED', numberOfRetries: 1 }]), 'InvalidRequestException', 400, /failureType/);
            // The limits themselves are accepted.
            await criteria([{ failureType: 'FAILED', numberOfRetries: 10 }]);
            await criteria([{ failureType: 'FAILED', numberOfRetries: 4 }, { failureType: 'TIMED_OUT', numberOfRetries: 6 }]);
        });
        test('approximateSecondsBeforeTimedOut in the data plane: QUEUED none, StartNext and $next show it, IN_PROGRESS without a timer none', async () => {
            const t = await thing('secs');
            const timed = name('secs-t');
            const plain = name('secs-p');
            await job(timed, [t], { timeoutConfig: { inProgressTimeoutInMinutes: 30 } });
            await job(plain, [t]);
            const device = async (jobId) => (await s.data.send(new DeviceDescribe({ jobId, thingName: t }))).execution;
            assert.equal((await device(timed)).approximateSecondsBeforeTimedOut, undefined, 'QUEUED of a job with timeoutConfig: no timer yet');
            const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            assert.equal(started.execution.jobId, timed);
            assert.equal(started.execution.approximateSecondsBeforeTimedOut, 1800);
            await advance(90.5);
            assert.equal((await device('$next')).approximateSecondsBeforeTimedOut, 1710, 'whole seconds, rounded up');
            assert.equal((await device(timed)).approximateSecondsBeforeTimedOut, 1710);
            await update(plain, t, 'IN_PROGRESS');
            assert.equal((await device(plain)).approximateSecondsBeforeTimedOut, undefined, 'IN_PROGRESS without a timer');
            assert.equal((await described(plain, t)).approximateSecondsBeforeTimedOut, undefined);
            await update(timed, t, 'SUCCEEDED');
            assert.equal((await described(timed, t)).approximateSecondsBeforeTimedOut, undefined, 'terminal: none');
        });
        test('UpdateJob adding a timeoutConfig: a running execution keeps running without a timer, one started afterwards gets it', async () => {
            const a = await thing('add-a');
            const b = await thing('add-b');
            const jobId = name('add');
            await job(jobId, [a, b]);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: a }));
            await s.iot.send(new UpdateJobCommand({ jobId, timeoutConfig: { inProgressTimeoutInMinutes: 5 } }));
            assert.equal((await described(jobId, a)).approximateSecondsBeforeTimedOut, undefined);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: b }));
            assert.equal((await described(jobId, b)).approximateSecondsBeforeTimedOut, 300);
            await advance(300);
            assert.equal((await described(jobId, a)).status, 'IN_PROGRESS');
            assert.equal((await described(jobId, b)).status, 'TIMED_OUT');
        });
        test('UpdateJob retries to 0: an attempt already queued stays, no further retries; a criterion left out no longer retries', async () => {
            const t = await thing('zero');
            const jobId = name('zero');
            await job(jobId, [t], { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 3 }] } });
            await update(jobId, t, 'FAILED');
            await s.iot.send(new UpdateJobCommand({ jobId, jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 0 }] } }));
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.jobExecutionsRetryConfig?.criteriaList?.[0]?.numberOfRetries, 0);
            assert.deepEqual(await attempts(jobId), [[1, 'FAILED', 0], [2, 'QUEUED', 1]]);
            await update(jobId, t, 'FAILED');
            assert.deepEqual(await attempts(jobId), [[1, 'FAILED', 0], [2, 'FAILED', 1]], 'no attempt 3');
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.status, 'COMPLETED');
            const u = await thing('left-out');
            const other = name('left-out');
            await job(other, [u], {
                timeoutConfig: { inProgressTimeoutInMinutes: 1 },
                jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }, { failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
            });
            await s.iot.send(new UpdateJobCommand({ jobId: other, jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 0 }] } }));
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: u }));
            await advance(60);
            assert.deepEqual(await attempts(other), [[1, 'TIMED_OUT', 0]], 'TIMED_OUT, left out of the new list, is not retried');
        });
        test('DeleteJobExecution works per attempt: the executionNumber names it; counters follow', async () => {
            const t = await thing('del');
            const jobId = name('del');
            await job(jobId, [t], { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] } });
            await update(jobId, t, 'FAILED');
            assert.deepEqual(await attempts(jobId), [[1, 'FAILED', 0], [2, 'QUEUED', 1]]);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId, thingName: t, executionNumber: 2 })), 'InvalidStateTransitionException', 409);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId, thingName: t, executionNumber: 3 })), 'ResourceNotFoundException', 404);
            await s.iot.send(new DeleteJobExecutionCommand({ jobId, thingName: t, executionNumber: 1 }));
            assert.deepEqual(await attempts(jobId), [[2, 'QUEUED', 1]], 'only attempt 1 is gone');
            await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: t, executionNumber: 1 })), 'ResourceNotFoundException', 404);
            assert.equal((await described(jobId, t, 2)).status, 'QUEUED');
            let c = await counters(jobId);
            assert.deepEqual([c.numberOfFailedThings, c.numberOfQueuedThings], [0, 1]);
            // The retry keeps its place in the budget: attempt 2 fails, attempt 3 is the last retry.
            await update(jobId, t, 'FAILED');
            assert.deepEqual(await attempts(jobId), [[2, 'FAILED', 1], [3, 'QUEUED', 2]]);
            await s.iot.send(new DeleteJobExecutionCommand({ jobId, thingName: t, executionNumber: 3, force: true }));
            assert.deepEqual(await attempts(jobId), [[2, 'FAILED', 1]]);
            c = await counters(jobId);
            assert.deepEqual([c.numberOfFailedThings, c.numberOfQueuedThings], [1, 0]);
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.status, 'COMPLETED', 'nothing open any more');
        });
        test('CANCELED attempts are never retried: CancelJobExecution (QUEUED, forced IN_PROGRESS) and CancelJob with force', async () => {
            const cfg = { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 5 }] } };
            const a = await thing('cx-a');
            const b = await thing('cx-b');
            const c = await thing('cx-c');
            const jobId = name('cx');
            await job(jobId, [a, b, c], cfg);
            await s.iot.send(new CancelJobExecutionCommand({ jobId, thingName: a }));
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: b }));
            await s.iot.send(new CancelJobExecutionCommand({ jobId, thingName: b, force: true }));
            // c: attempt 1 fails, the retry is started, and CancelJob with force cancels it.
            await update(jobId, c, 'FAILED');
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: c }));
            await s.iot.send(new CancelJobCommand({ jobId, force: true }));
            const all = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }));
            const byThing = (t) => all.executionSummaries.filter((x) => x.thingArn === thingArn(t)).map((x) => x.jobExecutionSummary.status).sort();
            assert.deepEqual(byThing(a), ['CANCELED']);
            assert.deepEqual(byThing(b), ['CANCELED']);
            assert.deepEqual(byThing(c), ['CANCELED', 'FAILED']);
            const n = await counters(jobId);
            assert.deepEqual([n.numberOfQueuedThings, n.numberOfInProgressThings, n.numberOfCanceledThings, n.numberOfFailedThings], [0, 0, 3, 1]);
        });
        test('ALL: FAILED and TIMED_OUT (a step timer, no timeoutConfig) draw on one budget; counters count every attempt', async () => {
            const x = await thing('all-x');
            const y = await thing('all-y');
            const jobId = name('all');
            await job(jobId, [x, y], { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'ALL', numberOfRetries: 2 }] } });
            for (let i = 0; i < 3; i++)
                await update(jobId, x, 'FAILED');
            await update(jobId, y, 'FAILED');
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: y, stepTimeoutInMinutes: 1 }));
            await advance(60);
            await update(jobId, y, 'FAILED');
            const list = await attempts(jobId);
            assert.equal(list.length, 6, JSON.stringify(list));
            assert.equal((await described(jobId, y, 2)).status, 'TIMED_OUT');
            const c = await counters(jobId);
            assert.deepEqual([c.numberOfFailedThings, c.numberOfTimedOutThings, c.numberOfQueuedThings], [5, 1, 0], 'a thing failing 3 times adds 3');
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.status, 'COMPLETED');
        });
    });
//# sourceMappingURL=timers-details.test.js.map