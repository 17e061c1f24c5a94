import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, MOSQUITTO_URL, eventually, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { makePki } from '../support/certs.js';
import { RawClient } from '../support/raw-mqtt.js';
/** The embedded broker's packet limit (AWS IoT's 128 KB message limit plus room for the header). */
const MAX_PACKET = 128 * 1024 + 1024;
const V5 = { protocolVersion: 5 };
/** The device flow of AWS's samples: notify-next, start-next, a rejected and an accepted update, each reply carrying the clientToken. */
async function deviceFlow(s, d, jobId) {
    const mark = d.mark();
    await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(d.thing)], document: '{"mqtt":5}' }));
    const next = await d.nextOn(`${d.prefix}/notify-next`, mark);
    const ex = next.body.execution;
    assert.equal(ex.jobId, jobId);
    assert.equal(ex.status, 'QUEUED');
    assert.deepEqual(ex.jobDocument, { mqtt: 5 });
    // Device.request waits for the reply carrying its own clientToken: the token is echoed.
    const started = await d.request('start-next');
    assert.ok(started.accepted, JSON.stringify(started.body));
    assert.equal(started.body.execution.status, 'IN_PROGRESS');
    const stale = await d.request(`${jobId}/update`, { status: 'SUCCEEDED', expectedVersion: 99 });
    assert.equal(stale.accepted, false);
    assert.equal(stale.body.code, 'VersionMismatch');
    assert.match(String(stale.body.clientToken), /^t\d+-/);
    const done = await d.request(`${jobId}/update`, { status: 'SUCCEEDED', expectedVersion: 2 });
    assert.ok(done.accepted, JSON.stringify(done.body));
    const described = await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: d.thing }));
    assert.equal(described.execution?.status, 'SUCCEEDED');
}
for (const backend of BACKENDS) {
    describe(`MQTT 5 devices [${backend}, embedded broker]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let pki;
        let s;
        const devices = [];
        const raws = [];
        const thing = async (n) => {
            const t = name(n);
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            return t;
        };
        const device = async (url, t, opts = {}) => {
            const d = await Device.connect(url, t, { ...V5, ...opts });
            devices.push(d);
            return d;
        };
        const raw = async (version = 5, ws = false) => {
            const r = ws ? await RawClient.ws(s.app.mqttWsUrl, version) : await RawClient.tcp(s.app.mqttUrl, version);
            raws.push(r);
            return r;
        };
        before(async () => {
            pki = makePki();
            s = await startServer(backend, {
                mqttPort: 0,
                mqttTls: { port: 0, cert: Buffer.from(pki.server.cert), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca.cert) },
            });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            for (const r of raws)
                r.destroy();
            await s.close();
        });
        test('an MQTT 5 device (mqtt.js) over TCP, over TLS with a device certificate, and over WebSocket', async () => {
            const tcp = await thing('v5-tcp');
            await deviceFlow(s, await device(s.app.mqttUrl, tcp), name('tcp-job'));
            const tls = await thing('v5-tls');
            const cert = pki.device(tls);
            await deviceFlow(s, await device(s.app.mqttTlsUrl, tls, { ca: pki.ca.cert, cert: cert.cert, key: cert.key, rejectUnauthorized: true }), name('tls-job'));
            // Another thing's certificate is refused at CONNECT, with MQTT 5's reason code.
            await assert.rejects(Device.connect(s.app.mqttTlsUrl, tls, { ...V5, ca: pki.ca.cert, ...pki.device(name('v5-other')), rejectUnauthorized: true }), /Not authorized/);
            const web = await thing('v5-ws');
            await deviceFlow(s, await device(s.app.mqttWsUrl, web), name('ws-job'));
        });
        test('MQTT 3.1.1 and MQTT 5 devices on the same port at once', async () => {
            const [a, b] = [await thing('mixed-311'), await thing('mixed-5')];
            const old = await device(s.app.mqttUrl, a, { protocolVersion: 4 });
            const v5 = await device(s.app.mqttUrl, b);
            const [ma, mb] = [old.mark(), v5.mark()];
            await s.iot.send(new CreateJobCommand({ jobId: name('mixed'), targets: [thingArn(a), thingArn(b)], document: '{}' }));
            await old.nextOn(`${old.prefix}/notify-next`, ma);
            await v5.nextOn(`${v5.prefix}/notify-next`, mb);
            assert.ok((await old.request('start-next')).accepted);
            assert.ok((await v5.request('start-next')).accepted);
        });
        test('CONNACK: the server\'s limits for MQTT 5, reason codes for refusals, and 3.1.1 return codes', async () => {
            const t = await thing('connack');
            const ok = await (await raw()).connect(t);
            assert.equal(ok.reasonCode, 0);
            assert.equal(ok.sessionPresent, false);
            assert.deepEqual({ ...ok.properties }, { maximumQoS: 1, retainAvailable: false, maximumPacketSize: MAX_PACKET, wildcardSubscriptionAvailable: true, subscriptionIdentifiersAvailable: false, sharedSubscriptionAvailable: false });
            assert.equal((await (await raw()).connect('not a thing!')).reasonCode, 0x85, 'client identifier not valid');
            assert.equal((await (await raw()).connect(t, { properties: { authenticationMethod: 'SCRAM-SHA-1' } })).reasonCode, 0x8c, 'bad authentication method');
            assert.equal((await (await raw(4)).connect('not a thing!')).returnCode, 2, '3.1.1: identifier rejected');
            // A version the server does not speak: CONNACK 0x01 (unacceptable protocol version), then the close.
            const v6 = await raw(4);
            const connect = RawClient.encode({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: t, clean: true, keepalive: 60 }, 4);
            connect[8] = 6;
            v6.sendBytes(connect);
            assert.equal((await v6.next('connack')).returnCode, 1);
            assert.ok(await v6.closesWithin());
            // Passwords, as for 3.1.1: 0x86 bad user name or password.
            const secured = await startServer(backend, { mqttPort: 0, deviceCredentials: new Map([[t, 'pw']]) });
            try {
                const bad = await RawClient.tcp(secured.app.mqttUrl, 5);
                assert.equal((await bad.connect(t, { username: t, password: Buffer.from('nope') })).reasonCode, 0x86);
                bad.destroy();
                const good = await RawClient.tcp(secured.app.mqttUrl, 5);
                assert.equal((await good.connect(t, { username: t, password: Buffer.from('pw') })).reasonCode, 0);
                good.destroy();
                await assert.rejects(Device.connect(secured.app.mqttUrl, t, { ...V5, username: t, password: 'nope' }), /Bad User Name or Password/i);
                // A shutdown ends connections that have not sent CONNECT yet too (they would hold it for 30 s).
                const silent = await RawClient.tcp(secured.app.mqttUrl, 5);
                const t0 = Date.now();
                await secured.close();
                assert.ok(Date.now() - t0 < 10_000, `closed in ${Date.now() - t0} ms`);
                assert.ok(await silent.closesWithin(1000));
            }
            finally {
                await secured.close().catch(() => { });
            }
        });
        test('SUBACK reason codes: a refused subscription gets a code of 0x80 or more and the connection stays up', async () => {
            const t = await thing('suback');
            const r = await raw();
            await r.connect(t);
            const granted = await r.subscribe([
                `$aws/things/${t}/jobs/notify-next`,
                `$aws/things/${name('someone-else')}/jobs/#`,
                '$aws/things/+/jobs/notify',
                `$share/g/$aws/things/${t}/jobs/get/accepted`,
                `$aws/things/${t}/jobs/#/get`,
            ]);
            assert.deepEqual(granted, [0x01, 0x87, 0x87, 0x9e, 0x8f], 'granted QoS 1, not authorized ×2, shared subscriptions not supported, topic filter invalid');
            assert.deepEqual(await r.subscribe([`$aws/things/${t}/jobs/get/+`], 2, 2), [0x01], 'QoS 2 is granted as QoS 1');
            r.send({ cmd: 'pingreq' });
            await r.next('pingresp');
            r.send({ cmd: 'unsubscribe', messageId: 3, unsubscriptions: [`$aws/things/${t}/jobs/notify-next`, `$aws/things/${t}/jobs/notify`] });
            assert.deepEqual((await r.next('unsuback')).granted, [0x00, 0x11], 'success, no subscription existed');
            // 3.1.1 has one failure code.
            const old = await raw(4);
            await old.connect(t);
            assert.deepEqual(await old.subscribe([`$aws/things/${t}/jobs/notify`, `$aws/things/${name('someone-else')}/jobs/#`]), [0x01, 0x80]);
            // mqtt.js reports the refusal; the client stays connected.
            const d = await device(s.app.mqttUrl, await thing('suback-js'));
            await assert.rejects(d.client.subscribeAsync(`$aws/things/${t}/jobs/#`), /Subscribe error/);
            assert.ok(d.client.connected);
            assert.ok((await d.request('get')).accepted);
        });
        test('a device that breaks the rules gets a DISCONNECT with the reason code, and nothing it sent is served', async () => {
            const t = await thing('rules');
            const victim = await thing('victim');
            await s.iot.send(new CreateJobCommand({ jobId: name('victim-job'), targets: [thingArn(victim)], document: '{}' }));
            const cases = [
                ['publish as another thing', (r) => r.send({ cmd: 'publish', topic: `$aws/things/${victim}/jobs/start-next`, payload: '{}', qos: 0, retain: false, dup: false }), 0x87],
                ['publish as the service', (r) => r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/notify-next`, payload: '{}', qos: 0, retain: false, dup: false }), 0x87],
                ['QoS 2', (r) => r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: '{}', qos: 2, messageId: 7, retain: false, dup: false }), 0x9b],
                ['retain', (r) => r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: '{}', qos: 0, retain: true, dup: false }), 0x9a],
                ['a topic alias (Topic Alias Maximum is 0)', (r) => r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: '{}', qos: 0, retain: false, dup: false, properties: { topicAlias: 1 } }), 0x94],
                ['a subscription identifier', (r) => r.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: `$aws/things/${t}/jobs/get/+`, qos: 0 }], properties: { subscriptionIdentifier: 3 } }), 0xa1],
                ['a second CONNECT', (r) => r.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clientId: t, clean: true, keepalive: 60 }), 0x82],
                ['a Session Expiry Interval raised from 0 at DISCONNECT', (r) => r.send({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } }), 0x82],
            ];
            for (const [what, act, code] of cases) {
                const r = await raw();
                await r.connect(t);
                act(r);
                const d = await r.next('disconnect').catch((err) => assert.fail(`${what}: ${err.message}`));
                assert.equal(d.reasonCode, code, what);
                assert.ok(await r.closesWithin(), `${what}: the connection is closed`);
            }
            const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('victim-job'), thingName: victim }));
            assert.equal(e.execution?.status, 'QUEUED', 'the foreign start-next was not served');
        });
        test('Maximum Packet Size both ways: 0x95 for a packet over the server\'s, and nothing over the client\'s is sent to it', async () => {
            const t = await thing('size');
            const r = await raw();
            await r.connect(t);
            r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: Buffer.alloc(200 * 1024, 0x20), qos: 0, retain: false, dup: false });
            assert.equal((await r.next('disconnect')).reasonCode, 0x95);
            assert.ok(await r.closesWithin());
            await s.iot.send(new CreateJobCommand({ jobId: name('small'), targets: [thingArn(t)], document: '{}' }));
            await s.iot.send(new CreateJobCommand({ jobId: name('big'), targets: [thingArn(t)], document: JSON.stringify({ blob: 'x'.repeat(4000) }) }));
            const small = await raw();
            await small.connect(t, { properties: { maximumPacketSize: 1024 } });
            await small.subscribe([`$aws/things/${t}/jobs/+/get/+`]);
            const get = (jobId, token) => small.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/${jobId}/get`, payload: JSON.stringify({ clientToken: token, includeJobDocument: true }), qos: 0, retain: false, dup: false });
            get(name('small'), 'a');
            get(name('big'), 'b');
            get(name('small'), 'c');
            // Requests of one thing are answered in order: once 'c' is here, 'b' was dropped, not late.
            await eventually(async () => small.publishes.some((p) => JSON.parse(p.payload.toString()).clientToken === 'c') || undefined, 10_000, 'reply c');
            const tokens = small.publishes.map((p) => JSON.parse(p.payload.toString()).clientToken);
            assert.deepEqual(tokens, ['a', 'c']);
            assert.ok(small.publishes.every((p) => p.length + 5 <= 1024));
            assert.equal(small.isClosed, false);
        });
        test('session expiry and clean start: a resumed session keeps its subscriptions for QoS 0 delivery', async () => {
            const t = await thing('session');
            const first = await raw();
            assert.equal((await first.connect(t, { clean: true, properties: { sessionExpiryInterval: 300 } })).sessionPresent, false);
            await first.subscribe([`$aws/things/${t}/jobs/notify-next`]);
            first.send({ cmd: 'disconnect', reasonCode: 0 });
            await first.closed;
            const resumed = await raw();
            const ack = await resumed.connect(t, { clean: false, properties: { sessionExpiryInterval: 300 } });
            assert.equal(ack.sessionPresent, true);
            await s.iot.send(new CreateJobCommand({ jobId: name('session-job'), targets: [thingArn(t)], document: '{}' }));
            const next = await resumed.next('publish');
            assert.equal(next.topic, `$aws/things/${t}/jobs/notify-next`, 'delivered without subscribing again');
            resumed.destroy();
            await resumed.closed;
            // Clean Start discards the session.
            const fresh = await raw();
            assert.equal((await fresh.connect(t, { clean: true })).sessionPresent, false);
            fresh.destroy();
            await fresh.closed;
            // Session Expiry Interval 0 (the default) ends the session with the connection.
            const again = await raw();
            assert.equal((await again.connect(t, { clean: false })).sessionPresent, false);
            // A longer span than the server keeps is cut to an hour, and the CONNACK says so.
            const forever = await raw();
            assert.equal((await forever.connect(t, { properties: { sessionExpiryInterval: 0xffffffff } })).properties?.sessionExpiryInterval, 3600);
            // 3.1.1: clean session 0 keeps the session too.
            const t311 = await thing('session-311');
            const old = await raw(4);
            await old.connect(t311, { clean: false });
            await old.subscribe([`$aws/things/${t311}/jobs/notify-next`]);
            old.destroy();
            await old.closed;
            assert.equal((await (await raw(4)).connect(t311, { clean: false })).sessionPresent, true);
        });
        test('Response Topic, Correlation Data and user properties are passed through untouched', async () => {
            const t = await thing('props');
            const r = await raw();
            await r.connect(t);
            await r.subscribe([`$aws/things/${t}/jobs/#`]);
            const properties = {
                responseTopic: `$aws/things/${t}/jobs/my-replies`,
                correlationData: Buffer.from([0, 1, 2, 254, 255]),
                userProperties: { firmware: '1.2.3' },
                contentType: 'application/json',
                payloadFormatIndicator: true,
            };
            r.send({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: JSON.stringify({ clientToken: 'p1' }), qos: 1, messageId: 5, retain: false, dup: false, properties });
            assert.equal((await r.next('puback')).messageId, 5);
            await eventually(async () => r.publishes.length >= 2 || undefined, 5000, 'echo and reply');
            const echo = r.publishes.find((p) => p.topic === `$aws/things/${t}/jobs/get`);
            assert.deepEqual({ ...echo.properties, userProperties: { ...echo.properties?.userProperties } }, properties, 'a subscriber gets the request with its properties as sent');
            const reply = r.publishes.find((p) => p.topic === `$aws/things/${t}/jobs/get/accepted`);
            assert.equal(JSON.parse(reply.payload.toString()).clientToken, 'p1');
            assert.deepEqual(reply.properties?.correlationData, properties.correlationData, 'the reply carries the request\'s Correlation Data');
        });
        test('a second connection with the same client id takes over: the first gets DISCONNECT 0x8E', async () => {
            const t = await thing('takeover');
            const first = await raw();
            await first.connect(t);
            const second = await raw();
            assert.equal((await second.connect(t)).reasonCode, 0);
            assert.equal((await first.next('disconnect')).reasonCode, 0x8e);
            assert.ok(await first.closesWithin());
            second.send({ cmd: 'pingreq' });
            await second.next('pingresp');
        });
        for (const version of [4, 5]) {
            test(`over WebSocket, a PUBLISH over the size limit split over several messages is refused [MQTT ${version === 5 ? '5' : '3.1.1'}]`, async () => {
                const t = await thing(`ws-split-${version}`);
                const publish = (size, token) => RawClient.encode({ cmd: 'publish', topic: `$aws/things/${t}/jobs/get`, payload: JSON.stringify({ clientToken: token, pad: ' '.repeat(size) }), qos: 0, retain: false, dup: false }, version);
                const inParts = (r, b, part) => {
                    for (let i = 0; i < b.length; i += part)
                        r.sendBytes(b.subarray(i, i + part));
                };
                // Under the limit, split in 16 KB messages: reassembled and served.
                const ok = await raw(version, true);
                await ok.connect(t);
                inParts(ok, publish(100 * 1024, 'fits'), 16 * 1024);
                const reply = await ok.next('publish', 10_000);
                assert.equal(JSON.parse(reply.payload.toString()).clientToken, 'fits');
                ok.destroy();
                // Over the limit, each message well under it: closed, not served.
                const big = await raw(version, true);
                await big.connect(t);
                inParts(big, publish(200 * 1024, 'too-big'), 16 * 1024);
                if (version === 5)
                    assert.equal((await big.next('disconnect')).reasonCode, 0x95);
                assert.ok(await big.closesWithin(), 'the connection is closed');
                assert.equal(big.publishes.length, 0, 'no reply: the request was not processed');
            });
        }
    });
    describe(`MQTT 5 devices [${backend}, external broker (Mosquitto)]`, () => {
        const run = randomBytes(3).toString('hex');
        let s;
        const devices = [];
        before(async () => {
            s = await startServer(backend, { mqttUrl: MOSQUITTO_URL });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        test('an MQTT 5 device on Mosquitto, with an iot-jobs node attached, gets the same device flow', async () => {
            const t = `ext5-${run}`;
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const d = await Device.connect(MOSQUITTO_URL, t, V5);
            devices.push(d);
            await deviceFlow(s, d, `ext5-job-${run}`);
            // The node speaks MQTT 5 to Mosquitto too: the request's Correlation Data comes back on the reply.
            const correlationData = Buffer.from('ext-corr');
            const reply = new Promise((resolve) => d.client.on('message', (topic, _payload, packet) => {
                if (topic === `${d.prefix}/get/accepted`)
                    resolve(packet.properties?.correlationData);
            }));
            await d.client.publishAsync(`${d.prefix}/get`, JSON.stringify({ clientToken: 'ext-c' }), { qos: 1, properties: { correlationData } });
            assert.deepEqual(await reply, correlationData);
        });
    });
}
//# sourceMappingURL=mqtt5.test.js.map