import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { clockRequest } from '../../src/cli/clock-client.js';
const execOf = (m) => m.body.execution;
const listOf = (m) => m.body.jobs;
// issue 10 §5: the embedded broker and an external one (Mosquitto) alike publish what a clock
// advance and a device's update cause: timeouts, and the retries queued after FAILED and TIMED_OUT.
for (const backend of BACKENDS)
    for (const broker of ['embedded', 'external'])
        describe(`timeouts and retries notify MQTT devices [${backend}, ${broker} broker]`, () => {
            const run = randomBytes(3).toString('hex');
            const name = (n) => `tb-${n}-${run}`;
            let s;
            const devices = [];
            const ep = () => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
            const advance = async (seconds) => {
                const r = await clockRequest(ep(), { advanceSeconds: seconds });
                assert.equal(r.status, 200, JSON.stringify(r.body));
                return Date.parse(r.body.now);
            };
            const device = async (n) => {
                const t = name(n);
                await s.iot.send(new CreateThingCommand({ thingName: t }));
                const d = await Device.connect(s.app.mqttUrl, t);
                devices.push(d);
                return d;
            };
            const job = (jobId, thing, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"op":"x"}', ...extra }));
            /** The first notify-next since `mark` whose execution passes `match` (undefined: no execution). */
            const nextWhere = (d, mark, match, what) => d.waitFor((m) => m.topic === `${d.prefix}/notify-next` && m.i >= mark && match(execOf(m)), 10_000, what);
            const listWhere = (d, mark, match, what) => d.waitFor((m) => m.topic === `${d.prefix}/notify` && m.i >= mark && match(listOf(m)), 10_000, what);
            before(async () => {
                s = await startServer(backend, broker === 'embedded' ? { clock: 'manual', mqttPort: 0 } : { clock: 'manual', mqttUrl: MOSQUITTO_URL });
            });
            after(async () => {
                for (const d of devices)
                    await d.close().catch(() => { });
                await s.close();
            });
            test('a timeout on a clock advance: notify without it, notify-next with the next job; the device can no longer update it', async () => {
                const d = await device('to');
                const a = name('to-a');
                const b = name('to-b');
                await job(a, d.thing, { timeoutConfig: { inProgressTimeoutInMinutes: 5 } });
                await job(b, d.thing);
                await nextWhere(d, 0, (e) => e?.jobId === a, 'notify-next of the first job');
                const started = await d.request('start-next', {});
                assert.equal(started.body.execution.jobId, a);
                assert.equal(started.body.execution.approximateSecondsBeforeTimedOut, 300);
                const got = await d.request(`${a}/get`);
                assert.equal(got.body.execution.approximateSecondsBeforeTimedOut, 300, 'MQTT DescribeJobExecution shows the timer');
                const mark = d.mark();
                const at = await advance(5 * 60);
                const next = await nextWhere(d, mark, (e) => e?.jobId === b, 'notify-next after the timeout');
                assert.equal(execOf(next).status, 'QUEUED');
                assert.equal(next.body.timestamp, Math.floor(at / 1000), 'the MQTT timestamp comes from the clock');
                const list = await listWhere(d, mark, (j) => !j.IN_PROGRESS, 'notify without the timed-out execution');
                assert.deepEqual(Object.keys(listOf(list)), ['QUEUED']);
                assert.deepEqual(listOf(list).QUEUED.map((j) => j.jobId), [b]);
                assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: a, thingName: d.thing }))).execution.status, 'TIMED_OUT');
                const late = await d.request(`${a}/update`, { status: 'SUCCEEDED' });
                assert.equal(late.accepted, false);
                assert.equal(late.body.code, 'InvalidStateTransition');
                const after = await d.request(`${a}/get`);
                assert.equal(after.body.code, 'TerminalStateReached');
            });
            test('a timeout that leaves nothing pending: notify with no jobs, notify-next without an execution', async () => {
                const d = await device('last');
                const a = name('last-a');
                await job(a, d.thing, { timeoutConfig: { inProgressTimeoutInMinutes: 1 } });
                await nextWhere(d, 0, (e) => e?.jobId === a, 'notify-next of the job');
                assert.ok((await d.request('start-next', { stepTimeoutInMinutes: 3 })).accepted);
                const mark = d.mark();
                await advance(60);
                await nextWhere(d, mark, (e) => e === undefined, 'notify-next without an execution');
                await listWhere(d, mark, (j) => Object.keys(j).length === 0, 'notify with no jobs after the timeout');
            });
            test('retries: notify-next and notify for the attempt queued after FAILED, then after TIMED_OUT', async () => {
                const d = await device('retry');
                const jobId = name('retry');
                await job(jobId, d.thing, {
                    timeoutConfig: { inProgressTimeoutInMinutes: 5 },
                    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }, { failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
                });
                await nextWhere(d, 0, (e) => e?.executionNumber === 1, 'notify-next of attempt 1');
                assert.ok((await d.request('start-next', {})).accepted);
                let mark = d.mark();
                assert.ok((await d.request(`${jobId}/update`, { status: 'FAILED' })).accepted);
                const n2 = await nextWhere(d, mark, (e) => e?.executionNumber === 2, 'notify-next of attempt 2 (after FAILED)');
                assert.deepEqual([execOf(n2).jobId, execOf(n2).status], [jobId, 'QUEUED']);
                await listWhere(d, mark, (j) => j.QUEUED?.[0]?.executionNumber === 2 && !j.IN_PROGRESS, 'notify listing attempt 2');
                const viaNext = await d.request('$next/get');
                assert.equal(viaNext.body.execution.executionNumber, 2, '$next is the retry');
                const started = await d.request('start-next', {});
                assert.equal(started.body.execution.executionNumber, 2);
                mark = d.mark();
                await advance(5 * 60);
                const n3 = await nextWhere(d, mark, (e) => e?.executionNumber === 3, 'notify-next of attempt 3 (after TIMED_OUT)');
                assert.deepEqual([execOf(n3).jobId, execOf(n3).status], [jobId, 'QUEUED']);
                await listWhere(d, mark, (j) => j.QUEUED?.[0]?.executionNumber === 3 && !j.IN_PROGRESS, 'notify listing attempt 3');
                // The timed-out attempt, named by its number, is terminal for the device.
                const late = await d.request(`${jobId}/update`, { status: 'SUCCEEDED', executionNumber: 2 });
                assert.equal(late.body.code, 'InvalidStateTransition');
                // Attempt 3 fails: both budgets are spent, nothing is pending any more.
                assert.ok((await d.request('start-next', {})).accepted);
                mark = d.mark();
                assert.ok((await d.request(`${jobId}/update`, { status: 'FAILED' })).accepted);
                await nextWhere(d, mark, (e) => e === undefined, 'notify-next without an execution');
            });
        });
//# sourceMappingURL=timers-brokers.test.js.map