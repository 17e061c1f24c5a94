import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, REGION, pgNodes, thingArn } from '../support/harness.js';
import { clockRequest } from '../../src/cli/clock-client.js';
// Several nodes on one PostgreSQL schema share the manual clock; a timer fires on one node once.
if (BACKENDS.includes('postgres'))
    describe('manual clock and timers across PostgreSQL nodes', () => {
        const run = randomBytes(3).toString('hex');
        let cluster;
        let a;
        let b;
        const ep = (s) => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
        before(async () => {
            cluster = await pgNodes(2);
            [a, b] = cluster.nodes;
        });
        after(async () => {
            await cluster.close();
        });
        test('both nodes show one time; moving it through one moves it for the other', async () => {
            const r = await clockRequest(ep(a), { advanceSeconds: 600 });
            assert.equal(r.status, 200);
            assert.equal((await clockRequest(ep(b))).body.now, r.body.now);
        });
        test('a race of device updates against timeouts firing: each execution has exactly one outcome; counters equal the listings', async () => {
            const n = 60;
            const things = Array.from({ length: n }, (_, i) => `race-${run}-${i}`);
            for (const t of things)
                await a.iot.send(new CreateThingCommand({ thingName: t }));
            const jobId = `race-${run}`;
            await a.iot.send(new CreateJobCommand({
                jobId,
                targets: things.map(thingArn),
                document: '{}',
                timeoutConfig: { inProgressTimeoutInMinutes: 1 },
                jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
            }));
            await Promise.all(things.map((t, i) => (i % 2 ? a : b).data.send(new StartNextPendingJobExecutionCommand({ thingName: t }))));
            // Devices report SUCCEEDED through both nodes while the clock moves past the deadline through both.
            const outcomes = new Map();
            const updates = things.map(async (t, i) => {
                try {
                    await (i % 2 ? b : a).data.send(new UpdateJobExecutionCommand({ jobId, thingName: t, status: 'SUCCEEDED', executionNumber: 1 }));
                    outcomes.set(t, 'ok');
                }
                catch (err) {
                    assert.equal(err.name, 'InvalidStateTransitionException', String(err));
                    outcomes.set(t, 'conflict');
                }
            });
            const moves = [clockRequest(ep(a), { advanceSeconds: 61 }), clockRequest(ep(b), { advanceSeconds: 1 })];
            await Promise.all([...updates, ...moves]);
            const done = await clockRequest(ep(b), { advanceSeconds: 1 });
            assert.equal(done.status, 200);
            const rows = [];
            let token;
            do {
                const page = await a.iot.send(new ListJobExecutionsForJobCommand({ jobId, nextToken: token, maxResults: 250 }));
                for (const e of page.executionSummaries ?? [])
                    rows.push({ thing: e.thingArn.split('/')[1], n: e.jobExecutionSummary.executionNumber, status: e.jobExecutionSummary.status });
                token = page.nextToken;
            } while (token);
            for (const t of things) {
                const mine = rows.filter((r) => r.thing === t).sort((x, y) => x.n - y.n);
                if (outcomes.get(t) === 'ok')
                    assert.deepEqual(mine.map((r) => r.status), ['SUCCEEDED'], t);
                else
                    assert.deepEqual(mine.map((r) => [r.n, r.status]), [[1, 'TIMED_OUT'], [2, 'QUEUED']], `${t}: timed out once, retried once`);
            }
            const d = (await b.iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
            const count = (s) => rows.filter((r) => r.status === s).length;
            assert.equal(d.numberOfSucceededThings, count('SUCCEEDED'));
            assert.equal(d.numberOfTimedOutThings, count('TIMED_OUT'));
            assert.equal(d.numberOfQueuedThings, count('QUEUED'));
            assert.equal(d.numberOfInProgressThings, 0);
            assert.equal(count('SUCCEEDED') + count('TIMED_OUT'), n);
        });
    });
//# sourceMappingURL=timers-multinode.test.js.map