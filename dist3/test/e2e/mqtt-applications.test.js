import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, eventually, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { RawClient } from '../support/raw-mqtt.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';
const run = promisify(execFile);
const tag = randomBytes(3).toString('hex');
const id = (n) => `appmqtt-${n}-${tag}`;
/** Sends the WebSocket upgrade of `url` and resolves with the HTTP answer (101 on success). */
function upgrade(url) {
    return new Promise((resolve, reject) => {
        const u = new URL(url);
        const req = request({
            host: u.hostname,
            port: u.port,
            path: u.pathname + u.search,
            headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': 'mqtt' },
        });
        req.on('upgrade', (res, socket) => {
            socket.destroy();
            resolve({ status: res.statusCode, headers: res.headers, body: '' });
        });
        req.on('response', (res) => {
            let body = '';
            res.on('data', (c) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
    });
}
const presign = (s, more = {}) => presignMqttUrl({ url: s.app.mqttWsUrl, region: REGION, credentials: CREDENTIALS, ...more });
/** What an event payload must carry, whatever else it has. */
function assertLifecycle(m, eventType, clientId) {
    assert.equal(m.body.eventType, eventType);
    assert.equal(m.body.clientId, clientId);
    assert.ok(Number.isInteger(m.body.timestamp) && m.body.timestamp > 1e12, 'milliseconds');
    assert.match(String(m.body.sessionIdentifier), /^[0-9a-f-]{36}$/);
    assert.equal(typeof m.body.principalIdentifier, 'string');
}
for (const backend of BACKENDS) {
    describe(`back-end applications on MQTT over SigV4 WebSocket [${backend}]`, () => {
        let s;
        const open = [];
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
        });
        after(async () => {
            for (const d of open)
                d.client.end(true);
            await s.close();
        });
        const connectApp = async (clientId, url) => {
            const d = await Device.connect(url ?? (await presign(s)), clientId, {}, false);
            open.push(d);
            return d;
        };
        const connectDevice = async (thing, url = s.app.mqttUrl, subscribe = false) => {
            const d = await Device.connect(url, thing, {}, subscribe);
            open.push(d);
            return d;
        };
        test('an application with any client id subscribes to $aws/events/# and sees devices come, subscribe and go', async () => {
            const app = await connectApp(id('monitor/1'));
            const granted = await app.client.subscribeAsync(['$aws/events/#', '$aws/things/+/jobs/notify-next'], { qos: 1 });
            assert.deepEqual(granted.map((g) => g.qos), [1, 1]);
            const thing = id('dev');
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            let mark = app.mark();
            const dev = await connectDevice(thing);
            const connected = await app.nextOn(`$aws/events/presence/connected/${thing}`, mark);
            assertLifecycle(connected, 'connected', thing);
            assert.equal(connected.body.thingName, thing);
            assert.equal(connected.body.ipAddress, '127.0.0.1');
            assert.equal(connected.body.versionNumber, 0);
            assert.equal(connected.body.principalIdentifier, thing, 'an open broker: the client id');
            // The device's own topics: a subscribed event listing the filters granted.
            mark = app.mark();
            await dev.client.subscribeAsync([`$aws/things/${thing}/jobs/notify-next`, `$aws/things/${thing}/jobs/+/get/accepted`], { qos: 1 });
            const sub = await app.nextOn(`$aws/events/subscriptions/subscribed/${thing}`, mark);
            assertLifecycle(sub, 'subscribed', thing);
            assert.deepEqual(sub.body.topics, [`$aws/things/${thing}/jobs/notify-next`, `$aws/things/${thing}/jobs/+/get/accepted`]);
            assert.equal(sub.body.sessionIdentifier, connected.body.sessionIdentifier);
            // A device still cannot subscribe to the events.
            mark = app.mark();
            await assert.rejects(dev.client.subscribeAsync('$aws/events/#', { qos: 1 }), /Unspecified error/, 'SUBACK failure (0x80)');
            // The job's notify-next reaches the device and, through the broker, the application.
            const devMark = dev.mark();
            await s.iot.send(new CreateJobCommand({ jobId: id('job'), targets: [thingArn(thing)], document: '{"op":"x"}' }));
            const next = await app.nextOn(`$aws/things/${thing}/jobs/notify-next`, mark);
            assert.equal(next.body.execution.jobId, id('job'));
            await dev.nextOn(`$aws/things/${thing}/jobs/notify-next`, devMark);
            assert.equal(app.on(`$aws/events/subscriptions/subscribed/${thing}`, mark).length, 0, 'a refused filter is no subscription');
            mark = app.mark();
            await dev.client.unsubscribeAsync(`$aws/things/${thing}/jobs/notify-next`);
            const unsub = await app.nextOn(`$aws/events/subscriptions/unsubscribed/${thing}`, mark);
            assert.deepEqual(unsub.body.topics, [`$aws/things/${thing}/jobs/notify-next`]);
            // A clean disconnect.
            mark = app.mark();
            await dev.client.endAsync();
            const gone = await app.nextOn(`$aws/events/presence/disconnected/${thing}`, mark);
            assertLifecycle(gone, 'disconnected', thing);
            assert.equal(gone.body.disconnectReason, 'CLIENT_INITIATED_DISCONNECT');
            assert.equal(gone.body.clientInitiatedDisconnect, true);
            assert.equal(gone.body.versionNumber, 0, 'the number of its connect');
            assert.equal(gone.body.ipAddress, undefined);
            // Again, then the socket dropped: the version moves on, the reason is a lost connection.
            mark = app.mark();
            const again = await connectDevice(thing);
            const c2 = await app.nextOn(`$aws/events/presence/connected/${thing}`, mark);
            assert.equal(c2.body.versionNumber, 1);
            assert.notEqual(c2.body.sessionIdentifier, connected.body.sessionIdentifier);
            mark = app.mark();
            again.client.stream.destroy();
            const lost = await app.nextOn(`$aws/events/presence/disconnected/${thing}`, mark);
            assert.equal(lost.body.disconnectReason, 'CONNECTION_LOST');
            assert.equal(lost.body.clientInitiatedDisconnect, false);
            assert.equal(lost.body.versionNumber, 1);
            // A second connection with the same client id takes over the first.
            const first = await connectDevice(thing);
            mark = app.mark();
            await connectDevice(thing);
            const taken = await app.nextOn(`$aws/events/presence/disconnected/${thing}`, mark);
            assert.equal(taken.body.disconnectReason, 'DUPLICATE_CLIENTID');
            assert.ok(first);
        });
        test('disconnect reasons: a forbidden publish is AUTH_ERROR, silence past keep-alive MQTT_KEEP_ALIVE_TIMEOUT', async () => {
            const app = await connectApp(id('reasons'));
            await app.client.subscribeAsync('$aws/events/presence/disconnected/+', { qos: 1 });
            const rogue = id('rogue');
            let mark = app.mark();
            const dev = await connectDevice(rogue);
            dev.client.publish(`$aws/things/${id('other')}/jobs/get`, '{}');
            const denied = await app.nextOn(`$aws/events/presence/disconnected/${rogue}`, mark);
            assert.equal(denied.body.disconnectReason, 'AUTH_ERROR');
            mark = app.mark();
            const quiet = id('quiet');
            const raw = await RawClient.tcp(s.app.mqttUrl, 4);
            await raw.connect(quiet, { keepalive: 1 });
            const timedOut = await app.waitFor((m) => m.topic === `$aws/events/presence/disconnected/${quiet}` && m.i >= mark, 5000);
            assert.equal(timedOut.body.disconnectReason, 'MQTT_KEEP_ALIVE_TIMEOUT');
            assert.equal(timedOut.body.clientInitiatedDisconnect, false);
        });
        test('an unsigned WebSocket client is a device as before; a close frame is the client leaving', async () => {
            const app = await connectApp(id('watch'));
            await app.client.subscribeAsync('$aws/events/presence/+/+', { qos: 1 });
            const thing = id('webdev');
            await assert.rejects(Device.connect(s.app.mqttWsUrl, id('not/a/thing'), {}, false), 'a device client id must be a thing name');
            let mark = app.mark();
            const dev = await connectDevice(thing, s.app.mqttWsUrl);
            await assert.rejects(dev.client.subscribeAsync('$aws/events/#', { qos: 1 }), /Unspecified error/, 'SUBACK failure (0x80)');
            await app.nextOn(`$aws/events/presence/connected/${thing}`, mark);
            await dev.client.endAsync();
            // A WebSocket closed with a close frame and no MQTT DISCONNECT.
            mark = app.mark();
            const ws = new WebSocket(s.app.mqttWsUrl, 'mqtt');
            await new Promise((r) => ws.once('open', r));
            const connack = new Promise((r) => ws.once('message', r));
            ws.send(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: thing, clean: true, keepalive: 60 }));
            await connack;
            await app.nextOn(`$aws/events/presence/connected/${thing}`, mark);
            ws.close(1000);
            const gone = await app.nextOn(`$aws/events/presence/disconnected/${thing}`, mark);
            assert.equal(gone.body.disconnectReason, 'CLIENT_INITIATED_DISCONNECT');
        });
        test('an application publishes a jobs request for any thing, and to its own topics, but never as the service', async () => {
            const thing = id('speak');
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new CreateJobCommand({ jobId: id('speakjob'), targets: [thingArn(thing)], document: '{}' }));
            const app = await connectApp(id('ops'));
            await app.client.subscribeAsync([`$aws/things/${thing}/jobs/get/accepted`, 'appmqtt/chat/#'], { qos: 1 });
            const listener = await connectApp(id('listener'));
            await listener.client.subscribeAsync('appmqtt/chat/+', { qos: 1 });
            await app.client.publishAsync(`$aws/things/${thing}/jobs/get`, JSON.stringify({ clientToken: 'a1' }), { qos: 1 });
            const reply = await app.waitFor((m) => m.topic === `$aws/things/${thing}/jobs/get/accepted`);
            assert.deepEqual(reply.body.queuedJobs.map((j) => j.jobId), [id('speakjob')]);
            assert.equal(reply.body.clientToken, 'a1');
            await app.client.publishAsync('appmqtt/chat/x', 'hello', { qos: 1 });
            const heard = await listener.waitFor((m) => m.topic === 'appmqtt/chat/x');
            assert.deepEqual(heard.body, { raw: 'hello' });
            // $aws/events is the service's: publishing there ends the connection (AWS: not authorized).
            const closed = new Promise((r) => app.client.once('close', () => r()));
            app.client.publish('$aws/events/presence/connected/fake', '{}', { qos: 0 });
            await closed;
            await new Promise((r) => setTimeout(r, 200));
            assert.equal(listener.messages.filter((m) => m.topic.startsWith('$aws/events')).length, 0);
        });
        test('bad, expired or unknown-key signatures are refused at the upgrade with 403', async () => {
            const good = await presign(s);
            assert.equal((await upgrade(good)).status, 101);
            const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
            const withoutExpires = (url) => url.replace(/&?X-Amz-Expires=\d+/, '');
            const cases = [
                ['wrong secret', await presign(s, { credentials: { accessKeyId: 'test', secretAccessKey: 'nope' } }), 'InvalidSignatureException'],
                ['unknown key', await presign(s, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }), 'UnrecognizedClientException'],
                ['other region', await presignMqttUrl({ url: s.app.mqttWsUrl, region: 'eu-west-1', credentials: CREDENTIALS }), 'InvalidSignatureException'],
                ['expired X-Amz-Expires', await presign(s, { expiresIn: 60, signingDate: tenMinutesAgo }), 'InvalidSignatureException'],
                ['tampered', good.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`), 'InvalidSignatureException'],
                ['no signature', good.replace(/&?X-Amz-Signature=[0-9a-f]+/, ''), 'IncompleteSignatureException'],
            ];
            for (const [what, url, code] of cases) {
                const r = await upgrade(url);
                assert.equal(r.status, 403, what);
                assert.equal(r.headers['x-amzn-errortype'], code, what);
                assert.ok(JSON.parse(r.body).message, what);
            }
            // Without X-Amz-Expires the date must be within 5 minutes (the signature then covers no Expires).
            const sign = (date) => presignWithoutExpires(s, date);
            assert.equal((await upgrade(await sign(new Date()))).status, 101);
            assert.equal((await upgrade(await sign(tenMinutesAgo))).status, 403);
            assert.ok(withoutExpires);
            // A session token appended after signing is accepted.
            assert.equal((await upgrade(await presign(s, { credentials: { ...CREDENTIALS, sessionToken: 'FQoGZXIvYXdzE//token+/=' } }))).status, 101);
            // botocore's SigV4QueryAuth signs the session token like any parameter: accepted too.
            const { stdout: botoUrl } = await run('/usr/bin/python3', ['-c', BOTOCORE_PRESIGN], { env: { ...process.env, URL: s.app.mqttWsUrl, REGION, AK: CREDENTIALS.accessKeyId, SK: CREDENTIALS.secretAccessKey } });
            assert.match(botoUrl, /X-Amz-Security-Token=/);
            assert.equal((await upgrade(botoUrl.trim())).status, 101);
            const { stdout: botoBad } = await run('/usr/bin/python3', ['-c', BOTOCORE_PRESIGN], { env: { ...process.env, URL: s.app.mqttWsUrl, REGION, AK: CREDENTIALS.accessKeyId, SK: 'wrong' } });
            assert.equal((await upgrade(botoBad.trim())).status, 403);
            // mqtt.js sees a failed connection, nothing else.
            const c = mqtt.connect(cases[0][1], { clientId: id('bad'), reconnectPeriod: 0, connectTimeout: 3000 });
            const outcome = await new Promise((r) => {
                c.once('connect', () => r('connected'));
                c.once('close', () => r('closed'));
                c.once('error', () => r('error'));
            });
            c.end(true);
            assert.notEqual(outcome, 'connected');
        });
        test('Python paho-mqtt over websockets, with a URL signed in Python by hand', async () => {
            const thing = id('py');
            const u = new URL(s.app.mqttWsUrl);
            const child = run('/usr/bin/python3', ['-c', PAHO_APP], {
                env: { ...process.env, HOST: u.hostname, PORT: u.port, WATCH: thing, CLIENT: id('paho'), AK: CREDENTIALS.accessKeyId, SK: CREDENTIALS.secretAccessKey, REGION },
                timeout: 30_000,
            });
            // The script prints READY on stderr once subscribed; then a device comes.
            const ready = new Promise((resolve) => child.child.stderr.on('data', (b) => b.toString().includes('READY') && resolve()));
            await ready;
            const dev = await connectDevice(thing);
            const { stdout } = await child;
            const got = JSON.parse(stdout);
            assert.equal(got.topic, `$aws/events/presence/connected/${thing}`);
            assert.equal(got.event.eventType, 'connected');
            assert.equal(got.event.clientId, thing);
            await dev.client.endAsync();
        });
    });
}
/** A presigned URL with no X-Amz-Expires, signed by hand (as AWS's own example does). */
async function presignWithoutExpires(s, date) {
    const { createHash, createHmac } = await import('node:crypto');
    const u = new URL(s.app.mqttWsUrl);
    const amzDate = date.toISOString().replace(/[-:]|\.\d+/g, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${REGION}/iotdevicegateway/aws4_request`;
    const q = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(`${CREDENTIALS.accessKeyId}/${scope}`)}&X-Amz-Date=${amzDate}&X-Amz-SignedHeaders=host`;
    const canonical = `GET\n/mqtt\n${q}\nhost:${u.host}\n\nhost\n${createHash('sha256').update('').digest('hex')}`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    let key = createHmac('sha256', `AWS4${CREDENTIALS.secretAccessKey}`).update(day).digest();
    for (const p of [REGION, 'iotdevicegateway', 'aws4_request'])
        key = createHmac('sha256', key).update(p).digest();
    return `${s.app.mqttWsUrl}?${q}&X-Amz-Signature=${createHmac('sha256', key).update(toSign).digest('hex')}`;
}
/** A URL presigned by botocore (python3-botocore), session token included in the signature. */
const BOTOCORE_PRESIGN = String.raw `
import os
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
req = AWSRequest(method="GET", url=os.environ["URL"])
SigV4QueryAuth(Credentials(os.environ["AK"], os.environ["SK"], "FwoGZXIvYXdzEtoken/+="), "iotdevicegateway", os.environ["REGION"], expires=300).add_auth(req)
print(req.url)
`;
/** An application written with Debian's paho-mqtt 1.6: the URL signed with hashlib/hmac, as AWS's docs show. */
const PAHO_APP = String.raw `
import datetime, hashlib, hmac, json, os, sys, urllib.parse, queue
import paho.mqtt.client as mqtt
host, port, region = os.environ["HOST"], int(os.environ["PORT"]), os.environ["REGION"]
ak, sk = os.environ["AK"], os.environ["SK"]
now = datetime.datetime.utcnow()
amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
scope = f"{day}/{region}/iotdevicegateway/aws4_request"
q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + urllib.parse.quote(f"{ak}/{scope}", safe="") + f"&X-Amz-Date={amz_date}&X-Amz-SignedHeaders=host"
canonical = f"GET\n/mqtt\n{q}\nhost:{host}:{port}\n\nhost\n" + hashlib.sha256(b"").hexdigest()
to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n" + hashlib.sha256(canonical.encode()).hexdigest()
def h(k, m): return hmac.new(k, m.encode(), hashlib.sha256).digest()
key = h(h(h(h(("AWS4" + sk).encode(), day), region), "iotdevicegateway"), "aws4_request")
path = f"/mqtt?{q}&X-Amz-Signature=" + hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
inbox = queue.Queue()
subscribed = queue.Queue()
c = mqtt.Client(client_id=os.environ["CLIENT"], transport="websockets", protocol=mqtt.MQTTv311)
c.ws_set_options(path=path, headers={"Host": f"{host}:{port}"})
c.on_message = lambda cl, u, m: inbox.put((m.topic, json.loads(m.payload)))
c.on_subscribe = lambda cl, u, mid, granted: subscribed.put(granted)
c.connect(host, port)
c.loop_start()
c.subscribe("$aws/events/presence/connected/" + os.environ["WATCH"], qos=1)
granted = subscribed.get(timeout=10)
assert granted[0] == 1, granted
print("READY", file=sys.stderr, flush=True)
topic, event = inbox.get(timeout=15)
c.disconnect()
c.loop_stop()
print(json.dumps({"topic": topic, "event": event}))
`;
describe('publishing an event through the broker in use', () => {
    test('embedded: to the applications whose filters match, at QoS 1, and to nobody else', async () => {
        const s = await startServer('sqlite', { mqttPort: 0 });
        try {
            const url = await presign(s);
            const a = await Device.connect(url, id('ev-a'), {}, false);
            const b = await Device.connect(url, id('ev-b'), {}, false);
            await a.client.subscribeAsync('$aws/events/job/+/completed', { qos: 1 });
            await b.client.subscribeAsync('$aws/events/jobExecution/#', { qos: 1 });
            const qos = new Promise((r) => a.client.once('message', (_t, _p, packet) => r(packet.qos)));
            await s.app.publishEvent(`$aws/events/job/${id('j')}/completed`, JSON.stringify({ eventType: 'JOB', jobId: id('j') }));
            const m = await a.waitFor((x) => x.topic === `$aws/events/job/${id('j')}/completed`);
            assert.equal(m.body.jobId, id('j'));
            assert.equal(await qos, 1);
            await new Promise((r) => setTimeout(r, 100));
            assert.equal(b.messages.length, 0);
            a.client.end(true);
            b.client.end(true);
        }
        finally {
            await s.close();
        }
    });
    test('embedded: publishing waits for a subscriber that does not read, and nothing is lost or cut off', async () => {
        const s = await startServer('sqlite', { mqttPort: 0 });
        try {
            const ws = new WebSocket(await presign(s), 'mqtt');
            await new Promise((r) => ws.once('open', r));
            const parser = mqttPacket.parser({ protocolVersion: 4 });
            const received = [];
            parser.on('packet', (p) => {
                if (p.cmd === 'publish') {
                    received.push(p.topic);
                    // QoS 1: acknowledge, as a client does.
                    if (p.messageId)
                        ws.send(mqttPacket.generate({ cmd: 'puback', messageId: p.messageId }));
                }
            });
            const acks = [];
            parser.on('packet', (p) => acks.push(p.cmd));
            ws.on('message', (d) => parser.parse(d));
            ws.send(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: id('slow'), clean: true, keepalive: 0 }));
            ws.send(mqttPacket.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: '$aws/events/#', qos: 1 }] }));
            await eventually(async () => acks.includes('suback'), 5000, 'suback');
            // Stop reading: the server's writes pile up in the kernel, then in its stream.
            const socket = ws._socket;
            socket.pause();
            const payload = JSON.stringify({ pad: 'x'.repeat(64 * 1024) });
            let sent = 0;
            let blocked = false;
            while (sent < 600) {
                const p = s.app.publishEvent(`$aws/events/jobExecution/${id('slowjob')}/canceled`, payload);
                sent++;
                const done = await Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
                if (!done) {
                    blocked = true;
                    socket.resume();
                    await p;
                    break;
                }
            }
            assert.ok(blocked, `publish never waited in ${sent} messages of 64 KB`);
            await eventually(async () => received.length === sent, 20_000, `all ${sent} events`);
            assert.equal(ws.readyState, WebSocket.OPEN, 'not cut off');
            ws.close();
        }
        finally {
            await s.close();
        }
    });
    test('external (Mosquitto): published at QoS 1 and received by a Mosquitto subscriber; no /mqtt served', async () => {
        const s = await startServer('sqlite', { mqttUrl: MOSQUITTO_URL });
        const sub = await mqtt.connectAsync(MOSQUITTO_URL, { clientId: id('mosq-sub'), reconnectPeriod: 0 });
        try {
            assert.equal(s.app.mqttWsUrl, undefined);
            const topic = `$aws/events/job/${id('mj')}/canceled`;
            await sub.subscribeAsync(topic, { qos: 1 });
            const got = new Promise((r) => sub.once('message', (_t, p, packet) => r({ payload: p.toString(), qos: packet.qos })));
            await s.app.publishEvent(topic, '{"eventType":"JOB"}');
            const m = await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('nothing on Mosquitto')), 5000))]);
            assert.deepEqual(m, { payload: '{"eventType":"JOB"}', qos: 1 });
        }
        finally {
            await sub.endAsync();
            await s.close();
        }
    });
});
//# sourceMappingURL=mqtt-applications.test.js.map