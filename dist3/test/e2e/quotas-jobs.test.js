import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, DescribeJobCommand, ListJobsCommand } from '@aws-sdk/client-iot';
import { BACKENDS, startServer, thingArn } from '../support/harness.js';
import { GetPendingJobExecutionsCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { awsProfile } from '../../src/quotas/profile.js';
import { MIN, advance, alignMinute, makeThings, scheduleTime } from '../support/rollout.js';
/**
 * AWS's job quotas under `--quotas FILE` on the manual clock: a concurrent jobs limit of 1 (a job
 * counts while it rolls out: isConcurrent), the SCHEDULED job that starts while the account is at
 * that limit becomes CANCELED, one that starts below it runs; the active jobs limit per kind.
 */
const run = randomBytes(3).toString('hex');
for (const backend of BACKENDS) {
    describe(`job quotas [${backend}]`, () => {
        const name = (n) => `quotas-${n}-${run}`;
        let s;
        const create = (jobId, targets, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets, document: '{"op":"fw"}', ...extra }));
        const job = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job;
        before(async () => {
            s = await startServer(backend, {
                clock: 'manual',
                quotas: { rates: {}, jobs: { concurrentJobs: { limit: 1 }, activeContinuousJobs: { limit: 2 } } },
            });
        });
        after(() => s?.close());
        test('at the concurrent limit: CreateJob 410, a SCHEDULED job starting is CANCELED; below it, one starts', async () => {
            const T = await alignMinute(s.url);
            // 40 things at 1 a minute: job A rolls out (isConcurrent) for 40 minutes.
            const things = await makeThings(s.iot, name, 'c', 40);
            const A = name('A');
            await create(A, things.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
            assert.equal((await job(A)).isConcurrent, true);
            await rejectsWith(create(name('C'), [thingArn(things[0])]), 'LimitExceededException', 410, /limit of 1 concurrent jobs/);
            // A SCHEDULED job is not concurrent: it is created, and waits.
            const B = name('B');
            await create(B, [thingArn(things[0])], { schedulingConfig: { startTime: scheduleTime(T + 30 * MIN) } });
            const D = name('D');
            await create(D, [thingArn(things[1])], { schedulingConfig: { startTime: scheduleTime(T + 50 * MIN) } });
            assert.deepEqual([(await job(B)).status, (await job(B)).isConcurrent], ['SCHEDULED', false]);
            await advance(s.url, 31 * 60);
            const b = await job(B);
            assert.equal(b.status, 'CANCELED', 'B started while A was still rolling out');
            assert.match(b.comment ?? '', /limit of 1 concurrent jobs/);
            assert.equal(b.isConcurrent, false);
            assert.equal(b.jobProcessDetails?.numberOfQueuedThings ?? 0, 0);
            const a = await job(A);
            assert.deepEqual([a.status, a.isConcurrent], ['IN_PROGRESS', true]);
            const canceled = await s.iot.send(new ListJobsCommand({ status: 'CANCELED' }));
            assert.ok(canceled.jobs.some((j) => j.jobId === B));
            // A releases its last thing at T+39; D starts at T+50 below the limit.
            await advance(s.url, 20 * 60);
            assert.equal((await job(A)).isConcurrent, false);
            const d = await job(D);
            assert.equal(d.status, 'IN_PROGRESS');
            assert.equal(d.jobProcessDetails?.numberOfQueuedThings, 1);
        });
        test('active CONTINUOUS jobs: the third gets LimitExceededException (410); SNAPSHOT ones are counted apart', async () => {
            const [t] = await makeThings(s.iot, name, 'act', 1);
            await create(name('E'), [thingArn(t)], { targetSelection: 'CONTINUOUS' });
            await create(name('F'), [thingArn(t)], { targetSelection: 'CONTINUOUS' });
            await rejectsWith(create(name('G'), [thingArn(t)], { targetSelection: 'CONTINUOUS' }), 'LimitExceededException', 410, /limit of 2 active continuous jobs/);
            await create(name('H'), [thingArn(t)]);
            assert.equal((await job(name('H'))).status, 'IN_PROGRESS');
        });
    });
}
for (const backend of BACKENDS) {
    describe(`pending lists with the aws profile's job quotas [${backend}]`, () => {
        const name = (n) => `quotas-pl-${n}-${run}`;
        const daily = (t) => `cron(${new Date(t).getUTCMinutes()} ${new Date(t).getUTCHours()} * * ? *)`;
        let s;
        const create = (jobId, thing, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"op":"fw"}', ...extra }));
        const pending = async (thingName) => {
            const r = await s.data.send(new GetPendingJobExecutionsCommand({ thingName }));
            return r.queuedJobs.length + r.inProgressJobs.length;
        };
        before(async () => {
            // The job quotas of the aws profile; its request rates (CreateJob 10/s) would slow the setup down.
            s = await startServer(backend, { clock: 'manual', mqttPort: 0, quotas: { rates: {}, jobs: awsProfile().jobs } });
        });
        after(() => s?.close());
        test('10 without a scheduling configuration, 15 with one; at most 5 in notify while a window is open', async () => {
            const T = await alignMinute(s.url);
            const [plain, sched, win] = await makeThings(s.iot, name, 't', 3);
            for (let i = 0; i < 12; i++)
                await create(name(`p${i}`), plain);
            assert.equal(await pending(plain), 10);
            for (let i = 0; i < 11; i++)
                await create(name(`s${i}`), sched);
            // An end time is a scheduling configuration; the job runs at once.
            await create(name('s-end'), sched, { schedulingConfig: { endTime: scheduleTime(T + 120 * MIN) } });
            assert.equal(await pending(sched), 12);
            for (let i = 0; i < 5; i++)
                await create(name(`s-more${i}`), sched);
            assert.equal(await pending(sched), 15);
            for (let i = 0; i < 7; i++)
                await create(name(`w${i}`), win);
            const device = await Device.connect(s.app.mqttUrl, win);
            try {
                await create(name('w-window'), win, { schedulingConfig: { maintenanceWindows: [{ startTime: daily(T + 40 * MIN), durationInMinutes: 60 }] } });
                const mark = device.mark();
                await advance(s.url, 41 * 60);
                // The window opened: the job's execution is queued, and notify lists 5 of the 8.
                const notify = await device.nextOn(`${device.prefix}/notify`, mark);
                const jobs = notify.body.jobs;
                assert.equal((jobs.QUEUED ?? []).length + (jobs.IN_PROGRESS ?? []).length, 5, JSON.stringify(notify.body));
                assert.equal(await pending(win), 8, 'GetPendingJobExecutions is not a ListNotification: up to 15');
            }
            finally {
                await device.close();
            }
        });
        test('a job document holds at most 10 substitution placeholders (400 beyond)', async () => {
            const [t] = await makeThings(s.iot, name, 'doc', 1);
            const doc = (n) => JSON.stringify({ files: Array.from({ length: n }, (_, i) => `\${aws:iot:s3-presigned-url:https://s3.us-east-1.amazonaws.com/quotas-bucket/f${i}}`) });
            await rejectsWith(create(name('doc11'), t, { document: doc(11) }), 'InvalidRequestException', 400, /11 substitution placeholders; at most 10/);
            await create(name('doc10'), t, { document: doc(10) });
        });
    });
}
//# sourceMappingURL=quotas-jobs.test.js.map