import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, ListJobExecutionsForJobCommand, RemoveThingFromThingGroupCommand, UpdateThingGroupsForThingCommand, } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, groupArn, startServer } from '../support/harness.js';
// orchestration.md §5.2: "the number of retry attempts is reset to zero when there are updates to a
// thing's group membership ... when a thing is removed from the thing group, additional retry
// attempts are canceled" (CONTINUOUS jobs).
for (const backend of BACKENDS)
    describe(`retries and group membership of CONTINUOUS jobs [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let s;
        before(async () => {
            s = await startServer(backend, { clock: 'manual' });
        });
        after(async () => {
            await s.close();
        });
        /** A group holding one new thing, and a CONTINUOUS job on the group whose execution exists. */
        const setup = async (n, retries) => {
            const thing = name(`${n}-t`);
            const group = name(`${n}-g`);
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
            const jobId = name(n);
            await s.iot.send(new CreateJobCommand({
                jobId,
                targets: [groupArn(group)],
                targetSelection: 'CONTINUOUS',
                document: '{}',
                ...(retries === undefined ? {} : { jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: retries }] } }),
            }));
            await eventually(async () => (await attempts(jobId)).length === 1, 10_000, 'the fan-out');
            return { thing, group, jobId };
        };
        const attempts = async (jobId) => ((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId }))).executionSummaries ?? [])
            .map((x) => [x.jobExecutionSummary.executionNumber, x.jobExecutionSummary.status, x.jobExecutionSummary.retryAttempt])
            .sort((a, b) => a[0] - b[0]);
        const fail = (jobId, thing, executionNumber) => s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: thing, status: 'FAILED', executionNumber }));
        const counters = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
        test('a thing that spent its retries leaves and rejoins the group: a fresh execution with a fresh retry budget', async () => {
            const { thing, group, jobId } = await setup('spent', 1);
            await fail(jobId, thing, 1);
            await fail(jobId, thing, 2);
            assert.deepEqual(await attempts(jobId), [[1, 'FAILED', 0], [2, 'FAILED', 1]], 'the budget of 1 retry is spent');
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: group, thingName: thing }));
            assert.equal((await attempts(jobId)).length, 2, 'leaving changes no terminal attempt');
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
            assert.deepEqual((await attempts(jobId)).at(-1), [3, 'QUEUED', 0], 'rejoining: a fresh execution, retryAttempt 0');
            const pending = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: thing }));
            assert.deepEqual(pending.queuedJobs?.map((j) => [j.jobId, j.executionNumber]), [[jobId, 3]]);
            await fail(jobId, thing, 3);
            assert.deepEqual((await attempts(jobId)).at(-1), [4, 'QUEUED', 1], 'the fresh budget allows one retry again');
            await fail(jobId, thing, 4);
            assert.deepEqual(await attempts(jobId), [[1, 'FAILED', 0], [2, 'FAILED', 1], [3, 'FAILED', 0], [4, 'FAILED', 1]]);
            const c = await counters(jobId);
            assert.equal(c.numberOfFailedThings, 4, 'counters count attempts');
            assert.equal(c.numberOfQueuedThings, 0);
        });
        test('rejoining after SUCCEEDED, or after FAILED on a job without retries, queues nothing', async () => {
            const ok = await setup('ok', 2);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: ok.jobId, thingName: ok.thing, status: 'SUCCEEDED' }));
            const none = await setup('none', undefined);
            await fail(none.jobId, none.thing, 1);
            for (const x of [ok, none]) {
                await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: x.group, thingName: x.thing }));
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: x.group, thingName: x.thing }));
                assert.equal((await attempts(x.jobId)).length, 1, x.jobId);
                assert.equal((await counters(x.jobId)).numberOfQueuedThings, 0);
            }
        });
        test('a thing leaving the group has its queued retry REMOVED (QUEUED and IN_PROGRESS); rejoining starts afresh', async () => {
            const { thing, group, jobId } = await setup('leave', 1);
            await fail(jobId, thing, 1);
            assert.deepEqual((await attempts(jobId)).at(-1), [2, 'QUEUED', 1]);
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: group, thingName: thing }));
            assert.deepEqual((await attempts(jobId)).at(-1), [2, 'REMOVED', 1], 'the queued retry is REMOVED');
            assert.deepEqual((await s.data.send(new GetPendingJobExecutionsCommand({ thingName: thing }))).queuedJobs, []);
            let c = await counters(jobId);
            assert.deepEqual([c.numberOfQueuedThings, c.numberOfRemovedThings, c.numberOfFailedThings], [0, 1, 1]);
            // Back in the group: a fresh attempt (REMOVED is never retried, the thing is targeted anew).
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: thing }));
            assert.deepEqual((await attempts(jobId)).at(-1), [3, 'QUEUED', 0]);
            await fail(jobId, thing, 3);
            assert.deepEqual((await attempts(jobId)).at(-1), [4, 'QUEUED', 1], 'a full budget again');
            // A retry the device has started is REMOVED too when the thing leaves.
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: thing }));
            await s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: thing, thingGroupsToRemove: [group] }));
            assert.deepEqual((await attempts(jobId)).at(-1), [4, 'REMOVED', 1]);
            c = await counters(jobId);
            assert.deepEqual([c.numberOfQueuedThings, c.numberOfInProgressThings, c.numberOfRemovedThings, c.numberOfFailedThings], [0, 0, 2, 2]);
        });
        test('a membership change while a retry is pending gives that retry a full budget again', async () => {
            const { thing, jobId } = await setup('pend', 1);
            const child = name('pend-child');
            await fail(jobId, thing, 1);
            assert.deepEqual((await attempts(jobId)).at(-1), [2, 'QUEUED', 1], 'the one retry is used');
            // The thing joins a group below the job's group: still covered, its membership changed.
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: child, parentGroupName: name('pend-g') }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: child, thingName: thing }));
            assert.deepEqual((await attempts(jobId)).at(-1), [2, 'QUEUED', 1], 'no second execution while one is pending');
            await fail(jobId, thing, 2);
            assert.deepEqual((await attempts(jobId)).at(-1), [3, 'QUEUED', 2], 'retried although the budget of 1 had been used');
            await fail(jobId, thing, 3);
            assert.deepEqual((await attempts(jobId)).at(-1), [3, 'FAILED', 2], 'the reset budget is spent in turn');
        });
    });
//# sourceMappingURL=retries-groups.test.js.map