/**
 * Devices with certificates and IoT policies (issue 23 targets).
 *   node dist/bench/tls-devices.js --mode connects --devices 1000 --concurrency 50
 *     TLS connects per second (handshake + CONNECT + CONNACK) with ECDSA P-256 device certificates
 *     registered in the store, each with a thing-scoped policy attached (target ≥ 500/s).
 *   node dist/bench/tls-devices.js --mode cycle --devices 1000 --rounds 3
 *     The job cycle of bench/mqtt-devices.ts at N TLS devices authorized by IoT policies, against
 *     N plain devices of the open loopback mode (target: within 15%).
 * The server runs as its own process (SQLite, embedded broker). Certificates come from the server's
 * own CA (made in the store before it starts) and are written to the store directly, as the
 * benchmarks seed their things, so that setting up 1,000 devices takes seconds.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { createHash, X509Certificate } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { loadOrCreateCa } from '../src/certs/own-ca.js';
import { issueDeviceCertificate } from '../src/certs/x509.js';
import { clients } from '../test/support/harness.js';
import { spawnServer, type ServerProcess } from '../test/support/process.js';
import { machine, median, processCpuMs, seedGroup, tmpDir } from './support.js';
import { SimDevice } from './sim-device.js';

const { values } = benchArgs(
  'TLS devices: connects per second with ECDSA P-256 device certificates and a policy each (mode connects), or job cycles per second at N TLS devices with policies against N plain devices (mode cycle).',
  {
  options: {
    mode: { type: 'string', default: 'connects' },
    devices: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '50' },
  },
  },
  {
    mode: 'connects or cycle',
    devices: 'devices (cycle mode)',
    rounds: 'rounds after a warm-up (cycle mode)',
    concurrency: 'connects at a time (connects mode)',
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
  cert: string;
  key: string;
}

/** N things in group `fleet`, each with an ECDSA P-256 certificate of the own CA, attached, and the policy on it. */
async function seed(dataDir: string): Promise<{ devices: Device[]; ca: string }> {
  const store = await Store.open({ dataDir });
  await seedGroup(store, 'fleet', n);
  const ca = await loadOrCreateCa(store, Date.now());
  const now = Date.now();
  const devices: Device[] = [];
  await store.db.insertInto('policies').values({ policy_name: 'bench', default_version: 1, last_version: 1, created_at: now, updated_at: now, generation_id: 'bench' }).execute();
  await store.db.insertInto('policy_versions').values({ policy_name: 'bench', version_id: 1, document: POLICY, created_at: now }).execute();
  for (let i = 0; i < n; i++) {
    const thing = `fleet-${String(i).padStart(8, '0')}`;
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
    devices.push({ thing, cert: d.certPem, key: d.keyPem });
  }
  await store.close();
  return { devices, ca: ca.certPem };
}

const tlsUrlOf = (s: ServerProcess) => (JSON.parse(s.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"'))!) as { mqttTls: string }).mqttTls;

async function connectOne(url: string, d: Device | string, ca: string): Promise<MqttClient> {
  const tls = typeof d === 'string' ? {} : { ca, cert: d.cert, key: d.key, rejectUnauthorized: true };
  return mqtt.connectAsync(url, { clientId: typeof d === 'string' ? d : d.thing, reconnectPeriod: 0, keepalive: 600, ...tls });
}

async function connects(): Promise<void> {
  const dataDir = tmpDir();
  const { devices, ca } = await seed(dataDir);
  const server = await spawnServer(['--data-dir', dataDir, '--mqtt-tls-port', '0']);
  const url = tlsUrlOf(server);
  const open: MqttClient[] = [];
  try {
    const cpu0 = processCpuMs(server.child.pid!);
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < devices.length) open.push(await connectOne(url, devices[next++]!, ca));
      }),
    );
    const s = (performance.now() - t0) / 1000;
    console.log(`| ${n} | ${concurrency} | ${(n / s).toFixed(0)} | ${((processCpuMs(server.child.pid!) - cpu0) / n).toFixed(2)} |`);
  } finally {
    await Promise.all(open.map((c) => c.endAsync(true)));
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

/** Cycles per second over `rounds` rounds (after a warm-up) of one job on the whole group. */
async function cycle(tls: boolean): Promise<number[]> {
  const dataDir = tmpDir();
  const { devices, ca } = await seed(dataDir);
  const server = await spawnServer(['--data-dir', dataDir, '--mqtt-tls-port', '0']);
  const url = tls ? tlsUrlOf(server) : server.mqttUrl!;
  const { iot } = clients(server.url);
  let firstStart = 0;
  let lastDone = 0;
  let done = 0;
  let allDone = () => {};
  const hooks = {
    notified: () => {},
    started: () => {
      if (firstStart === 0) firstStart = performance.now();
    },
    done: () => {
      lastDone = performance.now();
      if (++done === n) allDone();
    },
    rejected: () => {},
  };
  const open: MqttClient[] = [];
  const out: number[] = [];
  try {
    for (let i = 0; i < devices.length; i += 250) {
      await Promise.all(
        devices.slice(i, i + 250).map(async (d) => {
          const c = await connectOne(url, tls ? d : d.thing, ca);
          await c.subscribeAsync([`$aws/things/${d.thing}/jobs/notify-next`, `$aws/things/${d.thing}/jobs/start-next/+`, `$aws/things/${d.thing}/jobs/+/update/+`]);
          open.push(c);
          new SimDevice(d.thing, c, hooks);
        }),
      );
    }
    for (let r = 0; r <= rounds; r++) {
      firstStart = 0;
      done = 0;
      const finished = new Promise<void>((resolve, reject) => {
        allDone = resolve;
        setTimeout(() => reject(new Error(`round ${r}: only ${done} of ${n} cycles in 120 s`)), 120_000).unref();
      });
      await iot.send(new CreateJobCommand({ jobId: `bench-${r}`, targets: [`${ACCOUNT}:thinggroup/fleet`], document: '{}' }));
      await finished;
      const rate = n / ((lastDone - firstStart) / 1000);
      console.error(`  ${tls ? 'TLS + policies' : 'plain, open'}: ${r === 0 ? 'warm-up' : `round ${r}`} ${rate.toFixed(0)} cycles/s`);
      if (r > 0) out.push(rate);
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    await Promise.all(open.map((c) => c.endAsync(true)));
    iot.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return out;
}

console.log(`# Certificate devices (${values.mode}) — ${machine()} — ${new Date().toISOString()}`);
if (values.mode === 'connects') {
  console.log('| devices | concurrency | TLS connects/s | server CPU ms/connect |');
  console.log('|---:|---:|---:|---:|');
  await connects();
} else {
  const plain = median(await cycle(false));
  const tls = median(await cycle(true));
  console.log('| devices | plain cycles/s | TLS + policies cycles/s | TLS / plain |');
  console.log('|---:|---:|---:|---:|');
  console.log(`| ${n} | ${plain.toFixed(0)} | ${tls.toFixed(0)} | ${(tls / plain).toFixed(2)} |`);
}
