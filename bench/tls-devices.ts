/**
 * Devices with certificates and IoT policies (issue 23 targets).
 *   node dist/bench/tls-devices.js --mode connects --devices 1000 --concurrency 50 --rounds 3
 *     TLS connects per second (handshake + CONNECT + CONNACK) with ECDSA P-256 device certificates
 *     registered in the store, each with a thing-scoped policy attached (target ≥ 500/s). Each round
 *     connects every device once and then closes them all; a warm-up round comes first. Interleaved
 *     with each round, the ceiling: bare TLS handshakes by the same client, with the same device
 *     certificates, against a plain Node TLS server holding a server certificate of the same CA
 *     (what TLS alone costs on this machine); and plain MQTT connects of as many other devices
 *     (no TLS, the open loopback mode) to the same server: what the broker's CONNECT costs alone.
 *   node dist/bench/tls-devices.js --mode cycle --devices 1000 --rounds 3
 *     The job cycle of bench/mqtt-devices.ts at N TLS devices authorized by IoT policies, against
 *     N plain devices of the open loopback mode, both connected to one server (two groups); the
 *     rounds alternate between them (target: within 15%).
 * Server and client CPU (ms per connect, per cycle) are reported: the bench client shares the
 * machine's cores with the server. Each device's TLS context (its key, certificate and the CA) is
 * made once before the clock starts, as a device loads its files once.
 * The server runs as its own process (SQLite, embedded broker). Certificates come from the server's
 * own CA (made in the store before it starts) and are written to the store directly, as the
 * benchmarks seed their things, so that setting up 1,000 devices takes seconds.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { fork, type ChildProcess } from 'node:child_process';
import { constants, createHash, X509Certificate } from 'node:crypto';
import { connect as tlsConnect, createSecureContext, createServer as createTlsServer, type SecureContext, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { loadOrCreateCa } from '../src/certs/own-ca.js';
import { issueDeviceCertificate, issueServerCertificate } from '../src/certs/x509.js';
import { clients } from '../test/support/harness.js';
import { spawnServer, type ServerProcess } from '../test/support/process.js';
import { machine, median, processCpuMs, seedGroup, tmpDir } from './support.js';
import { SimDevice } from './sim-device.js';

const { values } = benchArgs(
  'TLS devices: connects per second with ECDSA P-256 device certificates and a policy each, against bare TLS handshakes (mode connects), or job cycles per second at N TLS devices with policies against N plain devices on the same server, rounds interleaved (mode cycle).',
  {
    options: {
      mode: { type: 'string', default: 'connects' },
      devices: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '50' },
      only: { type: 'string', default: 'both' },
    },
  },
  {
    mode: 'connects or cycle',
    devices: 'devices (each mode)',
    rounds: 'measured rounds after a warm-up (each mode)',
    concurrency: 'connects at a time (connects mode)',
    only: 'cycle mode: both, tls or plain (one fleet alone, to profile the server with IOT_JOBS_NODE_ARGS)',
  },
);

const n = Number(values.devices);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);
const ACCOUNT = 'arn:aws:iot:us-east-1:000000000000';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iot:Connect', Resource: `${ACCOUNT}:client/\${iot:Connection.Thing.ThingName}` },
    { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${ACCOUNT}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/jobs/*` },
    { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ACCOUNT}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/jobs/*` },
  ],
});

interface Device {
  thing: string;
  /** Its key, certificate and the CA, loaded once. */
  context: SecureContext;
}

const pad = (i: number) => String(i).padStart(8, '0');

/** N things in group `fleet`, each with an ECDSA P-256 certificate of the own CA, attached, and the policy on it; N more in group `plain` without. */
async function seed(dataDir: string, plain: number): Promise<{ devices: Device[]; plain: string[]; ca: string; dataDir: string }> {
  const store = await Store.open({ dataDir });
  await seedGroup(store, 'fleet', n);
  if (plain > 0) await seedGroup(store, 'plain', plain);
  const ca = await loadOrCreateCa(store, Date.now());
  const now = Date.now();
  const devices: Device[] = [];
  await store.db.insertInto('policies').values({ policy_name: 'bench', default_version: 1, last_version: 1, created_at: now, updated_at: now, generation_id: 'bench' }).execute();
  await store.db.insertInto('policy_versions').values({ policy_name: 'bench', version_id: 1, document: POLICY, created_at: now }).execute();
  for (let i = 0; i < n; i++) {
    const thing = `fleet-${pad(i)}`;
    const d = await issueDeviceCertificate(ca, `CN=${thing}`, new Date(now));
    const x = new X509Certificate(d.certPem);
    const id = createHash('sha256').update(x.raw).digest('hex');
    const arn = `${ACCOUNT}:cert/${id}`;
    await store.db
      .insertInto('certificates')
      .values({ certificate_id: id, ca_certificate_id: null, status: 'ACTIVE', certificate_pem: d.certPem, certificate_mode: 'DEFAULT', created_at: now, updated_at: now, generation_id: id, customer_version: 1, not_before: Date.parse(x.validFrom), not_after: Date.parse(x.validTo) })
      .execute();
    await store.db.insertInto('thing_principals').values({ thing_name: thing, principal: arn, principal_type: 'NON_EXCLUSIVE_THING' }).execute();
    await store.db.insertInto('policy_targets').values({ policy_name: 'bench', target: arn }).execute();
    devices.push({ thing, context: createSecureContext({ ca: ca.certPem, cert: d.certPem, key: d.keyPem }) });
  }
  await store.close();
  return { devices, plain: Array.from({ length: plain }, (_, i) => `plain-${pad(i)}`), ca: ca.certPem, dataDir };
}

const tlsUrlOf = (s: ServerProcess) => (JSON.parse(s.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"'))!) as { mqttTls: string }).mqttTls;

async function connectOne(url: string, d: Device | string): Promise<MqttClient> {
  const tls = typeof d === 'string' ? {} : { secureContext: d.context, rejectUnauthorized: true };
  return mqtt.connectAsync(url, { clientId: typeof d === 'string' ? d : d.thing, reconnectPeriod: 0, keepalive: 600, ...tls });
}

/** Runs `one` for every device, `concurrency` at a time. */
async function each<T>(devices: Device[], one: (d: Device) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < devices.length) out.push(await one(devices[next++]!));
    }),
  );
  return out;
}

interface Rate {
  perSec: number;
  /** CPU ms per connect: the server process, and this process (the devices). */
  server: number;
  client: number;
}

/** One round of `one` over every device; the connections stay open until it is measured, then close. */
async function round<T>(pid: number, devices: Device[], one: (d: Device) => Promise<T>, close: (t: T) => Promise<unknown>): Promise<Rate> {
  const s0 = processCpuMs(pid);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const open = await each(devices, one);
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const rate = { perSec: devices.length / s, server: (processCpuMs(pid) - s0) / devices.length, client: (c.user + c.system) / 1000 / devices.length };
  await Promise.all(open.map(close));
  // Let the server see the closes before the next round.
  await new Promise((res) => setTimeout(res, 1000));
  return rate;
}

/** The ceiling's server: a bare Node TLS server asking for a client certificate, as the MQTT listener does (forked; its port and CPU over IPC). */
function ceilingServer(): void {
  const { cert, key } = JSON.parse(process.env.BENCH_TLS_CEILING_SERVER!) as { cert: string; key: string };
  // The options of the MQTT listener (src/mqtt/listeners.ts) without --mqtt-tls-ca.
  const server = createTlsServer({ cert, key, requestCert: true, rejectUnauthorized: false, noDelay: true, secureOptions: constants.SSL_OP_NO_TICKET }, (socket) => {
    socket.on('error', () => {});
    // The handshake is done: answer with one byte, as a CONNACK would be.
    socket.write(Buffer.from([0]));
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', () => process.send!({ pid: process.pid }));
}

async function startCeiling(caCert: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const store = await Store.open({ dataDir });
  const ca = await loadOrCreateCa(store, Date.now());
  await store.close();
  const srv = await issueServerCertificate(ca, ['localhost', '127.0.0.1'], new Date());
  const child = fork(process.argv[1]!, [], { env: { ...process.env, BENCH_TLS_CEILING_SERVER: JSON.stringify({ cert: `${srv.certPem.trim()}\n${caCert.trim()}\n`, key: srv.keyPem }) } });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return { child, port };
}

function handshake(port: number, d: Device): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, secureContext: d.context, rejectUnauthorized: true });
    socket.once('error', reject);
    socket.once('data', () => resolve(socket));
  });
}

async function connects(): Promise<void> {
  const { devices, plain, ca, dataDir } = await seed(tmpDir(), n);
  const server = await spawnServer(['--data-dir', dataDir, '--mqtt-tls-port', '0']);
  const ceiling = await startCeiling(ca, dataDir);
  const url = tlsUrlOf(server);
  const plainDevices = plain.map((thing) => ({ thing, context: devices[0]!.context }));
  const mqttRounds: Rate[] = [];
  const tlsRounds: Rate[] = [];
  const plainRounds: Rate[] = [];
  try {
    for (let r = 0; r <= rounds; r++) {
      const m = await round(server.child.pid!, devices, (d) => connectOne(url, d), (c) => c.endAsync(true));
      const t = await round(ceiling.child.pid!, devices, (d) => handshake(ceiling.port, d), async (s) => s.destroy());
      const p = await round(server.child.pid!, plainDevices, (d) => connectOne(server.mqttUrl!, d.thing), (c) => c.endAsync(true));
      const line = (x: Rate) => `${x.perSec.toFixed(0)}/s, CPU ms/connect server ${x.server.toFixed(2)} client ${x.client.toFixed(2)}`;
      console.error(`  ${r === 0 ? 'warm-up' : `round ${r}`}: MQTT over TLS ${line(m)}; bare TLS ${line(t)}; plain MQTT ${line(p)}`);
      if (r > 0) {
        mqttRounds.push(m);
        tlsRounds.push(t);
        plainRounds.push(p);
      }
    }
  } finally {
    ceiling.child.kill();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const med = (rs: Rate[], k: keyof Rate) => median(rs.map((x) => x[k]));
  console.log(
    `| ${n} | ${concurrency} | ${med(mqttRounds, 'perSec').toFixed(0)} | ${med(mqttRounds, 'server').toFixed(2)} | ${med(mqttRounds, 'client').toFixed(2)} | ${(1000 / med(mqttRounds, 'server')).toFixed(0)} | ${med(tlsRounds, 'perSec').toFixed(0)} | ${med(tlsRounds, 'server').toFixed(2)} | ${med(tlsRounds, 'client').toFixed(2)} | ${med(plainRounds, 'perSec').toFixed(0)} | ${med(plainRounds, 'server').toFixed(2)} | ${rounds} |`,
  );
}

interface Fleet {
  label: string;
  target: string;
  size: number;
  firstStart: number;
  lastDone: number;
  done: number;
  allDone: () => void;
}

function fleet(label: string, group: string, size: number): Fleet & { hooks: ConstructorParameters<typeof SimDevice>[2] } {
  const f: Fleet = { label, target: `${ACCOUNT}:thinggroup/${group}`, size, firstStart: 0, lastDone: 0, done: 0, allDone: () => {} };
  const hooks = {
    notified: () => {},
    started: () => {
      if (f.firstStart === 0) f.firstStart = performance.now();
    },
    done: () => {
      f.lastDone = performance.now();
      if (++f.done === f.size) f.allDone();
    },
    rejected: () => {},
  };
  return Object.assign(f, { hooks });
}

async function connectFleet(url: string, items: (Device | string)[], f: ReturnType<typeof fleet>, open: MqttClient[]): Promise<void> {
  for (let i = 0; i < items.length; i += 250) {
    await Promise.all(
      items.slice(i, i + 250).map(async (d) => {
        const thing = typeof d === 'string' ? d : d.thing;
        const c = await connectOne(url, d);
        await c.subscribeAsync([`$aws/things/${thing}/jobs/notify-next`, `$aws/things/${thing}/jobs/start-next/+`, `$aws/things/${thing}/jobs/+/update/+`]);
        open.push(c);
        new SimDevice(thing, c, f.hooks);
      }),
    );
  }
}

interface CycleRound {
  perSec: number;
  server: number;
  client: number;
}

/**
 * Cycles per second of N TLS devices with policies and N plain devices, both on one server, in
 * alternating rounds (the order flips every round) after a warm-up of each.
 */
async function cycle(): Promise<void> {
  const { devices, plain, dataDir } = await seed(tmpDir(), n);
  const server = await spawnServer(['--data-dir', dataDir, '--mqtt-tls-port', '0']);
  const { iot } = clients(server.url);
  const tlsFleet = fleet('TLS + policies', 'fleet', n);
  const plainFleet = fleet('plain, open', 'plain', n);
  const open: MqttClient[] = [];
  const out = new Map<Fleet, CycleRound[]>([
    [plainFleet, []],
    [tlsFleet, []],
  ]);
  let job = 0;
  const run = async (f: Fleet, r: number) => {
    f.firstStart = 0;
    f.done = 0;
    const finished = new Promise<void>((resolve, reject) => {
      f.allDone = resolve;
      setTimeout(() => reject(new Error(`${f.label} round ${r}: only ${f.done} of ${f.size} cycles in 120 s`)), 120_000).unref();
    });
    const s0 = processCpuMs(server.child.pid!);
    const c0 = process.cpuUsage();
    await iot.send(new CreateJobCommand({ jobId: `bench-${job++}`, targets: [f.target], document: '{}' }));
    await finished;
    const c = process.cpuUsage(c0);
    const x = { perSec: f.size / ((f.lastDone - f.firstStart) / 1000), server: (processCpuMs(server.child.pid!) - s0) / f.size, client: (c.user + c.system) / 1000 / f.size };
    console.error(`  ${f.label}: ${r === 0 ? 'warm-up' : `round ${r}`} ${x.perSec.toFixed(0)} cycles/s, CPU ms/cycle server ${x.server.toFixed(2)} client ${x.client.toFixed(2)}`);
    if (r > 0) out.get(f)!.push(x);
    await new Promise((res) => setTimeout(res, 500));
  };
  try {
    await connectFleet(server.mqttUrl!, plain, plainFleet, open);
    await connectFleet(tlsUrlOf(server), devices, tlsFleet, open);
    for (let r = 0; r <= rounds; r++) {
      const order = (r % 2 === 0 ? [plainFleet, tlsFleet] : [tlsFleet, plainFleet]).filter((f) => values.only === 'both' || f === (values.only === 'tls' ? tlsFleet : plainFleet));
      for (const f of order) await run(f, r);
    }
  } finally {
    await Promise.all(open.map((c) => c.endAsync(true)));
    iot.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  const med = (f: Fleet, k: keyof CycleRound) => median(out.get(f)!.map((x) => x[k]));
  if (values.only !== 'both') return;
  const ratios = out.get(tlsFleet)!.map((x, i) => x.perSec / out.get(plainFleet)![i]!.perSec);
  console.log(
    `| ${n} | ${med(plainFleet, 'perSec').toFixed(0)} | ${med(tlsFleet, 'perSec').toFixed(0)} | ${median(ratios).toFixed(2)} | ${med(plainFleet, 'server').toFixed(2)} | ${med(tlsFleet, 'server').toFixed(2)} | ${med(plainFleet, 'client').toFixed(2)} | ${med(tlsFleet, 'client').toFixed(2)} | ${rounds} |`,
  );
}

if (process.env.BENCH_TLS_CEILING_SERVER) ceilingServer();
else {
  console.log(`# Certificate devices (${values.mode}) — ${machine()} — ${new Date().toISOString()}`);
  if (values.mode === 'connects') {
    console.log('| devices | concurrency | MQTT TLS connects/s | server CPU ms/connect | client CPU ms/connect | server capacity connects/s (1000 / server ms) | bare TLS handshakes/s | bare TLS server CPU ms | bare TLS client CPU ms | plain MQTT connects/s (no TLS, open mode) | plain MQTT server CPU ms/connect | rounds |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    await connects();
  } else {
    console.log('| devices (each) | plain cycles/s | TLS + policies cycles/s | TLS / plain (median of rounds) | server CPU ms/cycle plain | server CPU ms/cycle TLS | client CPU ms/cycle plain | client CPU ms/cycle TLS | rounds |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    await cycle();
  }
}
