import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddThingToThingGroupCommand, CancelJobCommand, CreateJobCommand, CreateThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobsCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { MIN, advance, alignMinute, clockNow, executedThings, executions, makeThings, maxPerMinute, scheduleTime, setClock } from '../support/rollout.js';
/**
 * Scheduling (issue 11 §3, orchestration.md §6) driven by the manual clock: SCHEDULED until
 * startTime, the end at endTime with each endBehavior, maintenance windows that open and close,
 * and the validation of the times against the server's clock (not the wall clock).
 */
const run = randomBytes(3).toString('hex');
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const daily = (t) => `cron(${new Date(t).getUTCMinutes()} ${new Date(t).getUTCHours()} * * ? *)`;
for (const backend of BACKENDS) {
    describe(`scheduling [${backend}]`, () => {
        const name = (n) => `${n}-${run}`;
        let s;
        const devices = [];
        const tick = (seconds) => advance(s.url, seconds);
        const things = (prefix, n) => makeThings(s.iot, name, prefix, n);
        const group = async (prefix, n) => {
            const ts = await things(prefix, n);
            const g = name(`${prefix}g`);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
            for (const t of ts)
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: t }));
            return { ts, arn: groupArn(g) };
        };
        const create = (jobId, targets, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets, document: '{"op":"fw"}', ...extra }));
        const job = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job;
        const count = async (jobId) => (await executions(s.iot, jobId)).length;
        const status = async (jobId, thingName) => (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution;
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        test('validation is against the server clock; times, rates and criteria out of range get 400 naming the rule', async () => {
            const [t] = await things('v', 1);
            // Move the server's clock two days ahead of the wall clock: a start an hour after the wall clock is now in the past.
            const T = await setClock(s.url, Math.ceil(((await clockNow(s.url)) + 2 * DAY) / MIN) * MIN);
            const wall = Math.ceil(Date.now() / MIN) * MIN;
            const bad = [
                [{ schedulingConfig: { startTime: scheduleTime(wall + HOUR) } }, /startTime must be at least 30 minutes from the current time/],
                [{ schedulingConfig: { startTime: scheduleTime(T + 29 * MIN) } }, /startTime must be at least 30 minutes/],
                [{ schedulingConfig: { endTime: scheduleTime(T + 29 * MIN) } }, /endTime must be at least 30 minutes/],
                [{ schedulingConfig: { startTime: '2027-13-01T10:00' } }, /startTime/],
                [{ schedulingConfig: { startTime: '2027-02-30T10:00' } }, /startTime/],
                [{ schedulingConfig: { startTime: `${scheduleTime(T + HOUR)}:00` } }, /startTime/],
                [{ schedulingConfig: { endTime: 'soon' } }, /endTime/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 10 * * ? *)', durationInMinutes: 0 }] } }, /durationInMinutes/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: 'rate(5 minutes)', durationInMinutes: 30 }] } }, /maintenanceWindows\[0\]\.startTime/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: `cron(${'0,'.repeat(130)}0 10 * * ? *)`, durationInMinutes: 30 }] } }, /startTime/],
                [{ jobExecutionsRolloutConfig: { maximumPerMinute: 0 } }, /maximumPerMinute/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 0, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } } }, /baseRatePerMinute/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 5, incrementFactor: 1.0, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } } }, /incrementFactor/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 5, incrementFactor: 2, rateIncreaseCriteria: { numberOfSucceededThings: 0 } } } }, /numberOfSucceededThings|rateIncreaseCriteria/],
                [{ abortConfig: { criteriaList: [] } }, /criteriaList/],
                [{ abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 10, minNumberOfExecutedThings: 0 }] } }, /minNumberOfExecutedThings/],
                [{ abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'DELETE', thresholdPercentage: 10, minNumberOfExecutedThings: 1 }] } }, /action/],
            ];
            for (const [i, [extra, message]] of bad.entries()) {
                await rejectsWith(create(name(`bad${i}`), [thingArn(t)], extra), 'InvalidRequestException', 400, message);
                await rejectsWith(s.iot.send(new DescribeJobCommand({ jobId: name(`bad${i}`) })), 'ResourceNotFoundException', 404);
            }
            // The limits themselves are allowed: 30 minutes ahead; end 30 minutes after the start.
            await create(name('edge'), [thingArn(t)], { schedulingConfig: { startTime: scheduleTime(T + 30 * MIN), endTime: scheduleTime(T + 60 * MIN) } });
            assert.equal((await job(name('edge'))).status, 'SCHEDULED');
            await rejectsWith(s.iot.send(new UpdateJobCommand({ jobId: name('edge'), jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 9, rateIncreaseCriteria: { numberOfNotifiedThings: 1 } } } })), 'InvalidRequestException', 400, /incrementFactor/);
            await s.iot.send(new CancelJobCommand({ jobId: name('edge') }));
        });
        test('SCHEDULED until startTime, then IN_PROGRESS with the first minute\'s worth, paced; devices told then', async () => {
            const ts = await things('st', 3);
            for (const t of ts)
                devices.push(await Device.connect(s.app.mqttUrl, t));
            const ds = devices.slice(-3);
            const T = await alignMinute(s.url);
            const start = T + 40 * MIN;
            const jobId = name('st');
            await create(jobId, ts.map(thingArn), { schedulingConfig: { startTime: scheduleTime(start) }, jobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
            const scheduled = async (step) => {
                const j = await job(jobId);
                assert.equal(j.status, 'SCHEDULED', step);
                assert.equal(j.isConcurrent, false, step);
                assert.equal(await count(jobId), 0, step);
                for (const t of ts)
                    assert.deepEqual((await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t }))).queuedJobs, [], `${step}: ${t}`);
            };
            await scheduled('at CreateJob');
            await tick(39 * 60);
            await scheduled('at startTime - 1 min');
            assert.ok((await s.iot.send(new ListJobsCommand({ status: 'SCHEDULED' }))).jobs.some((x) => x.jobId === jobId));
            await tick(59.999);
            await scheduled('at startTime - 1 ms');
            for (const d of ds)
                assert.equal(d.on(`${d.prefix}/notify-next`).length, 0, `${d.thing} heard nothing while SCHEDULED`);
            await tick(0.001);
            const j = await job(jobId);
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.isConcurrent, true);
            const first = await executedThings(s.iot, jobId);
            assert.equal(first.size, 2, 'the first minute\'s worth at startTime');
            for (const d of ds.filter((x) => first.has(x.thing)))
                await d.waitFor((m) => m.topic === `${d.prefix}/notify-next` && m.body.execution?.jobId === jobId, 5000, 'notify-next at start');
            const e = await status(jobId, [...first][0]);
            assert.equal(e.queuedAt.getTime(), start, 'queued at startTime');
            await tick(60);
            assert.equal(await count(jobId), 3);
            assert.equal((await job(jobId)).isConcurrent, false);
            assert.ok(!(await s.iot.send(new ListJobsCommand({ status: 'SCHEDULED' }))).jobs.some((x) => x.jobId === jobId));
        });
        test('a SCHEDULED job canceled before its start never starts', async () => {
            const ts = await things('cs', 2);
            const T = await alignMinute(s.url);
            const jobId = name('cs');
            await create(jobId, ts.map(thingArn), { schedulingConfig: { startTime: scheduleTime(T + 30 * MIN) } });
            await s.iot.send(new CancelJobCommand({ jobId }));
            await tick(40 * 60);
            const j = await job(jobId);
            assert.equal(j.status, 'CANCELED');
            assert.equal(await count(jobId), 0);
        });
        test('endTime stops the rollout; STOP_ROLLOUT leaves the executions, CANCEL cancels the QUEUED, FORCE_CANCEL the IN_PROGRESS too', async () => {
            // 35 things at 1/min: about 30 have executions at endTime, 5 never get one.
            const { ts, arn } = await group('end', 35);
            const T = await alignMinute(s.url);
            const end = T + 30 * MIN;
            const ids = { STOP_ROLLOUT: name('end-stop'), CANCEL: name('end-cancel'), FORCE_CANCEL: name('end-force') };
            for (const [endBehavior, jobId] of Object.entries(ids))
                await create(jobId, [arn], { jobExecutionsRolloutConfig: { maximumPerMinute: 1 }, schedulingConfig: { endTime: scheduleTime(end), endBehavior: endBehavior } });
            const roles = new Map();
            for (const jobId of Object.values(ids)) {
                const [a, b] = [...(await executedThings(s.iot, jobId))];
                assert.ok(a && !b, 'one execution at CreateJob');
                await s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: a, status: 'IN_PROGRESS' }));
                roles.set(jobId, { running: a, done: '' });
            }
            await tick(29 * 60);
            for (const jobId of Object.values(ids)) {
                assert.equal(await count(jobId), 30, `${jobId}: 30 executions one minute before the end`);
                const q = (await executions(s.iot, jobId)).find((e) => e.status === 'QUEUED');
                await s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: q.thing, status: 'SUCCEEDED' }));
                roles.get(jobId).done = q.thing;
            }
            await tick(60); // endTime
            const atEnd = new Map();
            for (const jobId of Object.values(ids))
                atEnd.set(jobId, await count(jobId));
            await tick(30 * 60);
            for (const jobId of Object.values(ids)) {
                const n = await count(jobId);
                assert.ok(n === 30 || n === 31, `${jobId}: ${n} executions`);
                assert.equal(n, atEnd.get(jobId), `${jobId}: nothing created after endTime`);
                assert.ok(ts.length - n >= 4, 'some things never got an execution');
            }
            // STOP_ROLLOUT: QUEUED stay QUEUED and can still run; IN_PROGRESS continues.
            const stop = ids.STOP_ROLLOUT;
            const sj = await job(stop);
            assert.equal(sj.isConcurrent, false);
            assert.equal(sj.jobProcessDetails?.processingTargets, undefined);
            assert.equal(sj.status, 'IN_PROGRESS', 'executions remain to be done');
            assert.equal((await status(stop, roles.get(stop).running)).status, 'IN_PROGRESS');
            const queued = (await executions(s.iot, stop)).filter((e) => e.status === 'QUEUED');
            assert.equal(queued.length, atEnd.get(stop) - 2);
            for (const e of queued)
                await s.data.send(new UpdateJobExecutionCommand({ jobId: stop, thingName: e.thing, status: 'SUCCEEDED' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: stop, thingName: roles.get(stop).running, status: 'SUCCEEDED' }));
            assert.equal((await job(stop)).status, 'COMPLETED', 'all executions of a stopped rollout terminal');
            // CANCEL: QUEUED → CANCELED; IN_PROGRESS continues and may finish.
            const cancel = ids.CANCEL;
            await eventually(async () => (await job(cancel)).jobProcessDetails?.numberOfQueuedThings === 0 || undefined, 10_000, 'CANCEL: the QUEUED canceled');
            const cj = await job(cancel);
            assert.equal(cj.jobProcessDetails?.numberOfCanceledThings, atEnd.get(cancel) - 2);
            assert.equal(cj.jobProcessDetails?.numberOfInProgressThings, 1);
            assert.equal(cj.jobProcessDetails?.numberOfSucceededThings, 1);
            assert.equal((await status(cancel, roles.get(cancel).running)).status, 'IN_PROGRESS');
            // compatibility.md (pace): CANCELED, not forced, an automated comment and no reasonCode.
            assert.equal(cj.status, 'CANCELED');
            assert.equal(cj.forceCanceled, false);
            assert.equal(cj.comment, 'Job canceled at schedulingConfig.endTime (endBehavior CANCEL)');
            assert.equal(cj.reasonCode, undefined);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: cancel, thingName: roles.get(cancel).running, status: 'SUCCEEDED' }));
            assert.equal((await status(cancel, roles.get(cancel).running)).status, 'SUCCEEDED');
            // FORCE_CANCEL: IN_PROGRESS canceled too, with forceCanceled.
            const force = ids.FORCE_CANCEL;
            await eventually(async () => {
                const d = (await job(force)).jobProcessDetails;
                return (d?.numberOfQueuedThings === 0 && d.numberOfInProgressThings === 0) || undefined;
            }, 10_000, 'FORCE_CANCEL: QUEUED and IN_PROGRESS canceled');
            const fj = await job(force);
            assert.equal(fj.jobProcessDetails?.numberOfCanceledThings, atEnd.get(force) - 1);
            const fe = await status(force, roles.get(force).running);
            assert.equal(fe.status, 'CANCELED');
            assert.equal(fe.forceCanceled, true);
            assert.equal((await status(force, roles.get(force).done)).status, 'SUCCEEDED');
            assert.equal(fj.status, 'CANCELED');
            assert.equal(fj.forceCanceled, true);
            assert.equal(fj.comment, 'Job canceled at schedulingConfig.endTime (endBehavior FORCE_CANCEL)');
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: force, thingName: roles.get(force).running, status: 'SUCCEEDED' })), 'InvalidStateTransitionException', 409);
        });
        test('a job whose window never opens before its endTime ends without rolling out: COMPLETED with STOP_ROLLOUT, CANCELED with CANCEL', async () => {
            const ts = await things('ne', 2);
            const T = await alignMinute(s.url);
            const windows = [{ startTime: daily(T + 3 * HOUR), durationInMinutes: 30 }];
            const stop = name('ne-stop');
            const cancel = name('ne-cancel');
            await create(stop, ts.map(thingArn), { schedulingConfig: { endTime: scheduleTime(T + HOUR), maintenanceWindows: windows } });
            await create(cancel, ts.map(thingArn), { schedulingConfig: { endTime: scheduleTime(T + HOUR), endBehavior: 'CANCEL', maintenanceWindows: windows } });
            assert.equal((await job(stop)).status, 'SCHEDULED');
            await tick(59 * 60);
            assert.equal((await job(stop)).status, 'SCHEDULED');
            await tick(60);
            assert.equal((await job(stop)).status, 'COMPLETED');
            assert.equal((await job(cancel)).status, 'CANCELED');
            await tick(3 * 3600);
            assert.equal(await count(stop), 0, 'the window after the end creates nothing');
            assert.equal(await count(cancel), 0);
        });
        test('a maintenance window opens and closes: executions only inside it, at the rate, none between windows, no catch-up at the next', async () => {
            const { ts, arn } = await group('mw', 20);
            for (const t of ts.slice(0, 3))
                devices.push(await Device.connect(s.app.mqttUrl, t));
            const T = await alignMinute(s.url);
            const open = T + HOUR;
            const jobId = name('mw');
            await create(jobId, [arn], { jobExecutionsRolloutConfig: { maximumPerMinute: 1 }, schedulingConfig: { maintenanceWindows: [{ startTime: daily(open), durationInMinutes: 5 }] } });
            const j0 = await job(jobId);
            assert.equal(j0.status, 'SCHEDULED');
            assert.deepEqual(j0.scheduledJobRollouts?.[0], { startTime: scheduleTime(open) });
            await tick(59 * 60);
            assert.equal(await count(jobId), 0, 'closed: nothing');
            assert.equal((await job(jobId)).isConcurrent, false);
            for (const d of devices.slice(-3))
                assert.equal(d.on(`${d.prefix}/notify-next`).length, 0, `${d.thing}: nothing before the window`);
            const samples = [{ t: T + 59 * MIN, n: 0 }];
            for (let m = 0; m <= 8; m++)
                samples.push({ t: await tick(60), n: await count(jobId) });
            // Samples at open, open+1 … open+8 min; the window is [open, open+5 min).
            // compatibility.md (pace): each opening gives one minute's worth at once, then the pace.
            const shown = JSON.stringify(samples.map((x) => [(x.t - open) / MIN, x.n]));
            assert.deepEqual(samples.slice(1, 6).map((x) => x.n), [1, 2, 3, 4, 5], `one at the opening, then one a minute: ${shown}`);
            const atClose = samples.find((x) => x.t === open + 5 * MIN).n;
            assert.ok(atClose === 5 || atClose === 6, `at the close: ${shown}`);
            assert.equal(samples.at(-1).n, atClose, 'nothing after the window closed');
            assert.ok(maxPerMinute(samples) <= 1, JSON.stringify(samples));
            const between = await job(jobId);
            // compatibility.md (pace): IN_PROGRESS between windows once the first opened, concurrent while targets are left.
            assert.equal(between.status, 'IN_PROGRESS');
            assert.equal(between.isConcurrent, true);
            assert.deepEqual(between.scheduledJobRollouts?.[0], { startTime: scheduleTime(open + DAY) }, 'the next window start');
            // The next day's window: the rollout resumes at 1/min, without making up for the day.
            await setClock(s.url, open + DAY - MIN);
            assert.equal(await count(jobId), atClose, 'nothing through the closed day');
            const next = [{ t: open + DAY - MIN, n: atClose }];
            for (let m = 0; m < 3; m++)
                next.push({ t: await tick(60), n: await count(jobId) });
            assert.ok(maxPerMinute(next, atClose) <= 1, `no catch-up: ${JSON.stringify(next.map((x) => [(x.t - open - DAY) / MIN, x.n]))}`);
            assert.deepEqual(next.slice(1).map((x) => x.n - atClose), [1, 2, 3], 'the next window: one at the opening, then one a minute');
        });
    });
}
//# sourceMappingURL=scheduling.test.js.map