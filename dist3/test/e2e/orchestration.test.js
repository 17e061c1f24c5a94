import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobExecutionsForJobCommand, ListJobsCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, MOSQUITTO_URL, eventually, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { ManualClock } from '../../src/clock.js';
import { formatScheduleTime } from '../../src/domain/schedule.js';
/**
 * The orchestration configs end to end through the AWS SDK: validation against the clock,
 * SCHEDULED jobs, maintenance-window listings and the abort criteria, with devices on MQTT.
 * Time comes from a manual clock handed to the server.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// The manual clock starts at the wall clock's minute: clients sign requests with the wall clock.
const T0 = Math.floor(Date.now() / MIN) * MIN;
const at = (mins) => formatScheduleTime(T0 + mins * MIN);
const years = (n) => {
    const d = new Date(T0);
    d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.getTime();
};
/** An EventBridge cron for a time's minute and hour, every day, or on its weekday (1-7 = SUN-SAT). */
const daily = (t) => `cron(${new Date(t).getUTCMinutes()} ${new Date(t).getUTCHours()} * * ? *)`;
const weekly = (t) => `cron(${new Date(t).getUTCMinutes()} ${new Date(t).getUTCHours()} ? * ${new Date(t).getUTCDay() + 1} *)`;
for (const backend of BACKENDS) {
    describe(`orchestration configs [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        const clock = new ManualClock(T0);
        let s;
        const things = async (prefix, n) => {
            const out = [];
            for (let i = 0; i < n; i++) {
                const t = name(`${prefix}${i}`);
                await s.iot.send(new CreateThingCommand({ thingName: t }));
                out.push(t);
            }
            return out;
        };
        const create = (jobId, targets, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets: targets.map(thingArn), document: '{"op":"x"}', ...extra }));
        const job = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job;
        const update = (jobId, thingName, status) => s.data.send(new UpdateJobExecutionCommand({ jobId, thingName, status }));
        before(async () => {
            s = await startServer(backend, {}, { clock });
        });
        after(async () => {
            await s.close();
        });
        test('bad configs get 400 InvalidRequestException naming the field and the rule; nothing is created', async () => {
            const [t] = await things('v', 1);
            const bad = [
                [{ jobExecutionsRolloutConfig: { maximumPerMinute: 1001 } }, /maximumPerMinute must be between 1 and 1000/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 5.5, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } } }, /incrementFactor/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 1.55, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } } }, /one digit after the decimal/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1001, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } } }, /baseRatePerMinute/],
                [{ jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 2, rateIncreaseCriteria: {} } } }, /rateIncreaseCriteria must set/],
                [{ abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 100.5, minNumberOfExecutedThings: 1 }] } }, /thresholdPercentage/],
                [{ schedulingConfig: { startTime: at(29) } }, /startTime must be at least 30 minutes from the current time/],
                [{ schedulingConfig: { startTime: formatScheduleTime(years(1) + MIN) } }, /startTime can be at most one year/],
                [{ schedulingConfig: { startTime: at(60).replace('T', ' ') } }, /startTime \S+ \S+ is not a UTC time in the format YYYY-MM-DDTHH:MM/],
                [{ schedulingConfig: { endTime: at(20) } }, /endTime must be at least 30 minutes from the current time/],
                [{ schedulingConfig: { endTime: formatScheduleTime(years(2) + MIN) } }, /endTime can be at most two years from the current time/],
                [{ schedulingConfig: { startTime: at(60), endTime: at(80) } }, /endTime must be at least 30 minutes after startTime/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 10 * * *)', durationInMinutes: 60 }] } }, /maintenanceWindows\[0\]\.startTime.*six fields/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 10 * * 1 *)', durationInMinutes: 60 }] } }, /exactly one of day-of-month and day-of-week must be \?/],
                [{ schedulingConfig: { maintenanceWindows: [{ startTime: 'cron(0 10 * * ? *)', durationInMinutes: 1431 }] } }, /durationInMinutes/],
            ];
            for (const [i, [extra, message]] of bad.entries()) {
                await rejectsWith(create(name(`bad${i}`), [t], extra), 'InvalidRequestException', 400, message);
                await rejectsWith(s.iot.send(new DescribeJobCommand({ jobId: name(`bad${i}`) })), 'ResourceNotFoundException', 404);
            }
            await create(name('good'), [t], { jobExecutionsRolloutConfig: { maximumPerMinute: 1000 }, schedulingConfig: { endTime: at(30) } });
            await rejectsWith(s.iot.send(new UpdateJobCommand({ jobId: name('good'), jobExecutionsRolloutConfig: { maximumPerMinute: 0 } })), 'InvalidRequestException', 400);
            await rejectsWith(s.iot.send(new UpdateJobCommand({ jobId: name('good'), abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 10.555, minNumberOfExecutedThings: 1 }] } })), 'InvalidRequestException', 400, /two digits/);
            assert.equal((await job(name('good'))).jobExecutionsRolloutConfig?.maximumPerMinute, 1000, 'a rejected update changes nothing');
        });
        test('a future startTime makes the job SCHEDULED: not concurrent, nothing rolled out, devices see nothing; ListJobs finds it', async () => {
            const ts = await things('sch', 2);
            const jobId = name('sched');
            await create(jobId, ts, { schedulingConfig: { startTime: at(60), endTime: at(120), endBehavior: 'CANCEL' } });
            const j = await job(jobId);
            assert.equal(j.status, 'SCHEDULED');
            assert.equal(j.isConcurrent, false);
            assert.equal(j.jobProcessDetails?.processingTargets, undefined);
            assert.equal(j.jobProcessDetails?.numberOfQueuedThings, 0);
            assert.deepEqual(j.schedulingConfig, { startTime: at(60), endTime: at(120), endBehavior: 'CANCEL' });
            assert.deepEqual((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }))).executionSummaries, []);
            const pending = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: ts[0] }));
            assert.deepEqual([pending.queuedJobs, pending.inProgressJobs], [[], []]);
            const listed = await s.iot.send(new ListJobsCommand({ status: 'SCHEDULED' }));
            assert.ok(listed.jobs.some((x) => x.jobId === jobId && x.status === 'SCHEDULED' && x.isConcurrent === false));
            assert.ok(!(await s.iot.send(new ListJobsCommand({ status: 'IN_PROGRESS' }))).jobs.some((x) => x.jobId === jobId));
            // DeleteJob without force: 409, as for IN_PROGRESS.
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId })), 'InvalidStateTransitionException', 409);
            // CancelJob: CANCELED with nothing rolled out.
            await s.iot.send(new CancelJobCommand({ jobId, comment: 'not needed' }));
            const c = await job(jobId);
            assert.equal(c.status, 'CANCELED');
            assert.equal(c.comment, 'not needed');
            assert.equal(c.jobProcessDetails?.numberOfCanceledThings, 0);
            assert.deepEqual((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }))).executionSummaries, []);
            // DeleteJob with force on a second SCHEDULED job removes it.
            await create(name('sched2'), ts, { schedulingConfig: { startTime: at(45) } });
            await s.iot.send(new DeleteJobCommand({ jobId: name('sched2'), force: true }));
            await eventually(async () => {
                try {
                    await job(name('sched2'));
                    return false;
                }
                catch (err) {
                    return err.name === 'ResourceNotFoundException';
                }
            }, 10_000, 'the scheduled job to be deleted');
        });
        test('maintenance windows: outside a window the job is SCHEDULED; scheduledJobRollouts lists the next seven starts', async () => {
            const ts = await things('mw', 1);
            const jobId = name('windows');
            // Daily three hours from now, and weekly (this weekday) five hours from now.
            const windows = [
                { startTime: daily(T0 + 3 * HOUR), durationInMinutes: 60 },
                { startTime: weekly(T0 + 5 * HOUR), durationInMinutes: 30 },
            ];
            await create(jobId, ts, { schedulingConfig: { maintenanceWindows: windows } });
            const j = await job(jobId);
            assert.equal(j.status, 'SCHEDULED');
            const expected = [T0 + 3 * HOUR, T0 + 5 * HOUR, ...[1, 2, 3, 4, 5].map((d) => T0 + 3 * HOUR + d * DAY)];
            assert.deepEqual(j.scheduledJobRollouts, expected.map((t) => ({ startTime: formatScheduleTime(t) })));
            // Created inside a window: IN_PROGRESS and rolled out at once (windows gate, they do not delay).
            const inside = name('inside');
            await create(inside, ts, { schedulingConfig: { maintenanceWindows: [{ startTime: daily(T0 - 30 * MIN), durationInMinutes: 90 }] } });
            assert.equal((await job(inside)).status, 'IN_PROGRESS');
            assert.equal((await job(inside)).jobProcessDetails?.numberOfQueuedThings, 1);
        });
        test('abort: none before the minimum, none below the threshold, then at it; QUEUED canceled, IN_PROGRESS left', async () => {
            const ts = await things('ab', 12);
            const jobId = name('abort');
            await create(jobId, ts, {
                abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 60, minNumberOfExecutedThings: 6 }] },
            });
            for (const t of ts.slice(0, 3))
                await update(jobId, t, 'FAILED');
            assert.equal((await job(jobId)).status, 'IN_PROGRESS', '3 of 3 failed, but fewer than 6 completed');
            for (const t of ts.slice(3, 6))
                await update(jobId, t, 'SUCCEEDED');
            assert.equal((await job(jobId)).status, 'IN_PROGRESS', 'C=6, F=3: 50% < 60%');
            await update(jobId, ts[6], 'REJECTED');
            await update(jobId, ts[7], 'IN_PROGRESS');
            await update(jobId, ts[8], 'FAILED');
            await update(jobId, ts[9], 'FAILED');
            // C=9 (a REJECTED counts as completed, not as FAILED), F=5: 55.56%.
            assert.equal((await job(jobId)).status, 'IN_PROGRESS', 'below the threshold');
            await update(jobId, ts[10], 'FAILED'); // C=10, F=6: 60%.
            const j = await job(jobId);
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.forceCanceled, false);
            assert.equal(j.reasonCode, 'AUTOMATED_ABORT_FAILED');
            assert.equal(j.comment, 'Job aborted automatically by abortConfig.criteriaList[0]: 6 of 10 completed executions are FAILED (threshold 60% after at least 6 completed)');
            await eventually(async () => {
                const d = (await job(jobId)).jobProcessDetails;
                return d.numberOfQueuedThings === 0 && d.numberOfCanceledThings === 1 && (await job(jobId)).isConcurrent === false;
            }, 10_000, 'the QUEUED execution to be canceled');
            const e11 = (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: ts[11] }))).execution;
            assert.equal(e11.status, 'CANCELED');
            const e7 = (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: ts[7] }))).execution;
            assert.equal(e7.status, 'IN_PROGRESS', 'an abort leaves IN_PROGRESS executions alone');
            // The IN_PROGRESS one may still finish, and a later failure does not abort again.
            await update(jobId, ts[7], 'FAILED');
            const after = await job(jobId);
            assert.equal(after.status, 'CANCELED');
            assert.equal(after.reasonCode, 'AUTOMATED_ABORT_FAILED');
        });
        test('UpdateJob with abort criteria already met aborts the job', async () => {
            const ts = await things('up', 3);
            const jobId = name('upd');
            await create(jobId, ts);
            await update(jobId, ts[0], 'REJECTED');
            assert.equal((await job(jobId)).status, 'IN_PROGRESS');
            await s.iot.send(new UpdateJobCommand({ jobId, abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 1 }] } }));
            const j = await job(jobId);
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.reasonCode, 'AUTOMATED_ABORT_ALL');
            await eventually(async () => (await job(jobId)).jobProcessDetails.numberOfCanceledThings === 2, 10_000, 'the two QUEUED to be canceled');
        });
        test('an abort and a forced CancelJob over several worker batches cancel every QUEUED one, once', async () => {
            const n = 12_000;
            const group = name('big');
            const now = clock.now();
            await s.app.store.db
                .insertInto('thing_groups')
                .values({ group_name: group, group_id: `${group}-id`, parent_group_name: null, description: null, attributes: '{}', version: 1, created_at: now })
                .execute();
            const members = Array.from({ length: n }, (_, i) => `${group}-${String(i).padStart(6, '0')}`);
            for (let i = 0; i < n; i += 1000)
                await s.app.store.tx(async (db) => {
                    const rows = members.slice(i, i + 1000);
                    await db.insertInto('things').values(rows.map((t) => ({ thing_name: t, thing_id: t, thing_type_name: null, attributes: '{}', version: 1, created_at: now }))).execute();
                    await db.insertInto('group_members').values(rows.map((t) => ({ group_name: group, thing_name: t }))).execute();
                });
            const groupTarget = `arn:aws:iot:us-east-1:000000000000:thinggroup/${group}`;
            const abortConfig = { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 1 }] };
            for (const jobId of [name('bigabort'), name('bigcancel')]) {
                await s.iot.send(new CreateJobCommand({ jobId, targets: [groupTarget], document: '{}', abortConfig }));
                await eventually(async () => !(await job(jobId)).isConcurrent, 60_000, 'fan-out');
            }
            const running = [members[5], members[4321], members[11_999]];
            for (const t of running)
                await update(name('bigabort'), t, 'IN_PROGRESS');
            await update(name('bigabort'), members[7000], 'FAILED');
            await eventually(async () => !(await job(name('bigabort'))).isConcurrent, 60_000, 'the abort to finish');
            const d = (await job(name('bigabort'))).jobProcessDetails;
            assert.deepEqual([d.numberOfQueuedThings, d.numberOfInProgressThings, d.numberOfFailedThings, d.numberOfCanceledThings], [0, 3, 1, n - 4]);
            const queued = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: name('bigabort'), status: 'QUEUED' }));
            assert.deepEqual(queued.executionSummaries, []);
            for (const t of running)
                assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('bigabort'), thingName: t }))).execution?.status, 'IN_PROGRESS');
            for (const t of running)
                await update(name('bigcancel'), t, 'IN_PROGRESS');
            await s.iot.send(new CancelJobCommand({ jobId: name('bigcancel'), force: true }));
            await eventually(async () => !(await job(name('bigcancel'))).isConcurrent, 60_000, 'the cancel to finish');
            const c = (await job(name('bigcancel'))).jobProcessDetails;
            assert.deepEqual([c.numberOfQueuedThings, c.numberOfInProgressThings, c.numberOfCanceledThings], [0, 0, n]);
        });
        if (backend === 'postgres')
            test('race: 60 devices ending at once on PostgreSQL abort the job exactly once, counters match the executions', async () => {
                const ts = await things('race', 60);
                const jobId = name('race');
                await create(jobId, ts, {
                    abortConfig: { criteriaList: [{ failureType: 'ALL', action: 'CANCEL', thresholdPercentage: 30, minNumberOfExecutedThings: 20 }] },
                });
                // Two of three fail: the abort must happen once about 20 have ended, while others are in flight.
                const results = await Promise.allSettled(ts.map((t, i) => update(jobId, t, i % 3 === 0 ? 'SUCCEEDED' : 'FAILED')));
                for (const r of results)
                    if (r.status === 'rejected')
                        assert.match(String(r.reason), /InvalidStateTransition|terminal|CANCELED/i);
                const j = await job(jobId);
                assert.equal(j.status, 'CANCELED');
                assert.equal(j.reasonCode, 'AUTOMATED_ABORT_ALL');
                await eventually(async () => (await job(jobId)).isConcurrent === false, 10_000, 'the cancel to finish');
                const all = (await s.iot.send(new ListJobExecutionsForJobCommand({ jobId, maxResults: 100 }))).executionSummaries;
                const by = (st) => all.filter((e) => e.jobExecutionSummary?.status === st).length;
                const d = (await job(jobId)).jobProcessDetails;
                assert.equal(all.length, 60);
                assert.deepEqual([d.numberOfSucceededThings, d.numberOfFailedThings, d.numberOfCanceledThings, d.numberOfQueuedThings], [by('SUCCEEDED'), by('FAILED'), by('CANCELED'), 0]);
                assert.ok(d.numberOfSucceededThings + d.numberOfFailedThings >= 20);
            });
    });
    for (const broker of ['embedded', 'external'])
        describe(`abort notifies devices [${backend}, ${broker} broker]`, () => {
            const run = randomBytes(3).toString('hex');
            let s;
            const devices = [];
            before(async () => {
                s = await startServer(backend, broker === 'embedded' ? { mqttPort: 0 } : { mqttUrl: MOSQUITTO_URL }, { clock: new ManualClock(T0) });
            });
            after(async () => {
                for (const d of devices)
                    await d.close().catch(() => { });
                await s.close();
            });
            test('the device of a canceled QUEUED execution gets notify and notify-next without it', async () => {
                const a = `abn-a-${run}`;
                const b = `abn-b-${run}`;
                for (const t of [a, b])
                    await s.iot.send(new CreateThingCommand({ thingName: t }));
                const db = await Device.connect(s.app.mqttUrl, b);
                devices.push(db);
                const jobId = `abn-${run}`;
                await s.iot.send(new CreateJobCommand({
                    jobId,
                    targets: [thingArn(a), thingArn(b)],
                    document: '{"op":"x"}',
                    abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 1 }] },
                }));
                await db.waitFor((m) => m.topic === `${db.prefix}/notify-next` && m.body.execution?.jobId === jobId, 5000, 'notify-next of the job');
                const mark = db.mark();
                await s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: a, status: 'FAILED' }));
                const next = await db.waitFor((m) => m.topic === `${db.prefix}/notify-next` && m.i >= mark, 10_000, 'notify-next after the abort');
                assert.equal(next.body.execution, undefined, 'nothing pending any more');
                const list = await db.waitFor((m) => m.topic === `${db.prefix}/notify` && m.i >= mark, 5000, 'notify after the abort');
                assert.deepEqual(list.body.jobs, {});
                assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: b }))).execution?.status, 'CANCELED');
            });
        });
}
//# sourceMappingURL=orchestration.test.js.map