import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { BACKENDS, CREDENTIALS, REGION, eventually, groupArn, pgNodes, startServer } from '../support/harness.js';
import { ManualClock } from '../../src/clock.js';
import { clockRequest } from '../../src/cli/clock-client.js';
/**
 * The pace is durable and one per job: a restart resumes it exactly on the manual clock (a restart
 * after a gap is rollout-pacing.test.ts's), and two PostgreSQL nodes moving the clock release what
 * one pace allows, not one pace's worth each. The system clock's spread is a smooth stream.
 */
async function fleet(iot, prefix, n) {
    await iot.send(new CreateThingGroupCommand({ thingGroupName: prefix }));
    for (let i = 0; i < n; i++) {
        const t = `${prefix}-${String(i).padStart(3, '0')}`;
        await iot.send(new CreateThingCommand({ thingName: t }));
        await iot.send(new AddThingToThingGroupCommand({ thingGroupName: prefix, thingName: t }));
    }
    return groupArn(prefix);
}
const queued = async (s, jobId) => {
    const d = (await s.iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
    return d.numberOfQueuedThings + d.numberOfInProgressThings + d.numberOfSucceededThings;
};
const ep = (s) => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
const advance = async (s, seconds) => {
    const r = await clockRequest(ep(s), { advanceSeconds: seconds });
    assert.equal(r.status, 200, JSON.stringify(r.body));
};
for (const backend of BACKENDS) {
    describe(`paced rollout durability [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        test('manual clock: a restart mid-rollout resumes the same pace', async () => {
            let s = await startServer(backend, { clock: 'manual' });
            try {
                const jobId = `restart-${run}`;
                const g = await fleet(s.iot, `rs-${run}`, 12);
                await s.iot.send(new CreateJobCommand({ jobId, targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }));
                await advance(s, 90);
                assert.equal(await queued(s, jobId), 4, '2 at once, 2 more at the minute (minute batches on the manual clock)');
                s = await s.restart();
                assert.equal(await queued(s, jobId), 4, 'nothing released by the restart');
                await advance(s, 30);
                assert.equal(await queued(s, jobId), 6, 'the pace goes on where it was: the batch of minute 2');
                await advance(s, 600);
                assert.equal(await queued(s, jobId), 12);
                assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job.isConcurrent, false);
            }
            finally {
                await s.close();
            }
        });
        test('system clock: the first minute at once, then smooth over time, not a burst at the minute boundary', async () => {
            // The system-clock spread, on a clock the test moves (not --clock manual, so no minute batches).
            const t0 = Math.floor(Date.now() / 60_000) * 60_000;
            const clock = new ManualClock(t0);
            const s = await startServer(backend, {}, { clock });
            try {
                const jobId = `sys-${run}`;
                const g = await fleet(s.iot, `sy-${run}`, 150);
                await s.iot.send(new CreateJobCommand({ jobId, targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 60 } }));
                assert.equal(await queued(s, jobId), 60, 'the first minute at CreateJob');
                clock.advance(59_000);
                await sleep(1200);
                assert.equal(await queued(s, jobId), 60, 'nothing more within the first minute');
                // Steps under the 5-s gap after which a late timer resumes instead of catching up.
                for (const [t, n] of [[61_000, 61], [63_000, 63], [66_000, 66], [70_000, 70]]) {
                    clock.set(t0 + t);
                    await eventually(async () => (await queued(s, jobId)) === n || undefined, 5000, `${n} at ${t / 1000} s (one a second)`);
                }
            }
            finally {
                await s.close();
            }
        });
    });
}
if (BACKENDS.includes('postgres'))
    describe('paced rollout across PostgreSQL nodes', () => {
        test('two nodes moving one manual clock release one pace', async () => {
            const run = randomBytes(3).toString('hex');
            const cluster = await pgNodes(2);
            const [a, b] = cluster.nodes;
            try {
                const jobId = `mn-${run}`;
                const g = await fleet(a.iot, `mn-${run}`, 60);
                await b.iot.send(new CreateJobCommand({ jobId, targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 3 } }));
                for (let minute = 1; minute <= 4; minute++) {
                    await advance(minute % 2 ? a : b, 60);
                    assert.equal(await queued(minute % 2 ? b : a, jobId), 3 + 3 * minute, `minute ${minute}`);
                }
                // Both nodes move the clock at once, in small steps: still one pace (8 × 15 s = 2 min).
                await Promise.all([0, 1, 2, 3].map(async () => {
                    await advance(a, 15);
                    await advance(b, 15);
                }));
                assert.equal(await queued(a, jobId), 15 + 6);
            }
            finally {
                await cluster.close();
            }
        });
    });
//# sourceMappingURL=rollout-durability.test.js.map