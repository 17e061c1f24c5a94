import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type mqtt from 'mqtt';
import { AttachThingPrincipalCommand, CreateCommandCommand, GetCommandExecutionCommand, CreatePolicyCommand, AttachPolicyCommand, CreatePolicyVersionCommand, CreateThingTypeCommand, DetachPolicyCommand, DetachThingPrincipalCommand, UpdateCertificateCommand, UpdateThingCommand } from '@aws-sdk/client-iot';
import { eventually, pgNodes, startServer, type TestServer } from '../support/harness.js';
import { arn, jobsSamplePolicy, policyDocument } from '../support/provision.js';
import { connectCert, nextMessage, provisionWithSdk, serverDisconnect, type Provisioned } from '../support/cert-device.js';
import { rejectsWith } from '../support/assert.js';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';

/**
 * Certificate devices are authorized by the IoT policies attached to their certificate, and a
 * denial looks as perimeter.md §4.5 says AWS shows it (MQTT 5 and 3.1.1).
 */
const tag = randomBytes(3).toString('hex');
const NOT_AUTHORIZED = 0x87;

const reasonOf = (err: unknown) => (err as { code?: number }).code;

async function publishCode(c: mqtt.MqttClient, topic: string): Promise<number> {
  try {
    await c.publishAsync(topic, JSON.stringify({ clientToken: 'p' }), { qos: 1 });
    return 0;
  } catch (err) {
    return reasonOf(err) ?? -1;
  }
}

/** One SUBSCRIBE per filter: mqtt.js turns a SUBACK with a failure code into an error carrying the packet. */
async function subscribeCodes(c: mqtt.MqttClient, filters: string[]): Promise<number[]> {
  const codes: number[] = [];
  for (const f of filters) {
    try {
      codes.push((await c.subscribeAsync(f, { qos: 1 }))[0]!.qos);
    } catch (err) {
      codes.push((err as { packet?: { granted?: number[] } }).packet?.granted?.[0] ?? -1);
    }
  }
  return codes;
}

describe('IoT policies decide what a certificate device may do [sqlite, embedded broker]', () => {
  let s: TestServer;
  let tls: string;
  const open: mqtt.MqttClient[] = [];
  const dev = async (name: string, statements: object[] | ((thing: string) => object[])) => {
    const thing = `test-certs-${name}-${tag}`;
    const doc = policyDocument(typeof statements === 'function' ? statements(thing) : statements);
    return provisionWithSdk(s.iot, s.url, thing, { name: `certs-${name}-${tag}`, document: doc });
  };
  const connect = async (p: Provisioned, clientId = p.thing, v: 4 | 5 = 5) => {
    const c = await connectCert(tls, p, clientId, v);
    open.push(c);
    return c;
  };
  before(async () => {
    s = await startServer('sqlite', { mqttPort: 0, mqttTls: { port: 0 } });
    tls = s.app.mqttTlsUrl!;
  });
  after(async () => {
    for (const c of open) c.end(true);
    await s.close();
  });

  test('the jobs sample policy: every filter granted, a request answered', async () => {
    const p = await dev('full', (t) => Object.values(jobsSamplePolicy(t)));
    const c = await connect(p);
    const prefix = `$aws/things/${p.thing}/jobs`;
    assert.deepEqual(await subscribeCodes(c, ['notify', 'notify-next', 'start-next/+', '+/update/+', 'get/+', '+/get/+'].map((f) => `${prefix}/${f}`)), [1, 1, 1, 1, 1, 1]);
    const reply = nextMessage(c, `${prefix}/get/accepted`);
    assert.equal(await publishCode(c, `${prefix}/get`), 0);
    assert.ok(await reply, 'get answered');
  });

  test('without iot:Connect: CONNACK 0x87 (MQTT 5), return code 5 (3.1.1)', async () => {
    const p = await dev('noconnect', (t) => [jobsSamplePolicy(t).publish, jobsSamplePolicy(t).receive, jobsSamplePolicy(t).subscribe]);
    await assert.rejects(connectCert(tls, p, p.thing, 5), (err) => reasonOf(err) === NOT_AUTHORIZED);
    await assert.rejects(connectCert(tls, p, p.thing, 4), (err) => reasonOf(err) === 5);
  });

  test('without iot:Subscribe: SUBACK 0x87 (3.1.1: 0x80) and the connection stays', async () => {
    const p = await dev('nosub', (t) => [jobsSamplePolicy(t).connect, jobsSamplePolicy(t).publish, jobsSamplePolicy(t).receive]);
    const prefix = `$aws/things/${p.thing}/jobs`;
    const c5 = await connect(p);
    assert.deepEqual(await subscribeCodes(c5, [`${prefix}/get/+`]), [NOT_AUTHORIZED]);
    assert.equal(await publishCode(c5, `${prefix}/get`), 0, 'still connected, publishing');
    c5.end(true);
    const c4 = await connect(p, p.thing, 4);
    assert.deepEqual(await subscribeCodes(c4, [`${prefix}/get/+`]), [0x80]);
  });

  test('without iot:Publish: QoS 1 over MQTT 5 gets PUBACK 0x87 and stays; QoS 0 is disconnected with 0x87', async () => {
    const p = await dev('nopub', (t) => [jobsSamplePolicy(t).connect, jobsSamplePolicy(t).subscribe, jobsSamplePolicy(t).receive]);
    const prefix = `$aws/things/${p.thing}/jobs`;
    const c = await connect(p);
    assert.equal(await publishCode(c, `${prefix}/get`), NOT_AUTHORIZED);
    assert.deepEqual(await subscribeCodes(c, [`${prefix}/get/+`]), [1], 'the connection stays up');
    const gone = serverDisconnect(c);
    c.publish(`${prefix}/get`, '{}', { qos: 0 });
    assert.equal(await gone, NOT_AUTHORIZED);
    // MQTT 3.1.1 has no PUBACK reason code: a refused QoS 1 PUBLISH closes the connection.
    const c4 = await connect(p, p.thing, 4);
    const closed = serverDisconnect(c4);
    c4.publish(`${prefix}/get`, '{}', { qos: 1 });
    assert.equal(await closed, 'closed');
  });

  test('without iot:Receive: the request is accepted but its reply is not delivered', async () => {
    const p = await dev('norecv', (t) => [jobsSamplePolicy(t).connect, jobsSamplePolicy(t).subscribe, jobsSamplePolicy(t).publish]);
    const prefix = `$aws/things/${p.thing}/jobs`;
    const c = await connect(p);
    assert.deepEqual(await subscribeCodes(c, [`${prefix}/get/+`]), [1]);
    const reply = nextMessage(c, `${prefix}/get/accepted`, 1500);
    assert.equal(await publishCode(c, `${prefix}/get`), 0);
    assert.equal(await reply, undefined);
  });

  const thingScoped = () => [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', '${iot:Connection.Thing.ThingName}') },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: arn('topic', '$aws/things/${iot:Connection.Thing.ThingName}/jobs/*') },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', '$aws/things/${iot:Connection.Thing.ThingName}/jobs/*') },
  ];

  // AWS IoT commands' topics under the same checks: a device policy scoped to its thing's commands topics.
  const commandsScoped = (receive: boolean) => [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: arn('client', '${iot:Connection.Thing.ThingName}') },
    { Effect: 'Allow', Action: receive ? ['iot:Publish', 'iot:Receive'] : ['iot:Publish'], Resource: arn('topic', '$aws/commands/things/${iot:Connection.Thing.ThingName}/executions/*') },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', '$aws/commands/things/${iot:Connection.Thing.ThingName}/executions/*') },
  ];

  test('commands topics under IoT policies: own thing granted and answered, another thing refused, no iot:Receive no request', async () => {
    const commandId = `certs-cmd-${tag}`;
    await s.iot.send(new CreateCommandCommand({ commandId, payload: { content: new TextEncoder().encode('{"op":"ping"}'), contentType: 'application/json' } }));
    const start = async (thing: string) =>
      (await s.data.send(new StartCommandExecutionCommand({ commandArn: arn('command', commandId), targetArn: arn('thing', thing) }))).executionId!;
    const a = await dev('cmd-a', commandsScoped(true));
    const b = await dev('cmd-b', commandsScoped(false));
    const ca = await connect(a);
    const base = `$aws/commands/things/${a.thing}/executions`;
    assert.deepEqual(await subscribeCodes(ca, [`${base}/+/request/json`, `${base}/+/response/+/json`, `$aws/commands/things/${b.thing}/executions/+/request/json`]), [1, 1, NOT_AUTHORIZED]);
    // The request may come before StartCommandExecution's answer: listen first.
    const requests = new Map<string, string>();
    const onRequest = (topic: string, payload: Buffer) => requests.set(topic, payload.toString());
    ca.on('message', onRequest);
    let id = await start(a.thing);
    await eventually(async () => requests.has(`${base}/${id}/request/json`), 5000, 'the request');
    assert.deepEqual(JSON.parse(requests.get(`${base}/${id}/request/json`)!), { op: 'ping' });
    assert.equal(await publishCode(ca, `$aws/commands/things/${b.thing}/executions/${id}/response/json`), NOT_AUTHORIZED);
    const accepted = nextMessage(ca, `${base}/${id}/response/accepted/json`, 5000);
    await ca.publishAsync(`${base}/${id}/response/json`, JSON.stringify({ status: 'SUCCEEDED' }), { qos: 1 });
    assert.deepEqual(await accepted, { executionId: id });
    await eventually(async () => (await s.iot.send(new GetCommandExecutionCommand({ executionId: id, targetArn: arn('thing', a.thing) }))).status === 'SUCCEEDED', 5000, 'SUCCEEDED');
    // Without iot:Receive the subscription is granted but the request is not delivered.
    const cb = await connect(b);
    const baseB = `$aws/commands/things/${b.thing}/executions`;
    assert.deepEqual(await subscribeCodes(cb, [`${baseB}/+/request/json`]), [1]);
    cb.on('message', onRequest);
    id = await start(b.thing);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(requests.has(`${baseB}/${id}/request/json`), false);
  });

  test('${iot:Connection.Thing.ThingName} keeps a device off another thing\'s topics and client id', async () => {
    const a = await dev('iso-a', thingScoped());
    const b = await dev('iso-b', thingScoped());
    const c = await connect(a);
    assert.deepEqual(await subscribeCodes(c, [`$aws/things/${a.thing}/jobs/get/+`, `$aws/things/${b.thing}/jobs/get/+`]), [1, NOT_AUTHORIZED]);
    assert.equal(await publishCode(c, `$aws/things/${b.thing}/jobs/get`), NOT_AUTHORIZED);
    assert.equal(await publishCode(c, `$aws/things/${a.thing}/jobs/get`), 0);
    // The client id names a thing not attached to this certificate: the thing variables do not resolve.
    await assert.rejects(connectCert(tls, a, b.thing), (err) => reasonOf(err) === NOT_AUTHORIZED);
  });

  test('thing attributes and type, IsAttached and certificate variables; an EXCLUSIVE_THING resolves whatever the client id', async () => {
    const type = `certs-type-${tag}`;
    await s.iot.send(new CreateThingTypeCommand({ thingTypeName: type }));
    const p = await dev('vars', [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', 'fleet/${iot:Connection.Thing.Attributes[site]}/${iot:Connection.Thing.ThingTypeName}') },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', 'issuer/${iot:Certificate.Issuer.Organization}') },
    ]);
    await s.iot.send(new UpdateThingCommand({ thingName: p.thing, thingTypeName: type, attributePayload: { attributes: { site: 'lyon' } } }));
    const c = await connect(p);
    assert.deepEqual(await subscribeCodes(c, [`fleet/lyon/${type}`, 'fleet/paris/' + type, 'issuer/iot-jobs']), [1, NOT_AUTHORIZED, 1]);
    c.end(true);
    // Another client id: the thing is not associated, IsAttached is false, Connect is refused.
    await assert.rejects(connectCert(tls, p, `other-${tag}`), (err) => reasonOf(err) === NOT_AUTHORIZED);
    // Attached exclusively, the certificate's thing is the connection's whatever the client id.
    await s.iot.send(new DetachThingPrincipalCommand({ thingName: p.thing, principal: p.certificateArn }));
    await s.iot.send(new AttachThingPrincipalCommand({ thingName: p.thing, principal: p.certificateArn, thingPrincipalType: 'EXCLUSIVE_THING' }));
    const other = await connect(p, `other-${tag}`);
    assert.deepEqual(await subscribeCodes(other, [`fleet/lyon/${type}`]), [1]);
  });

  test('an explicit Deny wins over an Allow', async () => {
    const p = await dev('deny', (t) => Object.values(jobsSamplePolicy(t)));
    const denyName = `certs-deny2-${tag}`;
    await s.iot.send(new CreatePolicyCommand({ policyName: denyName, policyDocument: policyDocument([{ Effect: 'Deny', Action: 'iot:Publish', Resource: arn('topic', `$aws/things/${p.thing}/jobs/get`) }]) }));
    await s.iot.send(new AttachPolicyCommand({ policyName: denyName, target: p.certificateArn }));
    const c = await connect(p);
    assert.equal(await publishCode(c, `$aws/things/${p.thing}/jobs/get`), NOT_AUTHORIZED);
    assert.equal(await publishCode(c, `$aws/things/${p.thing}/jobs/start-next`), 0);
  });

  test('policy-language wildcards: * spans levels, + is literal', async () => {
    const p = await dev('wild', (t) => [
      jobsSamplePolicy(t).connect,
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', `$aws/things/${t}/jobs/+/get/+`) },
      { Effect: 'Allow', Action: 'iot:Subscribe', Resource: arn('topicfilter', `$aws/things/${t}/jobs/a*`) },
    ]);
    const c = await connect(p);
    const prefix = `$aws/things/${p.thing}/jobs`;
    assert.deepEqual(await subscribeCodes(c, [`${prefix}/+/get/+`, `${prefix}/x/get/+`, `${prefix}/a/b/c`]), [1, NOT_AUTHORIZED, 1]);
  });

  test('a new default policy version reaches a live connection within seconds', async () => {
    const p = await dev('live', (t) => Object.values(jobsSamplePolicy(t)));
    const c = await connect(p);
    const topic = `$aws/things/${p.thing}/jobs/get`;
    assert.equal(await publishCode(c, topic), 0);
    const { publish: _, ...rest } = jobsSamplePolicy(p.thing);
    await s.iot.send(new CreatePolicyVersionCommand({ policyName: `certs-live-${tag}`, policyDocument: policyDocument(Object.values(rest)), setAsDefault: true }));
    await eventually(async () => (await publishCode(c, topic)) === NOT_AUTHORIZED, 5000, 'the new version to apply');
  });

  for (const status of ['INACTIVE', 'REVOKED'] as const) {
    test(`a certificate made ${status}: its live connection is closed (0x87) and it cannot connect again`, async () => {
      const p = await dev(`st-${status.toLowerCase()}`, (t) => Object.values(jobsSamplePolicy(t)));
      const c = await connect(p);
      const gone = serverDisconnect(c);
      const t0 = Date.now();
      await s.iot.send(new UpdateCertificateCommand({ certificateId: p.certificateId, newStatus: status }));
      assert.equal(await gone, NOT_AUTHORIZED);
      assert.ok(Date.now() - t0 < 5000, 'within seconds');
      await assert.rejects(connectCert(tls, p, p.thing), (err) => reasonOf(err) === NOT_AUTHORIZED);
      if (status === 'REVOKED') await rejectsWith(s.iot.send(new UpdateCertificateCommand({ certificateId: p.certificateId, newStatus: 'ACTIVE' })), 'CertificateStateException', 406);
    });
  }

  test('a certificate with no policy is denied; passwords and open loopback keep their rules on the plain port', async () => {
    const p = await provisionWithSdk(s.iot, s.url, `test-certs-nopol-${tag}`, undefined);
    await assert.rejects(connectCert(tls, p, p.thing), (err) => reasonOf(err) === NOT_AUTHORIZED);
  });
});

describe('IoT policy changes across PostgreSQL nodes', () => {
  test('a policy detached through node 1 closes the live connection on node 2 within seconds', async () => {
    const pg = await pgNodes(2, { clock: 'system', mqttPort: 0, mqttTls: { port: 0 } });
    try {
      const [a, b] = pg.nodes as [TestServer, TestServer];
      const thing = `test-certs-pgl-${tag}`;
      const policyName = `certs-pgl-${tag}`;
      const p = await provisionWithSdk(a.iot, a.url, thing, { name: policyName, document: policyDocument(Object.values(jobsSamplePolicy(thing))) });
      const c = await connectCert(b.app.mqttTlsUrl!, p, thing);
      try {
        const gone = serverDisconnect(c);
        await a.iot.send(new DetachPolicyCommand({ policyName, target: p.certificateArn }));
        assert.equal(await gone, NOT_AUTHORIZED);
      } finally {
        c.end(true);
      }
    } finally {
      await pg.close();
    }
  });
});
