import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, MOSQUITTO_URL, PG_URL, clients, dropSchema, freshSchema, thingArn } from '../support/harness.js';
import { spawnServer } from '../support/process.js';
import { Device } from '../support/device.js';
describe('MQTT across two nodes on PostgreSQL and Mosquitto', { skip: !BACKENDS.includes('postgres') && 'PostgreSQL backend not selected' }, () => {
    const schema = freshSchema();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const run = randomBytes(3).toString('hex');
    const thing = `mn-dev-${run}`;
    let a;
    let b;
    let ia;
    let ib;
    let d;
    before(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`create schema "${schema}"`);
        await c.end();
        a = await spawnServer(['--database-url', url, '--mqtt-url', MOSQUITTO_URL]);
        b = await spawnServer(['--database-url', url, '--mqtt-url', MOSQUITTO_URL]);
        ia = clients(a.url).iot;
        ib = clients(b.url).iot;
        await ia.send(new CreateThingCommand({ thingName: thing }));
        d = await Device.connect(MOSQUITTO_URL, thing);
    });
    after(async () => {
        await d.close().catch(() => { });
        ia.destroy();
        ib.destroy();
        for (const p of [a, b])
            p.child.kill('SIGKILL');
        await Promise.all([a.exited, b.exited]);
        await dropSchema(schema);
    });
    test('a job created through one node is announced to a device on the external broker, and its requests are processed exactly once', async () => {
        const mark = d.mark();
        await ib.send(new CreateJobCommand({ jobId: `x-${run}`, targets: [thingArn(thing)], document: '{"v":1}' }));
        const next = await d.nextOn(`${d.prefix}/notify-next`, mark);
        assert.equal(next.body.execution.jobId, `x-${run}`);
        assert.ok((await d.request('start-next')).accepted);
        const n = 15;
        for (let i = 0; i < n; i++) {
            const r = await d.request(`x-${run}/update`, { status: 'IN_PROGRESS', statusDetails: { i: String(i) }, expectedVersion: i + 2 });
            assert.ok(r.accepted, JSON.stringify(r.body));
        }
        await new Promise((r) => setTimeout(r, 300));
        const replies = d.messages.filter((m) => m.topic.endsWith(`x-${run}/update/accepted`) || m.topic.endsWith(`x-${run}/update/rejected`));
        assert.equal(replies.length, n, 'one reply per request: no node processed a request twice');
        const e = await ia.send(new DescribeJobExecutionCommand({ jobId: `x-${run}`, thingName: thing }));
        assert.equal(e.execution?.versionNumber, n + 2);
    });
    test('notify-next goes out once per change of the next execution, whichever node makes the change', async () => {
        // The first test left its job in progress: finish it, so that the queue starts empty.
        const done = d.mark();
        assert.ok((await d.request(`x-${run}/update`, { status: 'SUCCEEDED' })).accepted);
        await d.waitFor((m) => m.i >= done && m.topic === `${d.prefix}/notify-next` && m.body.execution === undefined, 5000, 'empty notify-next');
        await new Promise((r) => setTimeout(r, 300));
        const mark = d.mark();
        const nextIs = (jobId) => d.waitFor((m) => m.i >= mark && m.topic === `${d.prefix}/notify-next` && m.body.execution?.jobId === jobId, 5000, `notify-next ${jobId}`);
        const listed = (what, test) => d.waitFor((m) => m.i >= mark && m.topic === `${d.prefix}/notify` && test(m.body.jobs), 5000, what);
        const [p, q] = [`p-${run}`, `q-${run}`];
        await ib.send(new CreateJobCommand({ jobId: p, targets: [thingArn(thing)], document: '{}' }));
        await nextIs(p);
        // Queued behind p: the list changes, the next does not.
        await ia.send(new CreateJobCommand({ jobId: q, targets: [thingArn(thing)], document: '{}' }));
        await listed('two queued', (j) => j.QUEUED?.length === 2);
        assert.ok((await d.request('start-next')).accepted);
        await listed('p in progress', (j) => j.IN_PROGRESS?.[0]?.jobId === p);
        assert.ok((await d.request(`${p}/update`, { status: 'IN_PROGRESS', statusDetails: { step: '2' } })).accepted);
        assert.ok((await d.request(`${p}/update`, { status: 'SUCCEEDED' })).accepted);
        await nextIs(q);
        await ia.send(new CancelJobCommand({ jobId: q }));
        await nextIs(undefined);
        await new Promise((r) => setTimeout(r, 500));
        const announced = d.on(`${d.prefix}/notify-next`, mark).map((m) => m.body.execution?.jobId ?? 'none');
        assert.deepEqual(announced, [p, q, 'none']);
    });
    test('when the consuming node dies, the other takes device requests over', async () => {
        const consumes = (p) => p.output().includes('now consumes MQTT device requests');
        const [dead, alive] = consumes(a) ? [a, b] : [b, a];
        assert.ok(consumes(dead) && !consumes(alive), 'exactly one node consumes device requests');
        dead.child.kill('SIGKILL');
        await dead.exited;
        const deadline = Date.now() + 20_000;
        let answered = false;
        while (!answered && Date.now() < deadline) {
            answered = await d.request('get').then((r) => r.accepted, () => false);
        }
        assert.ok(answered, 'the surviving node answers device requests within the lease time');
        assert.ok(consumes(alive), 'the surviving node took the lease');
        const mark = d.mark();
        await clients(alive.url).iot.send(new CreateJobCommand({ jobId: `y-${run}`, targets: [thingArn(thing)], document: '{}' }));
        await d.nextOn(`${d.prefix}/notify`, mark);
    });
});
//# sourceMappingURL=mqtt-multinode.test.js.map