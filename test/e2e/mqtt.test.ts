import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CancelJobExecutionCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DeleteJobExecutionCommand,
  DeleteThingCommand,
  DescribeJobExecutionCommand,
  RemoveThingFromThingGroupCommand,
} from '@aws-sdk/client-iot';
import { BACKENDS, MOSQUITTO_URL, eventually, groupArn, startServer, thingArn, type TestServer } from '../support/harness.js';
import { Device } from '../support/device.js';

const BROKERS = ['embedded', 'mosquitto'] as const;

const isSeconds = (t: unknown) => typeof t === 'number' && Number.isInteger(t) && t > 1.6e9 && t < 1e11;

for (const backend of BACKENDS) {
  for (const broker of BROKERS) {
    describe(`MQTT device API [${backend}, ${broker} broker]`, () => {
      const run = randomBytes(3).toString('hex');
      const name = (n: string) => `${n}-${run}`;
      let s: TestServer;
      let mqttUrl: string;
      const devices: Device[] = [];
      const device = async (thing: string) => {
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        const d = await Device.connect(mqttUrl, thing);
        devices.push(d);
        return d;
      };
      const job = (jobId: string, targets: string[], extra: Record<string, unknown> = {}) =>
        s.iot.send(new CreateJobCommand({ jobId, targets, document: JSON.stringify({ op: 'update', to: '2.0' }), ...extra }));

      before(async () => {
        s = await startServer(backend, broker === 'embedded' ? { mqttPort: 0 } : { mqttUrl: MOSQUITTO_URL });
        mqttUrl = s.app.mqttUrl!;
      });
      after(async () => {
        for (const d of devices) await d.close().catch(() => {});
        await s.close();
      });

      test('the whole device flow: notify, notify-next, get, start-next, update; replies echo clientToken with epoch-second timestamps', async () => {
        const thing = name('flow');
        const d = await device(thing);
        const t0 = d.mark();
        await job(name('fw-1'), [thingArn(thing)]);
        const notify = await d.nextOn(`${d.prefix}/notify`, t0);
        const queued = (notify.body.jobs as { QUEUED: { jobId: string; versionNumber: number; executionNumber: number; queuedAt: number }[] }).QUEUED;
        assert.equal(queued.length, 1);
        assert.equal(queued[0]!.jobId, name('fw-1'));
        assert.ok(isSeconds(notify.body.timestamp) && isSeconds(queued[0]!.queuedAt));
        const next = await d.nextOn(`${d.prefix}/notify-next`, t0);
        const ex = next.body.execution as Record<string, unknown>;
        assert.equal(ex.jobId, name('fw-1'));
        assert.equal(ex.thingName, thing);
        assert.equal(ex.status, 'QUEUED');
        assert.deepEqual(ex.jobDocument, { op: 'update', to: '2.0' }, 'jobDocument is a JSON object on MQTT');

        const got = await d.request('get');
        assert.ok(got.accepted);
        assert.deepEqual(got.body.inProgressJobs, []);
        assert.equal((got.body.queuedJobs as unknown[]).length, 1);
        assert.match(String(got.body.clientToken), /^t\d+-/);
        assert.ok(isSeconds(got.body.timestamp));

        const beforeStart = d.mark();
        const started = await d.request('start-next', { statusDetails: { step: 'download' }, stepTimeoutInMinutes: 30 });
        assert.ok(started.accepted, JSON.stringify(started.body));
        const sx = started.body.execution as Record<string, unknown>;
        assert.equal(sx.status, 'IN_PROGRESS');
        assert.deepEqual(sx.statusDetails, { step: 'download' });
        assert.equal(sx.versionNumber, 2);
        assert.deepEqual(sx.jobDocument, { op: 'update', to: '2.0' });
        assert.ok(isSeconds(sx.startedAt));

        const desc = await d.request(`${name('fw-1')}/get`, { includeJobDocument: false });
        assert.ok(desc.accepted);
        assert.equal((desc.body.execution as Record<string, unknown>).jobDocument, undefined);
        const nextDesc = await d.request('$next/get');
        assert.equal((nextDesc.body.execution as Record<string, unknown>).jobId, name('fw-1'));

        const progress = await d.request(`${name('fw-1')}/update`, {
          status: 'IN_PROGRESS',
          statusDetails: { step: 'install' },
          expectedVersion: 2,
          includeJobExecutionState: true,
          includeJobDocument: true,
        });
        assert.ok(progress.accepted, JSON.stringify(progress.body));
        assert.deepEqual(progress.body.executionState, { status: 'IN_PROGRESS', statusDetails: { step: 'install' }, versionNumber: 3 });
        assert.deepEqual(progress.body.jobDocument, { op: 'update', to: '2.0' });

        if (broker === 'embedded') {
          // The next execution is still the same one: notify (its status changed) but no notify-next.
          await s.app.notifier!.idle();
          await d.nextOn(`${d.prefix}/notify`, beforeStart);
          await new Promise((r) => setTimeout(r, 100)); // notify-next would be sent right after notify
          assert.deepEqual(d.on(`${d.prefix}/notify-next`, beforeStart), [], 'notify-next only when the next execution changes');
        }
        const t1 = d.mark();
        const done = await d.request(`${name('fw-1')}/update`, { status: 'SUCCEEDED', expectedVersion: 3 });
        assert.ok(done.accepted);
        assert.equal(done.body.executionState, undefined, 'executionState only when asked for');
        const empty = await d.nextOn(`${d.prefix}/notify-next`, t1, 'notify-next for the empty queue');
        assert.equal(empty.body.execution, undefined);
        assert.deepEqual((await d.nextOn(`${d.prefix}/notify`, t1)).body.jobs, {});
        const nothing = await d.request('start-next');
        assert.ok(nothing.accepted);
        assert.equal(nothing.body.execution, undefined);
      });

      test('every rejected code: InvalidTopic, InvalidJson, InvalidRequest, InvalidStateTransition, ResourceNotFound, VersionMismatch, TerminalStateReached', async () => {
        const thing = name('rej');
        const d = await device(thing);
        await job(name('r-1'), [thingArn(thing)]);
        const jobId = name('r-1');

        const topic = await d.request('no/such/api', '{}');
        assert.equal(topic.body.code, 'InvalidTopic');
        const bad = await d.request(`${jobId}/update`, '{"status": ');
        assert.deepEqual([bad.accepted, bad.body.code], [false, 'InvalidJson']);
        const invalid = await d.request(`${jobId}/update`, { status: 'QUEUED' });
        assert.equal(invalid.body.code, 'InvalidRequest');
        assert.match(String(invalid.body.message), /QUEUED/);
        const missing = await d.request(`${jobId}/update`, {});
        assert.equal(missing.body.code, 'InvalidRequest');
        assert.match(String(missing.body.message), /status/);
        assert.match(String(missing.body.clientToken), /^t\d+-/, 'rejected replies echo clientToken');
        assert.ok(isSeconds(missing.body.timestamp));

        const unknown = await d.request(`${name('nope')}/update`, { status: 'IN_PROGRESS' });
        assert.equal(unknown.body.code, 'ResourceNotFound');

        assert.ok((await d.request(`${jobId}/update`, { status: 'IN_PROGRESS' })).accepted);
        const mismatch = await d.request(`${jobId}/update`, { status: 'IN_PROGRESS', expectedVersion: 7 });
        assert.equal(mismatch.body.code, 'VersionMismatch');
        assert.deepEqual(mismatch.body.executionState, { status: 'IN_PROGRESS', versionNumber: 2 });

        assert.ok((await d.request(`${jobId}/update`, { status: 'SUCCEEDED' })).accepted);
        const back = await d.request(`${jobId}/update`, { status: 'IN_PROGRESS' });
        assert.equal(back.body.code, 'InvalidStateTransition');
        assert.equal((back.body.executionState as { status: string }).status, 'SUCCEEDED');
        const terminal = await d.request(`${jobId}/get`);
        assert.equal(terminal.body.code, 'TerminalStateReached');
      });

      test('notifications on every path that changes the pending set', async () => {
        const thing = name('paths');
        const d = await device(thing);
        const nn = `${d.prefix}/notify-next`;
        // Resolves when notify-next announces `jobId` (undefined: the empty queue) after `action`.
        // With an external broker, every node announces its own changes, so repeats may come first.
        const expectNext = async (jobId: string | undefined, action: () => Promise<unknown>, what: string) => {
          const t = d.mark();
          await action();
          await d.waitFor((m) => m.topic === nn && m.i >= t && (m.body.execution as { jobId?: string } | undefined)?.jobId === jobId, 5000, `notify-next after ${what}`);
        };
        const g = name('grp');
        await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));

        // A CONTINUOUS job on a group: joining the group queues an execution, leaving removes it.
        await job(name('cont'), [groupArn(g)], { targetSelection: 'CONTINUOUS' });
        await expectNext(name('cont'), () => s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: thing })), 'a group join');
        await expectNext(undefined, () => s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: g, thingName: thing })), 'leaving the group');

        // CreateJob fan-out to a group, then CancelJob.
        await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: thing }));
        await eventually(async () => d.on(nn).some((m) => (m.body.execution as { jobId?: string } | undefined)?.jobId === name('cont')) || undefined);
        await d.request(`${name('cont')}/update`, { status: 'SUCCEEDED' });
        await expectNext(name('fan'), () => job(name('fan'), [groupArn(g)]), 'a group fan-out');
        await expectNext(undefined, () => s.iot.send(new CancelJobCommand({ jobId: name('fan') })), 'CancelJob');

        // CancelJobExecution.
        await expectNext(name('cje'), () => job(name('cje'), [thingArn(thing)]), 'CreateJob');
        await expectNext(undefined, () => s.iot.send(new CancelJobExecutionCommand({ jobId: name('cje'), thingName: thing })), 'CancelJobExecution');

        // DeleteJob with force: the background deletion removes the execution.
        await job(name('del'), [thingArn(thing)]);
        assert.ok((await d.request('start-next')).accepted);
        await expectNext(undefined, () => s.iot.send(new DeleteJobCommand({ jobId: name('del'), force: true })), 'DeleteJob');

        // DeleteJobExecution with force on an IN_PROGRESS execution: the device's next update is ResourceNotFound.
        await job(name('dje'), [thingArn(thing)]);
        const started = await d.request('start-next');
        assert.equal((started.body.execution as { jobId: string }).jobId, name('dje'));
        await expectNext(
          undefined,
          () => s.iot.send(new DeleteJobExecutionCommand({ jobId: name('dje'), thingName: thing, executionNumber: 1, force: true })),
          'DeleteJobExecution',
        );
        const gone = await d.request(`${name('dje')}/update`, { status: 'SUCCEEDED' });
        assert.equal(gone.body.code, 'ResourceNotFound');

        // Deleting the thing removes its pending executions.
        await job(name('thing-del'), [thingArn(thing)]);
        await eventually(async () => d.on(nn).some((m) => (m.body.execution as { jobId?: string } | undefined)?.jobId === name('thing-del')) || undefined);
        await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: g, thingName: thing }));
        await expectNext(undefined, () => s.iot.send(new DeleteThingCommand({ thingName: thing })), 'DeleteThing');
        const removed = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('thing-del'), thingName: thing }));
        assert.equal(removed.execution?.status, 'REMOVED');
      });

      test('namespaced jobs: notify-namespace and notify-next-namespace topics, namespace-{ns}/get and /update, never the plain topics', async () => {
        const thing = name('ns');
        const d = await device(thing);
        const ns = 'aws-gg-deployment';
        const t0 = d.mark();
        await job(name('gg'), [thingArn(thing)], { namespaceId: ns });
        const next = await d.nextOn(`${d.prefix}/notify-next-namespace-${ns}`, t0);
        assert.equal((next.body.execution as { jobId: string }).jobId, name('gg'));
        await d.nextOn(`${d.prefix}/notify-namespace-${ns}`, t0);
        const plainGet = await d.request('get');
        assert.deepEqual([plainGet.body.inProgressJobs, plainGet.body.queuedJobs], [[], []], 'a namespaced job is not in the plain pending list');
        assert.equal((await d.request(`${name('gg')}/get`)).body.code, 'ResourceNotFound', 'the plain topic does not reach a namespaced job');
        const got = await d.request(`$next/namespace-${ns}/get`);
        assert.equal((got.body.execution as { jobId: string }).jobId, name('gg'));
        const upd = await d.request(`${name('gg')}/namespace-${ns}/update`, { status: 'SUCCEEDED', includeJobExecutionState: true });
        assert.ok(upd.accepted, JSON.stringify(upd.body));
        assert.equal((upd.body.executionState as { status: string }).status, 'SUCCEEDED');
        await d.nextOn(`${d.prefix}/notify-next-namespace-${ns}`, d.mark() - 2).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(d.on(`${d.prefix}/notify`, t0), [], 'nothing on the plain notify topic');
        assert.deepEqual(d.on(`${d.prefix}/notify-next`, t0), [], 'nothing on the plain notify-next topic');
      });

      test('notifications reach exact and single-level wildcard subscriptions, including one made after the change before', async () => {
        const thing = name('subs');
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        const d = await Device.connect(mqttUrl, thing, {}, false);
        devices.push(d);
        await d.client.subscribeAsync(`${d.prefix}/notify`, { qos: 1 });
        const t0 = d.mark();
        await job(name('s-1'), [thingArn(thing)]);
        const listed = await d.nextOn(`${d.prefix}/notify`, t0);
        assert.equal((listed.body.jobs as { QUEUED: { jobId: string }[] }).QUEUED[0]!.jobId, name('s-1'));
        assert.deepEqual(d.on(`${d.prefix}/notify-next`, t0), [], 'not subscribed to notify-next');
        // Now also notify-next, through '+': the queue emptying must be announced on it.
        await d.client.subscribeAsync(`${d.prefix}/+`, { qos: 1 });
        const t1 = d.mark();
        await s.iot.send(new CancelJobCommand({ jobId: name('s-1') }));
        const next = await d.nextOn(`${d.prefix}/notify-next`, t1);
        assert.equal(next.body.execution, undefined, 'the queue is empty');
        const emptied = await d.nextOn(`${d.prefix}/notify`, t1);
        assert.deepEqual(emptied.body.jobs, {});
      });

      test('a device that connects after its job was queued is not told that job again when it starts it', async () => {
        const thing = name('late');
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        await job(name('l-1'), [thingArn(thing)]);
        // The job's own announcement has gone out (to nobody) before the device comes.
        await s.app.notifier!.idle();
        const d = await Device.connect(mqttUrl, thing);
        devices.push(d);
        const mark = d.mark();
        const started = await d.request('start-next');
        assert.ok(started.accepted, JSON.stringify(started.body));
        assert.ok((await d.request(`${name('l-1')}/update`, { status: 'IN_PROGRESS', statusDetails: { step: 'flash' } })).accepted);
        await d.nextOn(`${d.prefix}/notify`, mark);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(d.on(`${d.prefix}/notify-next`, mark), [], 'the next execution did not change');
        assert.ok((await d.request(`${name('l-1')}/update`, { status: 'SUCCEEDED' })).accepted);
        const emptied = await d.nextOn(`${d.prefix}/notify-next`, mark);
        assert.equal(emptied.body.execution, undefined);
      });

      test('requests of one thing are answered in order, each exactly once', async () => {
        const thing = name('order');
        const d = await device(thing);
        await job(name('o-1'), [thingArn(thing)]);
        assert.ok((await d.request('start-next')).accepted);
        const replies = await Promise.all(
          Array.from({ length: 12 }, (_, i) => d.request(`${name('o-1')}/update`, { status: 'IN_PROGRESS', statusDetails: { n: String(i) }, expectedVersion: i + 2 })),
        );
        assert.ok(replies.every((r) => r.accepted), JSON.stringify(replies.find((r) => !r.accepted)?.body));
        await new Promise((r) => setTimeout(r, 200));
        const accepted = d.messages.filter((m) => m.topic === `${d.prefix}/${name('o-1')}/update/accepted`);
        assert.equal(accepted.length, 12, 'one reply per request');
        const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('o-1'), thingName: thing }));
        assert.equal(e.execution?.versionNumber, 14);
        assert.deepEqual(e.execution?.statusDetails?.detailsMap, { n: '11' });
      });
    });
  }
}

for (const backend of BACKENDS) {
  describe(`MQTT access and robustness [${backend}, embedded broker]`, () => {
    let s: TestServer;
    const devices: Device[] = [];
    const connect = async (thing: string, opts = {}, subscribe = true) => {
      const d = await Device.connect(s.app.mqttUrl!, thing, opts, subscribe);
      devices.push(d);
      return d;
    };
    const closed = (d: Device) => new Promise<void>((resolve) => (d.client.disconnected || !d.client.connected ? resolve() : d.client.once('close', () => resolve())));

    before(async () => {
      s = await startServer(backend, { mqttPort: 0 });
      for (const t of ['alice', 'bob', 'quiet', 'flood', 'ghost', 'big']) await s.iot.send(new CreateThingCommand({ thingName: t }));
    });
    after(async () => {
      for (const d of devices) await d.close().catch(() => {});
      await s.close();
    });

    test('a client only reaches its own thing: other things\' topics are refused', async () => {
      const alice = await connect('alice');
      // SUBACK 0x80 for each; mqtt.js turns that into a rejected subscribe.
      await assert.rejects(alice.client.subscribeAsync('$aws/things/bob/jobs/#'), /Subscribe error/, 'another thing');
      await assert.rejects(alice.client.subscribeAsync('$aws/things/+/jobs/notify'), /Subscribe error/, 'a wildcard over things');
      await assert.rejects(alice.client.subscribeAsync('some/other/topic'), /Subscribe error/, 'outside the jobs tree');
      assert.ok(alice.client.connected, 'a refused subscription keeps the connection');
      // Publishing as another thing, or as the service on one's own reply topics, ends the connection.
      const bob = await connect('bob');
      const stop = closed(bob);
      bob.client.publish('$aws/things/alice/jobs/get', '{}');
      await stop;
      const spoofer = await connect('bob');
      const stop2 = closed(spoofer);
      spoofer.client.publish('$aws/things/bob/jobs/notify-next', '{}');
      await stop2;
      // A client id that is no thing name is refused at CONNECT.
      await assert.rejects(Device.connect(s.app.mqttUrl!, 'not a thing!'));
    });

    test('replies go to the requesting client even when it did not subscribe', async () => {
      const quiet = await connect('quiet', {}, false);
      const r = await quiet.request('get');
      assert.ok(r.accepted);
    });

    test('huge payloads, floods and vanished clients never crash the server or corrupt an execution', async () => {
      await s.iot.send(new CreateJobCommand({ jobId: 'robust', targets: [thingArn('flood'), thingArn('ghost')], document: '{}' }));
      // 200 KB is over AWS's 128 KB limit: the connection is closed before the body is read.
      const big = await connect('big');
      const stop = closed(big);
      big.client.publish('$aws/things/big/jobs/get', Buffer.alloc(200 * 1024, 0x20));
      await stop;
      // A flood from one client: every request is answered, some with RequestThrottled, none twice.
      const flood = await connect('flood');
      const n = 100;
      for (let i = 0; i < n; i++) flood.client.publish('$aws/things/flood/jobs/get', JSON.stringify({ clientToken: `f${i}` }));
      await eventually(async () => flood.messages.filter((m) => /\/get\/(accepted|rejected)$/.test(m.topic)).length >= n || undefined, 10_000, 'all flood replies');
      const replies = flood.messages.filter((m) => /\/get\/(accepted|rejected)$/.test(m.topic));
      assert.equal(new Set(replies.map((m) => m.body.clientToken)).size, n, 'each request answered once');
      assert.ok(replies.some((m) => m.topic.endsWith('accepted')));
      assert.ok(replies.every((m) => m.topic.endsWith('accepted') || m.body.code === 'RequestThrottled'));
      // A client that vanishes once its request is acknowledged (PUBACK), before the reply: the
      // request still commits, exactly once, and the reply goes nowhere.
      const ghost = await connect('ghost');
      ghost.client.publish('$aws/things/ghost/jobs/start-next', JSON.stringify({ statusDetails: { at: 'gone' } }), { qos: 1 }, () => ghost.client.stream.destroy());
      const e = await eventually(async () => {
        const x = await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'robust', thingName: 'ghost' }));
        return x.execution?.status === 'IN_PROGRESS' ? x.execution : undefined;
      });
      assert.equal(e.versionNumber, 2);
      // The server still serves everyone.
      const after = await connect('ghost');
      const got = await after.request('robust/get');
      assert.equal((got.body.execution as { status: string }).status, 'IN_PROGRESS');
    });

    test('MQTT over WebSocket on the HTTP port (/mqtt), with the same rules', async () => {
      assert.match(s.app.mqttWsUrl!, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
      assert.equal(new URL(s.app.mqttWsUrl!).port, new URL(s.url).port, 'the same port as HTTP');
      await s.iot.send(new CreateThingCommand({ thingName: 'web' }));
      const d = await Device.connect(s.app.mqttWsUrl!, 'web');
      devices.push(d);
      const mark = d.mark();
      await s.iot.send(new CreateJobCommand({ jobId: 'ws-job', targets: [thingArn('web')], document: '{"via":"ws"}' }));
      const next = await d.nextOn(`${d.prefix}/notify-next`, mark);
      assert.deepEqual((next.body.execution as { jobDocument: unknown }).jobDocument, { via: 'ws' });
      const started = await d.request('start-next');
      assert.equal((started.body.execution as { status: string }).status, 'IN_PROGRESS');
      await assert.rejects(d.client.subscribeAsync('$aws/things/alice/jobs/#'), /Subscribe error/);
      // Other paths do not upgrade; the signed API on the same port still answers.
      await assert.rejects(Device.connect(s.app.mqttWsUrl!.replace('/mqtt', '/other'), 'web2'));
      assert.equal((await fetch(`${s.url}/health`)).status, 200);
    });

    test('with --device-credentials, devices need the password of their thing', async () => {
      const secured = await startServer(backend, { mqttPort: 0, deviceCredentials: new Map([['alice', 'pw-a'], ['*', 'fleet']]) });
      try {
        // Things of the secured server: a client id that is no thing is a client target, without jobs topics.
        for (const thingName of ['alice', 'carol']) await secured.iot.send(new CreateThingCommand({ thingName }));
        await assert.rejects(Device.connect(secured.app.mqttUrl!, 'alice', { username: 'alice', password: 'wrong' }), /Bad username or password|Not authorized/i);
        await assert.rejects(Device.connect(secured.app.mqttUrl!, 'alice'), /Bad username or password|Not authorized/i);
        await assert.rejects(Device.connect(secured.app.mqttUrl!, 'alice', { username: 'bob', password: 'pw-a' }), /Bad username or password|Not authorized/i);
        const a = await Device.connect(secured.app.mqttUrl!, 'alice', { username: 'alice', password: 'pw-a' });
        const c = await Device.connect(secured.app.mqttUrl!, 'carol', { username: 'carol', password: 'fleet' });
        assert.ok((await a.request('get')).accepted);
        await a.close();
        await c.close();
      } finally {
        await secured.close();
      }
    });
  });
}
