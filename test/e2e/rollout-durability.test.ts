import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, type IoTClient } from '@aws-sdk/client-iot';
import { BACKENDS, CREDENTIALS, REGION, dropSchema, freshSchema, groupArn, startServer, type TestServer } from '../support/harness.js';
import { clockRequest } from '../../src/cli/clock-client.js';

/**
 * The pace is durable and one per job: a restart resumes it (manual clock: exactly; system clock:
 * without a burst for the time it was down), and two PostgreSQL nodes moving the clock release
 * what one pace allows, not one pace's worth each. The system clock gives a smooth stream.
 */

async function fleet(iot: IoTClient, prefix: string, n: number): Promise<string> {
  await iot.send(new CreateThingGroupCommand({ thingGroupName: prefix }));
  for (let i = 0; i < n; i++) {
    const t = `${prefix}-${String(i).padStart(3, '0')}`;
    await iot.send(new CreateThingCommand({ thingName: t }));
    await iot.send(new AddThingToThingGroupCommand({ thingGroupName: prefix, thingName: t }));
  }
  return groupArn(prefix);
}

const queued = async (s: TestServer, jobId: string) => {
  const d = (await s.iot.send(new DescribeJobCommand({ jobId }))).job!.jobProcessDetails!;
  return d.numberOfQueuedThings! + d.numberOfInProgressThings! + d.numberOfSucceededThings!;
};
const ep = (s: TestServer) => ({ url: s.url, region: REGION, credentials: CREDENTIALS });
const advance = async (s: TestServer, seconds: number) => {
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
        assert.equal(await queued(s, jobId), 5, '2 at once, 3 in 90 s');
        s = await s.restart();
        assert.equal(await queued(s, jobId), 5, 'nothing released by the restart');
        await advance(s, 30);
        assert.equal(await queued(s, jobId), 6, 'the pace goes on where it was: 2 + 2 × 2 min');
        await advance(s, 600);
        assert.equal(await queued(s, jobId), 12);
        assert.equal((await s.iot.send(new DescribeJobCommand({ jobId }))).job!.isConcurrent, false);
      } finally {
        await s.close();
      }
    });

    test('system clock: smooth over real time, and a restart after downtime resumes without catching up', async () => {
      let s = await startServer(backend, {});
      try {
        const jobId = `sys-${run}`;
        const g = await fleet(s.iot, `sy-${run}`, 150);
        const t0 = Date.now();
        await s.iot.send(new CreateJobCommand({ jobId, targets: [g], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 60 } }));
        const n0 = await queued(s, jobId);
        assert.ok(n0 >= 60 && n0 <= 60 + Math.ceil((Date.now() - t0) / 1000), `the first minute at CreateJob, then 1 a second: ${n0}`);
        await sleep(2500);
        const n1 = await queued(s, jobId);
        const elapsed1 = (Date.now() - t0) / 1000;
        // 1 a second, not a burst at the next minute boundary.
        assert.ok(n1 >= 61 && n1 <= 60 + Math.ceil(elapsed1), `${n1} after ${elapsed1} s`);
        await s.stop();
        await sleep(7000);
        s = await s.restart();
        const n2 = await queued(s, jobId);
        await sleep(1500);
        const n3 = await queued(s, jobId);
        const since = (Date.now() - t0) / 1000;
        // Down for 7 s: a catch-up would add ~7 at once; resuming adds ~1 a second from the restart.
        assert.ok(n3 - n1 <= 4, `${n1} before the downtime, ${n2} at restart, ${n3} 1.5 s later (${since} s in)`);
        assert.ok(n3 < 60 + since - 4, `no catch-up: ${n3} after ${since} s`);
      } finally {
        await s.close();
      }
    });
  });
}

if (BACKENDS.includes('postgres'))
  describe('paced rollout across PostgreSQL nodes', () => {
    test('two nodes moving one manual clock release one pace', async () => {
      const run = randomBytes(3).toString('hex');
      const schema = freshSchema();
      const a = await startServer('postgres', { clock: 'manual', dbPoolSize: 10 }, { pgSchema: schema });
      const b = await startServer('postgres', { clock: 'manual', dbPoolSize: 10 }, { pgSchema: schema });
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
      } finally {
        await a.stop();
        await b.stop();
        await dropSchema(schema);
      }
    });
  });
