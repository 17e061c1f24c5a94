/**
 * A worker's cancel leaves the canceled rows in the pending index (only the rows are rewritten)
 * and a sweep drops them after it. Meanwhile devices must see exactly what they would otherwise:
 * the pending queries test the status as well as the flag.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { INLINE_BATCH } from '../../src/operations/jobs.js';
import { getJob } from '../../src/store/job-rows.js';
import { cancelStep, sweepStep } from '../../src/store/steps/cancel.js';
/** Executions listed in the pending index that are not pending (what a sweep is owed). */
const unswept = async (s, jobId) => {
    let q = s.app.store.db.selectFrom('job_executions').select(sql `count(*)`.as('n')).where('listed', '=', 1).where('status', 'not in', ['QUEUED', 'IN_PROGRESS']);
    if (jobId)
        q = q.where('job_id', '=', jobId);
    return Number((await q.executeTakeFirstOrThrow()).n);
};
const pendingIds = async (s, thingName) => {
    const r = await s.data.send(new GetPendingJobExecutionsCommand({ thingName }));
    return { queued: (r.queuedJobs ?? []).map((j) => j.jobId), inProgress: (r.inProgressJobs ?? []).map((j) => j.jobId) };
};
for (const backend of BACKENDS) {
    describe(`the pending index after a cancel (${backend})`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('between a cancel step and its sweep, devices do not see the canceled executions, and the sweep unlists them', async () => {
            const things = ['sw-a', 'sw-b', 'sw-c'];
            for (const thingName of things)
                await s.iot.send(new CreateThingCommand({ thingName }));
            await s.iot.send(new CreateJobCommand({ jobId: 'sw-mid', targets: things.map(thingArn), document: '{}' }));
            await s.iot.send(new CreateJobCommand({ jobId: 'sw-other', targets: [thingArn('sw-a')], document: '{}' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'sw-mid', thingName: 'sw-b', status: 'IN_PROGRESS' }));
            // A forced cancel step of two things, as the worker runs it: the rows stay listed.
            await s.app.store.run(async (tx) => {
                const job = (await tx.lockJob('sw-mid'));
                const step = await cancelStep(tx, { ...job, force_canceled: 1, work_cursor: null }, Date.now(), 2, { unlist: false });
                assert.deepEqual(step.things.sort(), ['sw-a', 'sw-b']);
                assert.equal(step.done, false);
            });
            assert.equal(await unswept(s, 'sw-mid'), 2);
            assert.deepEqual(await pendingIds(s, 'sw-a'), { queued: ['sw-other'], inProgress: [] });
            assert.deepEqual(await pendingIds(s, 'sw-b'), { queued: [], inProgress: [] });
            assert.deepEqual(await pendingIds(s, 'sw-c'), { queued: ['sw-mid'], inProgress: [] });
            const next = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'sw-b' }));
            assert.equal(next.execution, undefined);
            const a = (await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'sw-mid', thingName: 'sw-a' }))).execution;
            assert.equal(a.status, 'CANCELED');
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'sw-mid', thingName: 'sw-b', status: 'SUCCEEDED' })), 'InvalidStateTransitionException', 409);
            const counts = (await s.iot.send(new DescribeJobCommand({ jobId: 'sw-mid' }))).job.jobProcessDetails;
            assert.deepEqual([counts.numberOfCanceledThings, counts.numberOfQueuedThings, counts.numberOfInProgressThings], [2, 1, 0]);
            const swept = await s.app.store.run(async (tx) => sweepStep(tx, { ...(await tx.lockJob('sw-mid')), work_cursor: null }, Date.now(), 10));
            assert.deepEqual(swept, { n: 2, done: true });
            assert.equal(await unswept(s, 'sw-mid'), 0);
            assert.deepEqual(await pendingIds(s, 'sw-a'), { queued: ['sw-other'], inProgress: [] });
            assert.deepEqual(await pendingIds(s, 'sw-c'), { queued: ['sw-mid'], inProgress: [] });
        });
        test('a cancel past the inline batch: the worker cancels, then sweeps, and the index holds exactly the pending executions', async () => {
            // More members than CancelJob cancels inline, so that the worker does the rest; they go
            // straight into the database, as a fleet import would.
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'sw-fleet' }));
            const n = INLINE_BATCH + 700;
            const names = Array.from({ length: n }, (_, i) => `sw-fleet-${String(i).padStart(5, '0')}`);
            for (let i = 0; i < n; i += 500) {
                const chunk = names.slice(i, i + 500);
                await s.app.store.tx(async (db) => {
                    await db.insertInto('things').values(chunk.map((t) => ({ thing_name: t, thing_id: t, thing_type_name: null, attributes: '{}', version: 1, created_at: 0 }))).execute();
                    await db.insertInto('group_members').values(chunk.map((t) => ({ group_name: 'sw-fleet', thing_name: t }))).execute();
                });
            }
            const last = names.at(-1);
            await s.iot.send(new CreateJobCommand({ jobId: 'sw-keep', targets: [thingArn(last)], document: '{}' }));
            await s.iot.send(new CreateJobCommand({ jobId: 'sw-big', targets: [groupArn('sw-fleet')], document: '{}' }));
            await eventually(async () => !(await s.iot.send(new DescribeJobCommand({ jobId: 'sw-big' }))).job.isConcurrent, 30_000, 'the rollout');
            assert.deepEqual(await pendingIds(s, last), { queued: ['sw-keep', 'sw-big'], inProgress: [] });
            await s.iot.send(new CancelJobCommand({ jobId: 'sw-big' }));
            const job = await eventually(async () => {
                const j = (await s.iot.send(new DescribeJobCommand({ jobId: 'sw-big' }))).job;
                return !j.isConcurrent && j.jobProcessDetails.numberOfQueuedThings === 0 && j;
            }, 30_000, 'the cancel');
            assert.equal(job.jobProcessDetails.numberOfCanceledThings, n);
            assert.deepEqual(await pendingIds(s, last), { queued: ['sw-keep'], inProgress: [] });
            await eventually(async () => (await getJob(s.app.store.db, 'sw-big')).pending_work === null, 30_000, 'the sweep');
            assert.equal(await unswept(s), 0);
            const listed = await s.app.store.db.selectFrom('job_executions').select(sql `count(*)`.as('n')).where('listed', '=', 1).executeTakeFirstOrThrow();
            const pending = await s.app.store.db.selectFrom('job_executions').select(sql `count(*)`.as('n')).where('status', 'in', ['QUEUED', 'IN_PROGRESS']).executeTakeFirstOrThrow();
            assert.equal(Number(listed.n), Number(pending.n));
            assert.deepEqual(await pendingIds(s, last), { queued: ['sw-keep'], inProgress: [] });
        });
    });
}
//# sourceMappingURL=cancel-sweep.test.js.map