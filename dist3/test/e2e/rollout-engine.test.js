import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddThingToThingGroupCommand, CancelJobCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, ListJobExecutionsForJobCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, groupArn, REGION, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { clockRequest } from '../../src/cli/clock-client.js';
import { formatScheduleTime } from '../../src/domain/schedule.js';
/**
 * The rollout engine over a stored manual clock (--clock manual): paced release minute by minute
 * with MQTT devices, a scheduled start, an end with endBehavior CANCEL, a maintenance window that
 * opens and closes. Every release happens before the clock POST answers.
 */
const MIN = 60_000;
for (const backend of BACKENDS) {
    describe(`rollout engine on a manual clock [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let s;
        const devices = [];
        const ep = () => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
        const advance = async (seconds) => {
            const r = await clockRequest(ep(), { advanceSeconds: seconds });
            assert.equal(r.status, 200, JSON.stringify(r.body));
            return Date.parse(r.body.now);
        };
        const setNow = async (t) => {
            const r = await clockRequest(ep(), { now: new Date(t).toISOString() });
            assert.equal(r.status, 200, JSON.stringify(r.body));
        };
        const now = async () => Date.parse((await clockRequest(ep())).body.now);
        const things = async (prefix, n) => {
            const out = [];
            for (let i = 0; i < n; i++) {
                const t = name(`${prefix}${String(i).padStart(2, '0')}`);
                await s.iot.send(new CreateThingCommand({ thingName: t }));
                out.push(t);
            }
            return out;
        };
        const group = async (g, members) => {
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: name(g) }));
            for (const t of members)
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: name(g), thingName: t }));
            return groupArn(name(g));
        };
        const describe_ = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId: name(jobId) }))).job;
        const executions = async (jobId) => {
            const r = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: name(jobId), maxResults: 250 }));
            return r.executionSummaries.map((e) => ({ thing: e.thingArn.slice(e.thingArn.lastIndexOf('/') + 1), status: e.jobExecutionSummary.status }));
        };
        const created = async (jobId) => (await executions(jobId)).length;
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
        });
        after(async () => {
            for (const d of devices)
                await d.close();
            await s.close();
        });
        test('maximumPerMinute 1: one execution per advanced minute, each device notified when its execution is created', async () => {
            const ts = await things('pm', 3);
            for (const t of ts)
                devices.push(await Device.connect(s.app.mqttUrl, t));
            const [d0, d1, d2] = devices.slice(-3);
            const next = (d) => d.on(`${d.prefix}/notify-next`).filter((m) => m.body.execution?.jobId === name('pm'));
            await s.iot.send(new CreateJobCommand({ jobId: name('pm'), targets: ts.map(thingArn), document: '{"op":"pm"}', jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
            // The first minute's worth before CreateJob answers.
            assert.deepEqual(await executions('pm'), [{ thing: ts[0], status: 'QUEUED' }]);
            await d0.waitFor((m) => next(d0).includes(m), 5000, 'notify-next of the first execution');
            let j = await describe_('pm');
            assert.equal(j.isConcurrent, true);
            assert.deepEqual(j.jobProcessDetails.processingTargets, ts.map(thingArn));
            assert.equal(j.jobProcessDetails.numberOfQueuedThings, 1);
            // The first device finishes at once; the job is not COMPLETED while targets wait.
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('pm'), thingName: ts[0], status: 'SUCCEEDED' }));
            assert.equal((await describe_('pm')).status, 'IN_PROGRESS');
            await advance(59.999);
            assert.equal(await created('pm'), 1, 'nothing before the minute is over');
            assert.equal(next(d1).length, 0, 'a device without an execution hears nothing');
            await advance(0.001);
            assert.equal(await created('pm'), 2);
            assert.equal(next(d1).length, 1, 'notify-next published before the clock POST answered');
            assert.equal(next(d2).length, 0);
            await advance(60);
            assert.equal(await created('pm'), 3);
            assert.equal(next(d2).length, 1);
            j = await describe_('pm');
            assert.equal(j.isConcurrent, false, 'every target has its execution');
            assert.equal(j.jobProcessDetails.processingTargets, undefined);
            await advance(300);
            assert.equal(await created('pm'), 3, 'nothing more once rolled out');
            for (const t of ts.slice(1))
                await s.data.send(new UpdateJobExecutionCommand({ jobId: name('pm'), thingName: t, status: 'SUCCEEDED' }));
            assert.equal((await describe_('pm')).status, 'COMPLETED');
        });
        test('a group at 2/min: one long advance releases its minutes worth; UpdateJob changes the rate of the rest; CancelJob stops it', async () => {
            const ts = await things('gp', 12);
            const g = await group('gp', ts);
            await s.iot.send(new CreateJobCommand({ jobId: name('gp'), targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }));
            assert.equal(await created('gp'), 2);
            await advance(3 * 60);
            assert.equal(await created('gp'), 8, '2 + 3 minutes × 2');
            await s.iot.send(new UpdateJobCommand({ jobId: name('gp'), jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
            await advance(60);
            assert.equal(await created('gp'), 9, 'the new rate: 1 a minute');
            const j = await describe_('gp');
            assert.equal(j.isConcurrent, true);
            assert.deepEqual(j.jobProcessDetails.processingTargets, [g]);
            await s.iot.send(new CancelJobCommand({ jobId: name('gp') }));
            await advance(10 * 60);
            const after = await executions('gp');
            assert.equal(after.length, 9, 'no release after CancelJob');
            assert.ok(after.every((e) => e.status === 'CANCELED'));
            assert.equal((await describe_('gp')).isConcurrent, false);
        });
        test('CONTINUOUS at 1/min: a thing that joins the group later gets its execution at once (§2.4)', async () => {
            const ts = await things('co', 4);
            const g = await group('co', ts);
            await s.iot.send(new CreateJobCommand({ jobId: name('co'), targets: [g], document: '{}', targetSelection: 'CONTINUOUS', jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
            assert.equal(await created('co'), 1);
            const [late] = await things('co-late', 1);
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: name('co'), thingName: late }));
            const list = await executions('co');
            assert.equal(list.length, 2, 'the joiner, not the next paced one');
            assert.ok(list.some((e) => e.thing === late));
            await advance(60);
            assert.equal(await created('co'), 3, 'the pace goes on over the original members');
        });
        test('exponential by notified things: 1/min, ×2 at every 2 created, capped by maximumPerMinute 4', async () => {
            const ts = await things('ex', 20);
            await s.iot.send(new CreateJobCommand({
                jobId: name('ex'),
                targets: [await group('ex', ts)],
                document: '{}',
                jobExecutionsRolloutConfig: { maximumPerMinute: 4, exponentialRate: { baseRatePerMinute: 1, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 2 } } },
            }));
            const seen = [await created('ex')];
            for (let i = 0; i < 5; i++) {
                await advance(60);
                seen.push(await created('ex'));
            }
            // 1 at once; +1 min: 2 (rate → 2); +2: 4 (rate → 4, the cap); then 4 a minute.
            assert.deepEqual(seen, [1, 2, 4, 8, 12, 16]);
        });
        test('scheduled start: SCHEDULED until startTime, then IN_PROGRESS and paced; devices hear of it at the start', async () => {
            const [t0, t1] = await things('sc', 2);
            const d = await Device.connect(s.app.mqttUrl, t0);
            devices.push(d);
            const start = Math.ceil(((await now()) + 45 * MIN) / MIN) * MIN;
            await s.iot.send(new CreateJobCommand({
                jobId: name('sc'),
                targets: [thingArn(t0), thingArn(t1)],
                document: '{}',
                jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
                schedulingConfig: { startTime: formatScheduleTime(start) },
            }));
            let j = await describe_('sc');
            assert.equal(j.status, 'SCHEDULED');
            assert.equal(j.isConcurrent, false);
            await setNow(start - 1000);
            assert.equal(await created('sc'), 0);
            assert.equal((await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t0 }))).queuedJobs.length, 0);
            const m = d.mark();
            await advance(1);
            j = await describe_('sc');
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.isConcurrent, true);
            assert.equal(await created('sc'), 1, 'the first minute at startTime');
            assert.ok(d.on(`${d.prefix}/notify-next`, m).some((x) => x.body.execution?.jobId === name('sc')));
            await advance(60);
            assert.equal(await created('sc'), 2);
            assert.equal((await describe_('sc')).isConcurrent, false);
        });
        test('endTime with endBehavior CANCEL: the rollout stops at the end, QUEUED ones are CANCELED, IN_PROGRESS ones go on', async () => {
            const ts = await things('en', 40);
            const start = Math.ceil(((await now()) + 45 * MIN) / MIN) * MIN;
            await s.iot.send(new CreateJobCommand({
                jobId: name('en'),
                targets: [await group('en', ts)],
                document: '{}',
                jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
                schedulingConfig: { startTime: formatScheduleTime(start), endTime: formatScheduleTime(start + 30 * MIN), endBehavior: 'CANCEL' },
            }));
            await setNow(start);
            assert.equal(await created('en'), 1);
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
            // One long advance past the end: the minutes before it release, none after.
            await advance(45 * 60);
            const list = await executions('en');
            assert.equal(list.length, 30, 'released at start, +1, ... +29 minutes');
            const j = await describe_('en');
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.forceCanceled, false);
            assert.equal(list.find((e) => e.thing === ts[0]).status, 'IN_PROGRESS');
            assert.equal(list.filter((e) => e.status === 'CANCELED').length, 29);
            assert.equal(j.jobProcessDetails.numberOfCanceledThings, 29);
            await advance(10 * 60);
            assert.equal(await created('en'), 30);
        });
        test('endTime with STOP_ROLLOUT leaves the executions (no retries after it), then COMPLETED; FORCE_CANCEL cancels IN_PROGRESS too', async () => {
            const ts = await things('eb', 35);
            const g = await group('eb', ts);
            const start = Math.ceil(((await now()) + 45 * MIN) / MIN) * MIN;
            const schedulingConfig = (endBehavior) => ({ startTime: formatScheduleTime(start), endTime: formatScheduleTime(start + 30 * MIN), endBehavior });
            const common = { targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 1 } };
            await s.iot.send(new CreateJobCommand({ jobId: name('eb-stop'), ...common, schedulingConfig: schedulingConfig('STOP_ROLLOUT'), jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] } }));
            await s.iot.send(new CreateJobCommand({ jobId: name('eb-force'), ...common, schedulingConfig: schedulingConfig('FORCE_CANCEL') }));
            await setNow(start);
            // The first thing starts both jobs' executions.
            for (const jobId of ['eb-stop', 'eb-force'])
                await s.data.send(new UpdateJobExecutionCommand({ jobId: name(jobId), thingName: ts[0], status: 'IN_PROGRESS' }));
            await advance(40 * 60);
            const stop = await executions('eb-stop');
            assert.equal(stop.length, 30);
            assert.equal(stop.filter((e) => e.status === 'QUEUED').length, 29);
            let j = await describe_('eb-stop');
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.isConcurrent, false, 'the rollout is over');
            const force = await executions('eb-force');
            assert.equal(force.length, 30);
            assert.ok(force.every((e) => e.status === 'CANCELED'));
            const f = await describe_('eb-force');
            assert.equal(f.status, 'CANCELED');
            assert.equal(f.forceCanceled, true);
            // A failure after the end is not retried; when every execution is terminal the job completes.
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('eb-stop'), thingName: ts[0], status: 'FAILED' }));
            for (const e of stop.slice(1))
                await s.data.send(new UpdateJobExecutionCommand({ jobId: name('eb-stop'), thingName: e.thing, status: 'SUCCEEDED' }));
            assert.equal(await created('eb-stop'), 30, 'no retry, no new execution');
            j = await describe_('eb-stop');
            assert.equal(j.status, 'COMPLETED');
            assert.equal(j.jobProcessDetails.numberOfFailedThings, 1);
        });
        test('an abort stops a paced rollout: no releases after it', async () => {
            const ts = await things('ab', 6);
            await s.iot.send(new CreateJobCommand({
                jobId: name('ab'),
                targets: [await group('ab', ts)],
                document: '{}',
                jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
                abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] },
            }));
            await advance(60);
            const [first] = await executions('ab');
            await s.data.send(new UpdateJobExecutionCommand({ jobId: name('ab'), thingName: first.thing, status: 'FAILED' }));
            assert.equal((await describe_('ab')).status, 'CANCELED');
            await advance(5 * 60);
            assert.equal(await created('ab'), 2);
        });
        test('a maintenance window: SCHEDULED before it, releases only while it is open, IN_PROGRESS between windows', async () => {
            const ts = await things('mw', 6);
            const open = Math.ceil(((await now()) + 2 * 60 * MIN) / MIN) * MIN;
            const o = new Date(open);
            const cron = `cron(${o.getUTCMinutes()} ${o.getUTCHours()} * * ? *)`;
            await s.iot.send(new CreateJobCommand({
                jobId: name('mw'),
                targets: [await group('mw', ts)],
                document: '{}',
                jobExecutionsRolloutConfig: { maximumPerMinute: 1 },
                schedulingConfig: { maintenanceWindows: [{ startTime: cron, durationInMinutes: 2 }] },
            }));
            assert.equal((await describe_('mw')).status, 'SCHEDULED');
            assert.equal(await created('mw'), 0);
            await setNow(open);
            assert.equal((await describe_('mw')).status, 'IN_PROGRESS');
            assert.equal(await created('mw'), 1);
            await advance(60);
            assert.equal(await created('mw'), 2);
            await advance(60);
            assert.equal(await created('mw'), 2, 'the window closed at +2 minutes');
            await advance(3 * 60 * 60);
            const j = await describe_('mw');
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.isConcurrent, true);
            assert.equal(await created('mw'), 2, 'nothing between windows');
            // The next day's window: the pace opens again with one minute's worth.
            await setNow(open + 24 * 60 * MIN);
            assert.equal(await created('mw'), 3);
            await advance(60);
            assert.equal(await created('mw'), 4);
            assert.equal((await describe_('mw')).scheduledJobRollouts[0].startTime, formatScheduleTime(open + 2 * 24 * 60 * MIN));
        });
    });
}
//# sourceMappingURL=rollout-engine.test.js.map