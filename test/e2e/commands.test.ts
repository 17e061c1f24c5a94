import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { decode as decodeCbor } from 'cbor-x';
import {
  CreateCommandCommand,
  CreateThingCommand,
  DeleteCommandCommand,
  DeleteCommandExecutionCommand,
  GetCommandCommand,
  GetCommandExecutionCommand,
  ListCommandExecutionsCommand,
  ListCommandsCommand,
  UpdateCommandCommand,
} from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ACCOUNT, BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, pgNodes, startServer, thingArn, type TestServer } from '../support/harness.js';
import { CommandDevice } from '../support/command-device.js';
import { clockRequest } from '../../src/cli/clock-client.js';

const commandArn = (id: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:command/${id}`;
const clientArn = (id: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:client/${id}`;
/** Publishing where one may not ends the connection (embedded broker); the device reconnects for later checks. */
async function mqttPublishRefused(d: CommandDevice, topic: string): Promise<boolean> {
  const closed = new Promise<boolean>((r) => d.client.once('close', () => r(true)));
  d.client.publish(topic, '{"status":"SUCCEEDED"}', { qos: 0 });
  return Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
}
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** The AWS error name and HTTP status of a failed SDK call. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  assert.fail('the call succeeded');
}

for (const backend of BACKENDS)
  describe(`commands end to end [${backend}, embedded broker, manual clock]`, () => {
    const run = randomBytes(3).toString('hex');
    const name = (n: string) => `commands-${n}-${run}`;
    let s: TestServer;
    const devices: CommandDevice[] = [];
    const advance = async (seconds: number) => {
      const r = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: seconds });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    };
    const thingDevice = async (n: string, opts: Parameters<typeof CommandDevice.connect>[3] = {}) => {
      const t = name(n);
      await s.iot.send(new CreateThingCommand({ thingName: t }));
      const d = await CommandDevice.connect(s.app.mqttUrl!, t, 'thing', opts);
      devices.push(d);
      return d;
    };
    const staticCommand = async (n: string, payload: unknown = { op: 'unlock' }, contentType = 'application/json') => {
      const id = name(n);
      await s.iot.send(new CreateCommandCommand({ commandId: id, payload: { content: typeof payload === 'string' ? new TextEncoder().encode(payload) : json(payload), contentType } }));
      return id;
    };
    const start = (commandId: string, target: string, extra: Record<string, unknown> = {}) =>
      s.data.send(new StartCommandExecutionCommand({ commandArn: commandArn(commandId), targetArn: target, ...extra }));
    const get = (executionId: string, target: string, includeResult = true) => s.iot.send(new GetCommandExecutionCommand({ executionId, targetArn: target, includeResult }));

    before(async () => {
      s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
    });
    after(async () => {
      for (const d of devices) await d.close().catch(() => {});
      await s.close();
    });

    test('control plane: create, get, list with filters and pages, update, deprecate, errors', async () => {
      const a = await staticCommand('cp-a');
      const b = name('cp-b');
      const created = await s.iot.send(
        new CreateCommandCommand({
          commandId: b,
          displayName: 'Set level',
          payloadTemplate: '{"level":"${aws:iot:commandexecution::parameter:level}"}',
          preprocessor: { awsJsonSubstitution: { outputFormat: 'JSON' } },
          mandatoryParameters: [{ name: 'level', type: 'INTEGER', defaultValue: { I: 3 } }],
        }),
      );
      assert.equal(created.commandArn, commandArn(b));
      const got = await s.iot.send(new GetCommandCommand({ commandId: a }));
      assert.equal(got.namespace, 'AWS-IoT');
      assert.deepEqual(JSON.parse(new TextDecoder().decode(got.payload!.content)), { op: 'unlock' });
      assert.equal(got.payload!.contentType, 'application/json');
      assert.equal(got.deprecated, false);
      assert.equal(got.pendingDeletion, false);
      assert.ok(got.createdAt instanceof Date);
      const gotB = await s.iot.send(new GetCommandCommand({ commandId: b }));
      assert.equal(gotB.mandatoryParameters![0]!.defaultValue!.I, 3);
      assert.equal(gotB.preprocessor!.awsJsonSubstitution!.outputFormat, 'JSON');

      const byParam = await s.iot.send(new ListCommandsCommand({ commandParameterName: 'level' }));
      assert.deepEqual(byParam.commands!.map((c) => c.commandId).filter((id) => id!.endsWith(run)), [b]);
      // Pages of one, ascending: a then b (same creation time on the manual clock: id order).
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const p = await s.iot.send(new ListCommandsCommand({ maxResults: 1, sortOrder: 'ASCENDING', namespace: 'AWS-IoT', nextToken }));
        assert.ok(p.commands!.length <= 1);
        seen.push(...p.commands!.map((c) => c.commandId!));
        nextToken = p.nextToken;
      } while (nextToken);
      const mine = seen.filter((id) => id.endsWith(run));
      assert.deepEqual(mine, [a, b].sort());
      const desc = (await s.iot.send(new ListCommandsCommand({}))).commands!.map((c) => c.commandId!).filter((id) => id.endsWith(run));
      assert.deepEqual(desc, [a, b].sort().reverse());

      // Errors: ValidationException (not InvalidRequestException) for the commands operations.
      assert.deepEqual(await failure(s.iot.send(new CreateCommandCommand({ commandId: a, payload: { content: json({}), contentType: 'application/json' } }))).then((f) => [f.name, f.status]), ['ConflictException', 409]);
      const noPayload = await failure(s.iot.send(new CreateCommandCommand({ commandId: name('cp-none') })));
      assert.deepEqual([noPayload.name, noPayload.status], ['ValidationException', 400]);
      const undeclared = await failure(
        s.iot.send(new CreateCommandCommand({ commandId: name('cp-undecl'), payloadTemplate: '{"x":"${aws:iot:commandexecution::parameter:nope}"}', preprocessor: { awsJsonSubstitution: { outputFormat: 'JSON' } }, mandatoryParameters: [{ name: 'other', defaultValue: { S: 'x' } }] })),
      );
      assert.equal(undeclared.name, 'ValidationException');
      assert.match(undeclared.message, /nope/);
      const badId = await failure(s.iot.send(new GetCommandCommand({ commandId: 'bad.id' })));
      assert.deepEqual([badId.name, badId.status], ['ValidationException', 400]);
      assert.equal((await failure(s.iot.send(new GetCommandCommand({ commandId: name('missing') })))).name, 'ResourceNotFoundException');

      // Deprecation: no new executions; editing while deprecated is ConflictException; undeprecating works.
      const dep = await s.iot.send(new UpdateCommandCommand({ commandId: a, deprecated: true }));
      assert.equal(dep.deprecated, true);
      const t = await thingDevice('cp-t');
      const refused = await failure(start(a, thingArn(t.id)));
      assert.deepEqual([refused.name, refused.status], ['ConflictException', 409]);
      const edit = await failure(s.iot.send(new UpdateCommandCommand({ commandId: a, displayName: 'x' })));
      assert.deepEqual([edit.name, edit.status], ['ConflictException', 409]);
      const back = await s.iot.send(new UpdateCommandCommand({ commandId: a, deprecated: false, displayName: 'Unlock' }));
      assert.deepEqual([back.deprecated, back.displayName], [false, 'Unlock']);
    });

    test('DeleteCommand: 202 and pendingDeletion, gone after 12 hours of clock; 204 at once when deprecated 12 hours ago', async () => {
      const a = await staticCommand('del-a');
      const r = await s.iot.send(new DeleteCommandCommand({ commandId: a }));
      assert.equal(r.$metadata.httpStatusCode, 202);
      assert.equal((await s.iot.send(new GetCommandCommand({ commandId: a }))).pendingDeletion, true);
      const t = await thingDevice('del-t');
      assert.equal((await failure(start(a, thingArn(t.id)))).name, 'ConflictException');
      assert.equal((await failure(s.iot.send(new UpdateCommandCommand({ commandId: a, description: 'x' })))).name, 'ConflictException');
      await advance(12 * 3600 - 60);
      assert.equal((await s.iot.send(new GetCommandCommand({ commandId: a }))).pendingDeletion, true);
      await advance(60);
      // The clock POST answered after the scheduled deletion ran.
      assert.equal((await failure(s.iot.send(new GetCommandCommand({ commandId: a })))).name, 'ResourceNotFoundException');

      const b = await staticCommand('del-b');
      await s.iot.send(new UpdateCommandCommand({ commandId: b, deprecated: true }));
      await advance(12 * 3600);
      const now = await s.iot.send(new DeleteCommandCommand({ commandId: b }));
      assert.equal(now.$metadata.httpStatusCode, 204);
      assert.equal((await failure(s.iot.send(new GetCommandCommand({ commandId: b })))).name, 'ResourceNotFoundException');
    });

    test('a static JSON command over MQTT 3.1.1: request, IN_PROGRESS twice, SUCCEEDED with a result; then the state machine refuses', async () => {
      const d = await thingDevice('json');
      const cmd = await staticCommand('json-cmd', { op: 'unlock', door: 2 });
      const { executionId } = await start(cmd, thingArn(d.id), { executionTimeoutSeconds: 60 });
      const req = await d.request(executionId!);
      assert.equal(req.topic, `${d.base}/${executionId}/request/json`);
      assert.deepEqual(JSON.parse(req.payload.toString()), { op: 'unlock', door: 2 });
      const created = await get(executionId!, thingArn(d.id));
      assert.equal(created.status, 'CREATED');
      assert.equal(created.executionTimeoutSeconds, 60);
      assert.equal(created.commandArn, commandArn(cmd));

      for (const _ of [1, 2]) assert.deepEqual(await d.update(executionId!, { status: 'IN_PROGRESS' }), { accepted: true, body: { executionId } });
      assert.equal((await get(executionId!, thingArn(d.id))).status, 'IN_PROGRESS');
      const done = await d.update(executionId!, {
        status: 'SUCCEEDED',
        statusReason: { reasonCode: 'UNLOCKED', reasonDescription: 'door 2 open' },
        result: { firmware: { s: '1.2.3' }, open: { b: true }, blob: { bin: Buffer.from('hi').toString('base64') } },
        deviceType: 'ignored',
      });
      assert.equal(done.accepted, true);
      const final = await get(executionId!, thingArn(d.id));
      assert.equal(final.status, 'SUCCEEDED');
      assert.deepEqual(final.statusReason, { reasonCode: 'UNLOCKED', reasonDescription: 'door 2 open' });
      assert.equal(final.result!.firmware!.S, '1.2.3');
      assert.equal(final.result!.open!.B, true);
      assert.equal(Buffer.from(final.result!.blob!.BIN!).toString(), 'hi');
      assert.ok(final.completedAt instanceof Date);
      assert.equal((await get(executionId!, thingArn(d.id), false)).result, undefined);

      const back = await d.update(executionId!, { status: 'IN_PROGRESS' });
      assert.deepEqual([back.accepted, back.body.error, back.body.executionId], [false, 'InvalidStateTransition', executionId]);
      assert.equal(typeof back.body.errorMessage, 'string');
      assert.equal(back.body.code, undefined);
      const again = await d.update(executionId!, { status: 'FAILED' });
      assert.deepEqual([again.accepted, again.body.error], [false, 'TerminalStateReached']);
      const unknown = await d.update('00000000-0000-0000-0000-000000000000', { status: 'SUCCEEDED' });
      assert.deepEqual([unknown.accepted, unknown.body.error], [false, 'ResourceNotFound']);
      const badJson = await d.client.publishAsync(`${d.base}/${executionId}/response/json`, 'not json', { qos: 1 }).then(() =>
        d.waitFor((m) => m.topic === `${d.base}/${executionId}/response/rejected/json` && JSON.parse(m.payload.toString()).error === 'InvalidJson'),
      );
      assert.ok(badJson);
      const badStatus = await d.update(executionId!, { status: 'CREATED' });
      assert.deepEqual([badStatus.accepted, badStatus.body.error], [false, 'InvalidRequest']);
    });

    test('a dynamic CBOR command over MQTT 5: typed substitution, defaults, content type and message expiry', async () => {
      const d = await thingDevice('cbor', { protocolVersion: 5 });
      const cmd = name('cbor-cmd');
      await s.iot.send(
        new CreateCommandCommand({
          commandId: cmd,
          payloadTemplate: JSON.stringify({
            level: '${aws:iot:commandexecution::parameter:level}',
            label: 'level ${aws:iot:commandexecution::parameter:level} of ${aws:iot:commandexecution::parameter:name}',
            big: '${aws:iot:commandexecution::parameter:big}',
            on: '${aws:iot:commandexecution::parameter:on}',
            raw: '${aws:iot:commandexecution::parameter:raw}',
            timeout: '${aws:iot:commandexecution::executionTimeoutSec}',
          }),
          preprocessor: { awsJsonSubstitution: { outputFormat: 'CBOR' } },
          mandatoryParameters: [
            { name: 'level', type: 'INTEGER', valueConditions: [{ comparisonOperator: 'IN_RANGE', operand: { numberRange: { min: '1', max: '10' } } }] },
            { name: 'name', type: 'STRING', defaultValue: { S: 'kitchen' }, valueConditions: [{ comparisonOperator: 'IN_SET', operand: { strings: ['kitchen', 'hall'] } }] },
            { name: 'big', type: 'UNSIGNEDLONG', defaultValue: { UL: '18446744073709551615' } },
            { name: 'on', type: 'BOOLEAN', defaultValue: { B: true } },
            { name: 'raw', type: 'BINARY', defaultValue: { BIN: new Uint8Array([1, 2, 3]) } },
          ],
        }),
      );
      const { executionId } = await start(cmd, thingArn(d.id), { parameters: { level: { I: 7 } }, executionTimeoutSeconds: 90 });
      const req = await d.request(executionId!);
      assert.equal(req.topic, `${d.base}/${executionId}/request/cbor`);
      assert.equal(req.properties?.contentType, 'application/cbor');
      assert.equal(req.properties?.messageExpiryInterval, 90);
      const doc = decodeCbor(req.payload) as Record<string, unknown>;
      assert.equal(doc.level, 7);
      assert.equal(doc.label, 'level 7 of kitchen');
      assert.equal(doc.big, 18446744073709551615n);
      assert.equal(doc.on, true);
      assert.deepEqual([...(doc.raw as Uint8Array)], [1, 2, 3]);
      assert.equal(doc.timeout, 90);
      const ex = await get(executionId!, thingArn(d.id));
      assert.equal(ex.parameters!.level!.I, 7);
      assert.equal(ex.parameters!.name!.S, 'kitchen');

      // Parameter validation names the parameter.
      const cases: [Record<string, unknown> | undefined, RegExp][] = [
        [undefined, /level is mandatory/],
        [{ level: { I: 11 } }, /level.*range 1 to 10/],
        [{ level: { S: '7' } }, /level.*INTEGER/],
        [{ level: { I: 2 }, name: { S: 'garage' } }, /name.*kitchen, hall/],
        [{ level: { I: 2 }, extra: { S: 'x' } }, /extra/],
      ];
      for (const [parameters, message] of cases) {
        const f = await failure(start(cmd, thingArn(d.id), { parameters }));
        assert.deepEqual([f.name, f.status], ['ValidationException', 400], JSON.stringify(parameters));
        assert.match(f.message, message);
      }
      // MQTT 5: the remaining time, not the whole timeout, after the clock moved.
      const second = await start(cmd, thingArn(d.id), { parameters: { level: { I: 1 } }, executionTimeoutSeconds: 90 });
      assert.equal((await d.request(second.executionId!)).properties?.messageExpiryInterval, 90);
    });

    test('a JSON template: an INTEGER in a quoted placeholder is a JSON number; the no-suffix topic for other content types', async () => {
      const d = await thingDevice('tmpl', {}, );
      const cmd = name('tmpl-cmd');
      await s.iot.send(
        new CreateCommandCommand({
          commandId: cmd,
          payloadTemplate: '{"n":"${aws:iot:commandexecution::parameter:n}","s":"n=${aws:iot:commandexecution::parameter:n}","u":"${aws:iot:commandexecution::parameter:u}"}',
          preprocessor: { awsJsonSubstitution: { outputFormat: 'JSON' } },
          mandatoryParameters: [{ name: 'n', type: 'INTEGER' }, { name: 'u', type: 'UNSIGNEDLONG', defaultValue: { UL: '18446744073709551615' } }],
        }),
      );
      const { executionId } = await start(cmd, thingArn(d.id), { parameters: { n: { I: 42 } } });
      const req = await d.request(executionId!);
      assert.equal(req.topic, `${d.base}/${executionId}/request/json`);
      assert.equal(req.payload.toString(), '{"n":42,"s":"n=42","u":18446744073709551615}');

      const text = await staticCommand('tmpl-text', 'reboot now', 'text/plain');
      const t = await start(text, thingArn(d.id));
      const plain = await d.request(t.executionId!);
      assert.equal(plain.topic, `${d.base}/${t.executionId}/request`);
      assert.equal(plain.payload.toString(), 'reboot now');
    });

    test('embedded broker: `.../request/#` does not get the no-suffix request (AWS rule), but gets json', async () => {
      const t = name('hash');
      await s.iot.send(new CreateThingCommand({ thingName: t }));
      const d = await CommandDevice.connect(s.app.mqttUrl!, t, 'thing', {}, [`$aws/commands/things/${t}/executions/+/request/#`]);
      devices.push(d);
      const text = await staticCommand('hash-text', 'x', 'text/plain');
      const js = await staticCommand('hash-json');
      const a = await start(text, thingArn(t));
      const b = await start(js, thingArn(t));
      await d.request(b.executionId!);
      assert.equal(d.messages.filter((m) => m.topic.includes(a.executionId!)).length, 0);
    });

    test('clientToken: the same request returns the same execution; other parameters are ConflictException; unknown thing is 404', async () => {
      const d = await thingDevice('tok');
      const cmd = await staticCommand('tok-cmd');
      const token = `commands-${run}-tok`;
      const one = await start(cmd, thingArn(d.id), { clientToken: token, executionTimeoutSeconds: 20 });
      const two = await start(cmd, thingArn(d.id), { clientToken: token, executionTimeoutSeconds: 20 });
      assert.equal(two.executionId, one.executionId);
      const other = await failure(start(cmd, thingArn(d.id), { clientToken: token, executionTimeoutSeconds: 21 }));
      assert.deepEqual([other.name, other.status], ['ConflictException', 409]);
      const missing = await failure(start(cmd, thingArn(name('nothing'))));
      assert.deepEqual([missing.name, missing.status], ['ResourceNotFoundException', 404]);
      const tooLong = await failure(start(cmd, thingArn(d.id), { executionTimeoutSeconds: 12 * 3600 + 1 }));
      assert.equal(tooLong.name, 'ValidationException');
      assert.equal((await failure(start(name('no-such-command'), thingArn(d.id)))).name, 'ResourceNotFoundException');
    });

    test('timeouts on the clock: default 10 s, $NO_RESPONSE_FROM_DEVICE, a late final report accepted, a device TIMED_OUT final', async () => {
      const d = await thingDevice('to');
      const cmd = await staticCommand('to-cmd');
      const a = await start(cmd, thingArn(d.id));
      const b = await start(cmd, thingArn(d.id), { executionTimeoutSeconds: 30 });
      await d.request(a.executionId!);
      assert.equal((await get(a.executionId!, thingArn(d.id))).executionTimeoutSeconds, 10);
      await advance(9);
      assert.equal((await get(a.executionId!, thingArn(d.id))).status, 'CREATED');
      await advance(1);
      // The clock POST answered after the due timeout was fired.
      const timed = await get(a.executionId!, thingArn(d.id));
      assert.equal(timed.status, 'TIMED_OUT');
      assert.equal(timed.statusReason!.reasonCode, '$NO_RESPONSE_FROM_DEVICE');
      assert.equal(timed.completedAt, undefined);
      assert.equal((await get(b.executionId!, thingArn(d.id))).status, 'CREATED');
      // A service-set TIMED_OUT is not terminal: IN_PROGRESS no, a final status yes.
      assert.equal((await d.update(a.executionId!, { status: 'IN_PROGRESS' })).body.error, 'InvalidStateTransition');
      assert.equal((await d.update(a.executionId!, { status: 'SUCCEEDED' })).accepted, true);
      assert.equal((await get(a.executionId!, thingArn(d.id))).status, 'SUCCEEDED');
      // A device-reported TIMED_OUT is terminal.
      assert.equal((await d.update(b.executionId!, { status: 'TIMED_OUT', statusReason: { reasonCode: 'SLOW' } })).accepted, true);
      assert.equal((await d.update(b.executionId!, { status: 'SUCCEEDED' })).body.error, 'InvalidStateTransition');
      await advance(30);
      const bt = await get(b.executionId!, thingArn(d.id));
      assert.deepEqual([bt.status, bt.statusReason!.reasonCode], ['TIMED_OUT', 'SLOW']);
      assert.ok(bt.completedAt instanceof Date);
    });

    test('ListCommandExecutions: filters, both sort orders, keyset pages; DeleteCommandExecution only when finished', async () => {
      const d = await thingDevice('list');
      const cmd = await staticCommand('list-cmd');
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push((await start(cmd, thingArn(d.id), { executionTimeoutSeconds: 600 })).executionId!);
        await advance(60);
      }
      await d.update(ids[0]!, { status: 'SUCCEEDED' });
      await d.update(ids[1]!, { status: 'FAILED' });
      const all = async (filter: Record<string, unknown>) => {
        const out: string[] = [];
        let nextToken: string | undefined;
        do {
          const p = await s.iot.send(new ListCommandExecutionsCommand({ maxResults: 1, nextToken, ...filter }));
          out.push(...p.commandExecutions!.map((e) => e.executionId!));
          nextToken = p.nextToken;
        } while (nextToken);
        return out;
      };
      assert.deepEqual(await all({ commandArn: commandArn(cmd) }), [...ids].reverse());
      assert.deepEqual(await all({ commandArn: commandArn(cmd), sortOrder: 'ASCENDING' }), ids);
      assert.deepEqual(await all({ targetArn: thingArn(d.id), sortOrder: 'ASCENDING' }), ids);
      assert.deepEqual(await all({ commandArn: commandArn(cmd), status: 'FAILED' }), [ids[1]]);
      assert.deepEqual(new Set(await all({ commandArn: commandArn(cmd), completedTimeFilter: { after: '2000-01-01T00:00' } })), new Set([ids[0], ids[1]]));
      const firstCreated = (await get(ids[0]!, thingArn(d.id))).createdAt!;
      const minute = (t: Date) => t.toISOString().slice(0, 16);
      const later = await all({ commandArn: commandArn(cmd), startedTimeFilter: { after: minute(new Date(firstCreated.getTime() + 60_000)) }, sortOrder: 'ASCENDING' });
      assert.deepEqual(later, ids.slice(1));
      const summary = (await s.iot.send(new ListCommandExecutionsCommand({ commandArn: commandArn(cmd), status: 'SUCCEEDED' }))).commandExecutions![0]!;
      assert.deepEqual([summary.status, summary.targetArn, summary.commandArn], ['SUCCEEDED', thingArn(d.id), commandArn(cmd)]);
      assert.ok(summary.completedAt instanceof Date);
      const both = await failure(s.iot.send(new ListCommandExecutionsCommand({ commandArn: commandArn(cmd), targetArn: thingArn(d.id) })));
      assert.deepEqual([both.name, both.status], ['ValidationException', 400]);
      const badTime = await failure(s.iot.send(new ListCommandExecutionsCommand({ startedTimeFilter: { after: 'yesterday' } })));
      assert.equal(badTime.name, 'ValidationException');

      const open = await failure(s.iot.send(new DeleteCommandExecutionCommand({ executionId: ids[2]!, targetArn: thingArn(d.id) })));
      assert.deepEqual([open.name, open.status], ['ConflictException', 409]);
      await s.iot.send(new DeleteCommandExecutionCommand({ executionId: ids[0]!, targetArn: thingArn(d.id) }));
      assert.equal((await failure(get(ids[0]!, thingArn(d.id)))).name, 'ResourceNotFoundException');
    });

    test('client targets and topic isolation: a client that is not a thing uses $aws/commands/clients/<id>/... only', async () => {
      const clientId = name('client');
      const c = await CommandDevice.connect(s.app.mqttUrl!, clientId, 'client');
      devices.push(c);
      const cmd = await staticCommand('client-cmd');
      const { executionId } = await start(cmd, clientArn(clientId));
      const req = await c.request(executionId!);
      assert.equal(req.topic, `$aws/commands/clients/${clientId}/executions/${executionId}/request/json`);
      assert.equal((await c.update(executionId!, { status: 'SUCCEEDED' })).accepted, true);
      assert.equal((await get(executionId!, clientArn(clientId))).status, 'SUCCEEDED');
      // Under the other's ARN it does not exist.
      assert.equal((await failure(get(executionId!, thingArn(clientId)))).name, 'ResourceNotFoundException');

      // Another device may not subscribe to, or publish on, someone else's commands topics.
      const other = await thingDevice('iso');
      for (const filter of [`$aws/commands/clients/${clientId}/executions/+/request/json`, '$aws/commands/things/+/executions/+/request/json'])
        await assert.rejects(other.client.subscribeAsync(filter, { qos: 1 }), (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0] === 128);
      const sneaky = await mqttPublishRefused(other, `$aws/commands/clients/${clientId}/executions/x/response/json`);
      assert.equal(sneaky, true);
      const second = await start(cmd, clientArn(clientId));
      await c.request(second.executionId!);
      assert.equal((await get(second.executionId!, clientArn(clientId))).status, 'CREATED');
    });

    for (const version of [4, 5] as const)
      test(`a client target is confined to its own commands client topics [MQTT ${version === 4 ? '3.1.1' : '5'}]`, async () => {
        const refusedCode = version === 5 ? 0x87 : 0x80;
        const clientId = name(`confined${version}`);
        const otherClient = name(`neighbour${version}`);
        const thing = await thingDevice(`thing${version}`);
        const opts = { protocolVersion: version };
        const c = await CommandDevice.connect(s.app.mqttUrl!, clientId, 'client', opts);
        const neighbour = await CommandDevice.connect(s.app.mqttUrl!, otherClient, 'client', opts);
        devices.push(c, neighbour);
        // It receives its commands and answers them.
        const cmd = await staticCommand(`confined-cmd${version}`);
        const mine = await start(cmd, clientArn(clientId));
        await c.request(mine.executionId!);
        assert.equal((await c.update(mine.executionId!, { status: 'IN_PROGRESS' })).accepted, true);
        assert.equal((await c.update(mine.executionId!, { status: 'SUCCEEDED', result: { n: { s: 'ok' } } })).accepted, true);
        assert.equal((await get(mine.executionId!, clientArn(clientId))).status, 'SUCCEEDED');

        // Nothing else: not its id as a thing, not another client's or thing's commands, no jobs topics.
        const refusedFilters = [
          `$aws/commands/things/${clientId}/executions/+/request/json`,
          `$aws/commands/clients/${otherClient}/executions/+/request/json`,
          `$aws/commands/things/${thing.id}/executions/+/request/json`,
          '$aws/commands/clients/+/executions/+/request/json',
          `$aws/things/${clientId}/jobs/notify-next`,
          `$aws/things/${thing.id}/jobs/notify`,
          `$aws/things/${clientId}/jobs/+/get/accepted`,
          '#',
        ];
        for (const filter of refusedFilters) {
          const granted = await c.client.subscribeAsync(filter, { qos: 1 }).then(
            (g) => g[0]!.qos,
            (err: { packet?: { granted?: number[] } }) => err.packet?.granted?.[0],
          );
          assert.equal(granted, refusedCode, filter);
        }
        // Not delivered: the neighbour's request does not reach it, its own still does.
        const theirs = await start(cmd, clientArn(otherClient));
        await neighbour.request(theirs.executionId!);
        const again = await start(cmd, clientArn(clientId));
        await c.request(again.executionId!);
        assert.equal(c.messages.some((m) => m.topic.includes(theirs.executionId!)), false);

        // A publish outside its topics closes the connection (MQTT 5: DISCONNECT 0x87 first).
        for (const topic of [`$aws/things/${clientId}/jobs/get`, `$aws/commands/things/${clientId}/executions/${again.executionId}/response/json`, `$aws/commands/clients/${otherClient}/executions/${theirs.executionId}/response/json`]) {
          const d = await CommandDevice.connect(s.app.mqttUrl!, clientId, 'client', opts);
          devices.push(d);
          const reason = new Promise<number | undefined>((r) => d.client.once('disconnect', (p: { reasonCode?: number }) => r(p.reasonCode)));
          assert.equal(await mqttPublishRefused(d, topic), true, topic);
          if (version === 5) assert.equal(await reason, 0x87, topic);
        }
        // The neighbour's execution is untouched by the refused publish.
        assert.equal((await get(theirs.executionId!, clientArn(otherClient))).status, 'CREATED');
      });
  });

// The external broker (Mosquitto): requests published by the service, updates consumed by the lease holder.
for (const backend of BACKENDS)
  describe(`commands over an external broker (Mosquitto) [${backend}]`, () => {
    const run = randomBytes(3).toString('hex');
    const name = (n: string) => `commands-x-${n}-${run}`;
    let s: TestServer;
    const devices: CommandDevice[] = [];
    before(async () => {
      s = await startServer(backend, { mqttUrl: MOSQUITTO_URL });
    });
    after(async () => {
      for (const d of devices) await d.close().catch(() => {});
      await s.close();
    });

    for (const version of [4, 5] as const)
      test(`MQTT ${version === 4 ? '3.1.1' : '5'}: JSON and CBOR requests, status updates accepted and rejected`, async () => {
        const t = name(`t${version}`);
        await s.iot.send(new CreateThingCommand({ thingName: t }));
        const d = await CommandDevice.connect(MOSQUITTO_URL, t, 'thing', { protocolVersion: version });
        devices.push(d);
        const cmd = name(`c${version}`);
        await s.iot.send(
          new CreateCommandCommand({
            commandId: cmd,
            payloadTemplate: '{"v":"${aws:iot:commandexecution::parameter:v}"}',
            preprocessor: { awsJsonSubstitution: { outputFormat: version === 5 ? 'CBOR' : 'JSON' } },
            mandatoryParameters: [{ name: 'v', type: 'DOUBLE' }],
          }),
        );
        const { executionId } = await s.data.send(new StartCommandExecutionCommand({ commandArn: commandArn(cmd), targetArn: thingArn(t), parameters: { v: { D: 1.5 } }, executionTimeoutSeconds: 120 }));
        const req = await d.request(executionId!);
        if (version === 5) {
          assert.equal(req.topic, `${d.base}/${executionId}/request/cbor`);
          assert.deepEqual(decodeCbor(req.payload), { v: 1.5 });
          assert.equal(req.properties?.contentType, 'application/cbor');
          assert.ok((req.properties?.messageExpiryInterval as number) <= 120 && (req.properties?.messageExpiryInterval as number) >= 100);
        } else {
          assert.equal(req.topic, `${d.base}/${executionId}/request/json`);
          assert.deepEqual(JSON.parse(req.payload.toString()), { v: 1.5 });
        }
        assert.equal((await d.update(executionId!, { status: 'IN_PROGRESS' })).accepted, true);
        assert.equal((await d.update(executionId!, { status: 'REJECTED', statusReason: { reasonCode: 'BUSY' } })).accepted, true);
        const again = await d.update(executionId!, { status: 'SUCCEEDED' });
        assert.deepEqual([again.accepted, again.body.error], [false, 'TerminalStateReached']);
        const ex = await s.iot.send(new GetCommandExecutionCommand({ executionId: executionId!, targetArn: thingArn(t) }));
        assert.deepEqual([ex.status, ex.statusReason?.reasonCode], ['REJECTED', 'BUSY']);
      });
  });

// Two nodes on one PostgreSQL and Mosquitto: whichever node starts the execution publishes its
// request, the lease holder consumes the device's updates, and either node's clock POST times out.
describe('commands across two nodes (PostgreSQL, Mosquitto)', { skip: !BACKENDS.includes('postgres') && 'PostgreSQL backend not selected' }, () => {
  const run = randomBytes(3).toString('hex');
  let cluster: Awaited<ReturnType<typeof pgNodes>>;
  let d: CommandDevice;
  before(async () => {
    cluster = await pgNodes(2, { mqttUrl: MOSQUITTO_URL });
  });
  after(async () => {
    await d?.close().catch(() => {});
    await cluster.close();
  });

  test('started on either node, answered through the lease holder, timed out by the other', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const thing = `commands-mn-${run}`;
    const cmd = `commands-mn-${run}`;
    await a.iot.send(new CreateThingCommand({ thingName: thing }));
    await a.iot.send(new CreateCommandCommand({ commandId: cmd, payload: { content: json({ op: 'x' }), contentType: 'application/json' } }));
    d = await CommandDevice.connect(MOSQUITTO_URL, thing, 'thing', { protocolVersion: 5 });
    const ids: string[] = [];
    for (const node of [a, b]) {
      const { executionId } = await node.data.send(new StartCommandExecutionCommand({ commandArn: commandArn(cmd), targetArn: thingArn(thing), executionTimeoutSeconds: 60 }));
      await d.request(executionId!);
      ids.push(executionId!);
    }
    assert.equal((await d.update(ids[0]!, { status: 'SUCCEEDED' })).accepted, true);
    assert.equal((await b.iot.send(new GetCommandExecutionCommand({ executionId: ids[0]!, targetArn: thingArn(thing) }))).status, 'SUCCEEDED');
    const r = await clockRequest({ url: a.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: 61 });
    assert.equal(r.status, 200);
    const timed = await b.iot.send(new GetCommandExecutionCommand({ executionId: ids[1]!, targetArn: thingArn(thing) }));
    assert.deepEqual([timed.status, timed.statusReason?.reasonCode], ['TIMED_OUT', '$NO_RESPONSE_FROM_DEVICE']);
  });
});
