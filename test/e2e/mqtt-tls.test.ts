import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect as tlsConnect } from 'node:tls';
import mqtt from 'mqtt';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { startServer, thingArn, type TestServer } from '../support/harness.js';
import { Device } from '../support/device.js';
import { makePki, type TestPki } from '../support/certs.js';

const run = promisify(execFile);

/** paho-mqtt over TLS with a device certificate: get, then print the reply. */
const PAHO_TLS_DEVICE = String.raw`
import json, os, queue, ssl
import paho.mqtt.client as mqtt
thing = os.environ["THING"]
prefix = f"$aws/things/{thing}/jobs"
inbox = queue.Queue()
c = mqtt.Client(client_id=thing, protocol=mqtt.MQTTv311)
c.tls_set(ca_certs=os.environ["CA"], certfile=os.environ["CERT"], keyfile=os.environ["KEY"], tls_version=ssl.PROTOCOL_TLS_CLIENT)
c.on_message = lambda cl, u, m: inbox.put((m.topic, json.loads(m.payload)))
c.connect(os.environ["MQTT_HOST"], int(os.environ["MQTT_PORT"]))
c.loop_start()
c.subscribe(prefix + "/get/+", qos=1)
c.publish(prefix + "/get", json.dumps({"clientToken": "tls-1"}), qos=1)
topic, msg = inbox.get(timeout=10)
c.loop_stop()
c.disconnect()
print(json.dumps({"topic": topic, "queued": [j["jobId"] for j in msg.get("queuedJobs", [])]}))
`;

describe('MQTT over TLS with device certificates [sqlite, embedded broker]', () => {
  let pki: TestPki;
  let s: TestServer;
  let tlsUrl: string;

  before(async () => {
    pki = makePki();
    s = await startServer('sqlite', {
      mqttPort: 0,
      mqttTls: { port: 0, cert: Buffer.from(pki.server.cert), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca.cert) },
      // Passwords are configured for the plain listener; a certified device needs none.
      deviceCredentials: new Map([['*', 'plain-secret']]),
    });
    tlsUrl = s.app.mqttTlsUrl!;
    for (const t of ['tls-dev', 'tls-other', 'paho-tls']) await s.iot.send(new CreateThingCommand({ thingName: t }));
  });
  after(async () => {
    await s.close();
  });

  /** Connects once: resolves on CONNACK, rejects on an error or a close before it (a TLS 1.3 refusal comes after the handshake). */
  const connectOnce = (url: string, opts: mqtt.IClientOptions) =>
    new Promise<void>((resolve, reject) => {
      const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
      c.once('connect', () => {
        resolve();
        c.end(true);
      });
      c.once('error', (err) => {
        reject(err);
        c.end(true);
      });
      // Settles nothing if CONNACK or an error came first.
      c.once('close', () => reject(new Error('closed before CONNACK')));
    });

  const tlsOptions = (pem: { cert: string; key: string }) => ({ ca: pki.ca.cert, cert: pem.cert, key: pem.key, rejectUnauthorized: true });

  test('a device with its thing\'s certificate connects without a password, is notified and answered', async () => {
    assert.match(tlsUrl, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
    const d = await Device.connect(tlsUrl, 'tls-dev', tlsOptions(pki.device('tls-dev')));
    try {
      const mark = d.mark();
      await s.iot.send(new CreateJobCommand({ jobId: 'tls-job', targets: [thingArn('tls-dev')], document: '{"v":2}' }));
      const next = await d.nextOn(`${d.prefix}/notify-next`, mark);
      assert.equal((next.body.execution as { jobId: string }).jobId, 'tls-job');
      const started = await d.request('start-next');
      assert.ok(started.accepted, JSON.stringify(started.body));
    } finally {
      await d.close();
    }
  });

  test('a certificate of another thing is refused at CONNECT', async () => {
    await assert.rejects(connectOnce(tlsUrl, { clientId: 'tls-dev', ...tlsOptions(pki.device('tls-other')) }), /Not authorized/);
  });

  test('a certificate not signed by the CA (and not registered), or none, is refused at CONNECT', async () => {
    // The handshake asks for a certificate without judging it: registered certificates are trusted too (docs/mqtt.md).
    for (const opts of [tlsOptions(pki.rogue('tls-dev')), { ca: pki.ca.cert, rejectUnauthorized: true }]) {
      await assert.rejects(connectOnce(tlsUrl, { clientId: 'tls-dev', ...opts }), /Not authorized/);
    }
    // The server stays up for certified devices.
    await connectOnce(tlsUrl, { clientId: 'tls-dev', ...tlsOptions(pki.device('tls-dev')) });
  });

  test('no TLS session resumption: a session offered back gets a full handshake, and the device connects (docs/compatibility.md)', async () => {
    const { port } = new URL(tlsUrl);
    const device = pki.device('tls-dev');
    const sessions: Buffer[] = [];
    const handshake = (session?: Buffer) =>
      new Promise<boolean>((resolve, reject) => {
        const sock = tlsConnect({ host: '127.0.0.1', port: Number(port), ca: pki.ca.cert, cert: device.cert, key: device.key, ...(session ? { session } : {}) }, () => {
          const reused = sock.isSessionReused();
          // TLS 1.3 sends its session messages after the handshake: give them a moment, then leave.
          setTimeout(() => {
            sock.destroy();
            resolve(reused);
          }, 100);
        });
        sock.on('session', (sess: Buffer) => sessions.push(sess));
        sock.once('error', reject);
      });
    assert.equal(await handshake(), false);
    assert.ok(sessions.length > 0, 'the client kept a session to offer back');
    assert.equal(await handshake(sessions[0]), false, 'the offered session was not resumed');
    await connectOnce(tlsUrl, { clientId: 'tls-dev', ...tlsOptions(device) });
  });

  test('the plain listener keeps its password rule beside the TLS one', async () => {
    await assert.rejects(connectOnce(s.app.mqttUrl!, { clientId: 'tls-dev' }), /Bad username or password|Not authorized/);
    const d = await Device.connect(s.app.mqttUrl!, 'tls-dev', { username: 'tls-dev', password: 'plain-secret' });
    await d.close();
  });

  test('paho-mqtt connects with a device certificate and is answered', async () => {
    await s.iot.send(new CreateJobCommand({ jobId: 'paho-tls-job', targets: [thingArn('paho-tls')], document: '{}' }));
    const url = new URL(tlsUrl);
    const dev = pki.device('paho-tls');
    const { stdout } = await run('/usr/bin/python3', ['-c', PAHO_TLS_DEVICE], {
      env: { ...process.env, MQTT_HOST: url.hostname, MQTT_PORT: url.port, THING: 'paho-tls', CA: pki.ca.certFile, CERT: dev.certFile, KEY: dev.keyFile },
      timeout: 30_000,
    });
    assert.deepEqual(JSON.parse(stdout), { topic: '$aws/things/paho-tls/jobs/get/accepted', queued: ['paho-tls-job'] });
  });
});
