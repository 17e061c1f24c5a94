import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand, DeleteJobExecutionCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobExecutionsForJobCommand, ListJobExecutionsForThingCommand, ListJobsCommand, } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand as DeviceDescribe, UpdateJobExecutionCommand, StartNextPendingJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
async function things(iot, prefix, n) {
    const names = [];
    for (let i = 0; i < n; i++) {
        const name = `${prefix}-${i}`;
        await iot.send(new CreateThingCommand({ thingName: name }));
        names.push(name);
    }
    return names;
}
const job = (iot, jobId, targets, extra = {}) => iot.send(new CreateJobCommand({ jobId, targets: targets.map(thingArn), document: '{"op":"update"}', ...extra }));
const status = async (iot, jobId) => (await iot.send(new DescribeJobCommand({ jobId }))).job?.status;
for (const backend of BACKENDS) {
    describe(`DeleteJob [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('unknown job: 404 ResourceNotFoundException', async () => {
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'nope' })), 'ResourceNotFoundException', 404);
        });
        test('ids outside [a-zA-Z0-9_-]{1,64}: 400 InvalidRequestException', async () => {
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'bad.id' })), 'InvalidRequestException', 400, /jobId/);
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'x'.repeat(65) })), 'InvalidRequestException', 400, /jobId/);
        });
        test('IN_PROGRESS job without force: 409 and the job is untouched; with force it goes, and the jobId is reusable', async () => {
            const names = await things(s.iot, 'del-a', 3);
            await job(s.iot, 'del-a', names);
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'del-a' })), 'InvalidStateTransitionException', 409);
            const d = await s.iot.send(new DescribeJobCommand({ jobId: 'del-a' }));
            assert.equal(d.job?.status, 'IN_PROGRESS');
            assert.equal(d.job?.jobProcessDetails?.numberOfQueuedThings, 3);
            await s.iot.send(new DeleteJobCommand({ jobId: 'del-a', force: true }));
            await eventually(async () => {
                try {
                    await status(s.iot, 'del-a');
                    return false;
                }
                catch (e) {
                    return e.name === 'ResourceNotFoundException';
                }
            }, 10_000, 'job to be gone');
            await rejectsWith(s.iot.send(new DescribeJobCommand({ jobId: 'del-a' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'del-a' })), 'ResourceNotFoundException', 404);
            for (const n of names) {
                const l = await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: n }));
                assert.deepEqual(l.executionSummaries, [], `executions of ${n} are gone`);
                await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'del-a', thingName: n })), 'ResourceNotFoundException', 404);
            }
            const jobs = await s.iot.send(new ListJobsCommand({}));
            assert.ok(!jobs.jobs?.some((j) => j.jobId === 'del-a'));
            // The jobId can be used again.
            await job(s.iot, 'del-a', names.slice(0, 1));
            assert.equal(await status(s.iot, 'del-a'), 'IN_PROGRESS');
            const again = await s.iot.send(new DescribeJobCommand({ jobId: 'del-a' }));
            assert.equal(again.job?.jobProcessDetails?.numberOfQueuedThings, 1);
        });
        test('a COMPLETED job is deletable without force', async () => {
            const [t] = await things(s.iot, 'del-c', 1);
            await job(s.iot, 'del-c', [t]);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'del-c', thingName: t, status: 'SUCCEEDED' }));
            assert.equal(await status(s.iot, 'del-c'), 'COMPLETED');
            await s.iot.send(new DeleteJobCommand({ jobId: 'del-c' }));
            await eventually(async () => (await s.iot.send(new ListJobsCommand({}))).jobs?.every((j) => j.jobId !== 'del-c'));
        });
        test('a CANCELED job is deletable without force', async () => {
            const [t] = await things(s.iot, 'del-x', 1);
            await job(s.iot, 'del-x', [t]);
            await s.iot.send(new CancelJobCommand({ jobId: 'del-x' }));
            assert.equal(await status(s.iot, 'del-x'), 'CANCELED');
            await s.iot.send(new DeleteJobCommand({ jobId: 'del-x' }));
        });
        test('namespaceId must match the job', async () => {
            const [t] = await things(s.iot, 'del-ns', 1);
            await job(s.iot, 'del-ns', [t], { namespaceId: 'gg' });
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'del-ns', force: true, namespaceId: 'other' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: 'del-ns', force: true, namespaceId: 'bad ns' })), 'InvalidRequestException', 400);
            await s.iot.send(new DeleteJobCommand({ jobId: 'del-ns', force: true, namespaceId: 'gg' }));
        });
    });
    describe(`DeleteJob while deletions are slow (--deletion-rate) [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend, { deletionRate: 2 });
        });
        after(async () => {
            await s.close();
        });
        test('DELETION_IN_PROGRESS shows; DeleteJob 409 and CancelJob 400 on it; the 11th concurrent deletion gets 410', async () => {
            const names = await things(s.iot, 'lim', 4);
            const ids = Array.from({ length: 12 }, (_, i) => `lim-${i}`);
            for (const id of ids)
                await job(s.iot, id, names);
            // Twelve concurrent force deletions: exactly ten may start.
            const results = await Promise.allSettled(ids.map((jobId) => s.iot.send(new DeleteJobCommand({ jobId, force: true }))));
            const ok = results.filter((r) => r.status === 'fulfilled');
            const failed = results.filter((r) => r.status === 'rejected');
            assert.equal(ok.length, 10, 'ten deletions start');
            assert.equal(failed.length, 2);
            for (const f of failed) {
                assert.equal(f.reason.name, 'LimitExceededException');
                assert.equal(f.reason.$metadata.httpStatusCode, 410);
            }
            const deleting = ids.filter((_, i) => results[i].status === 'fulfilled');
            const refused = ids.filter((_, i) => results[i].status === 'rejected');
            const d = await s.iot.send(new DescribeJobCommand({ jobId: deleting[0] }));
            assert.equal(d.job?.status, 'DELETION_IN_PROGRESS');
            const listed = await s.iot.send(new ListJobsCommand({ status: 'DELETION_IN_PROGRESS' }));
            assert.equal(listed.jobs?.length, 10);
            await rejectsWith(s.iot.send(new DeleteJobCommand({ jobId: deleting[0], force: true })), 'InvalidStateTransitionException', 409);
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: deleting[0] })), 'InvalidRequestException', 400);
            // A job being deleted is no longer offered to devices: $next is the oldest job still alive.
            const next = await s.data.send(new DeviceDescribe({ thingName: names[0], jobId: '$next' }));
            assert.equal(next.execution?.jobId, refused[0]);
            // The refused jobs are untouched.
            assert.equal(await status(s.iot, refused[0]), 'IN_PROGRESS');
            // When deletions finish, slots free up and the refused ones can be deleted.
            await eventually(async () => (await s.iot.send(new ListJobsCommand({ status: 'DELETION_IN_PROGRESS' }))).jobs.length < 10, 30_000, 'a slot');
            await s.iot.send(new DeleteJobCommand({ jobId: refused[0], force: true }));
        });
    });
    describe(`DeleteJobExecution [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('QUEUED or IN_PROGRESS without force: 409; with force deleted; counters follow; the device then gets 404', async () => {
            const [a, b] = await things(s.iot, 'dje', 2);
            await job(s.iot, 'dje', [a, b]);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId: 'dje', thingName: a, executionNumber: 1 })), 'InvalidStateTransitionException', 409);
            const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: b }));
            assert.equal(started.execution?.status, 'IN_PROGRESS');
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId: 'dje', thingName: b, executionNumber: 1 })), 'InvalidStateTransitionException', 409);
            await s.iot.send(new DeleteJobExecutionCommand({ jobId: 'dje', thingName: b, executionNumber: 1, force: true }));
            let d = await s.iot.send(new DescribeJobCommand({ jobId: 'dje' }));
            assert.equal(d.job?.jobProcessDetails?.numberOfInProgressThings, 0);
            assert.equal(d.job?.jobProcessDetails?.numberOfQueuedThings, 1);
            await rejectsWith(s.data.send(new DeviceDescribe({ jobId: 'dje', thingName: b })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'dje', thingName: b, status: 'SUCCEEDED' })), 'ResourceNotFoundException', 404);
            await s.iot.send(new DeleteJobExecutionCommand({ jobId: 'dje', thingName: a, executionNumber: 1, force: true }));
            d = await s.iot.send(new DescribeJobCommand({ jobId: 'dje' }));
            assert.equal(d.job?.jobProcessDetails?.numberOfQueuedThings, 0);
            assert.equal(d.job?.status, 'COMPLETED', 'nothing pending is left');
        });
        test('every terminal execution is deletable without force', async () => {
            const ts = await things(s.iot, 'djt', 4);
            await job(s.iot, 'djt', ts);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'djt', thingName: ts[0], status: 'SUCCEEDED' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'djt', thingName: ts[1], status: 'FAILED' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'djt', thingName: ts[2], status: 'REJECTED' }));
            await s.iot.send(new CancelJobCommand({ jobId: 'djt' }));
            const d0 = await s.iot.send(new DescribeJobCommand({ jobId: 'djt' }));
            assert.equal(d0.job?.jobProcessDetails?.numberOfCanceledThings, 1);
            for (const t of ts)
                await s.iot.send(new DeleteJobExecutionCommand({ jobId: 'djt', thingName: t, executionNumber: 1 }));
            const d = (await s.iot.send(new DescribeJobCommand({ jobId: 'djt' }))).job.jobProcessDetails;
            assert.deepEqual([d.numberOfSucceededThings, d.numberOfFailedThings, d.numberOfRejectedThings, d.numberOfCanceledThings], [0, 0, 0, 0]);
        });
        test('a wrong executionNumber, jobId or thing: 404', async () => {
            const [t] = await things(s.iot, 'djn', 1);
            await job(s.iot, 'djn', [t]);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId: 'djn', thingName: t, executionNumber: 2, force: true })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId: 'nojob', thingName: t, executionNumber: 1, force: true })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteJobExecutionCommand({ jobId: 'djn', thingName: 'nothing', executionNumber: 1, force: true })), 'ResourceNotFoundException', 404);
        });
    });
}
//# sourceMappingURL=deletion.test.js.map