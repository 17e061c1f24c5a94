/**
 * MQTT device load (issue 3 targets).
 *   node dist/bench/mqtt-devices.js --devices 1000,10000 --rounds 3 [--protocol 5] [--events off|on|both] [--app none|one]
 * The server runs as its own process (SQLite, embedded broker). N simulated devices (mqtt.js, one
 * connection each, client id = thing name) are in one group. Each round creates one job on the
 * group; every device waits for notify-next, then runs start-next → update IN_PROGRESS → update
 * SUCCEEDED. Recorded per round: completed cycles per second (first start-next to last SUCCEEDED)
 * and the latency from sending CreateJob to each device's notify-next. A first warm-up round (JIT,
 * caches) is printed but left out of the medians.
 * `--events both` alternates rounds with every event type off and on (UpdateEventConfigurations
 * before each round), so the two are measured interleaved on one server; `--app one` connects one
 * application (SigV4-signed WebSocket) subscribed to `$aws/events/#` and counts what it receives.
 * Server CPU is the whole process's (/proc), and its main thread's apart.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import mqtt, { type MqttClient } from 'mqtt';
import { CreateJobCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { EVENT_TYPES } from '../src/domain/event-types.js';
import { presignMqttUrl } from '../src/mqtt/presign.js';
import { Store } from '../src/store/store.js';
import { clients, CREDENTIALS, REGION } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { machine, median, percentile, processCpuMs, seedGroup, threadCpuMs, tmpDir } from './support.js';
import { SimDevice } from './sim-device.js';

const { values } = benchArgs(
  'MQTT device load: N simulated devices each run start-next, update IN_PROGRESS, update SUCCEEDED after one CreateJob on their group; cycles per second and notify-next latency per round.',
  {
    options: {
      devices: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
      // The devices' MQTT version: 4 (3.1.1) or 5.
      protocol: { type: 'string', default: '4' },
      events: { type: 'string', default: 'off' },
      app: { type: 'string', default: 'none' },
    },
  },
  {
    devices: 'comma-separated numbers of devices',
    rounds: 'measured rounds (after one warm-up round)',
    protocol: "the devices' MQTT version: 4 (3.1.1) or 5",
    events: 'every event type off, on, or both (rounds alternate off and on, interleaved)',
    app: 'none, or one application subscribed to $aws/events/# over a signed WebSocket',
  },
);
const sizes = values.devices!.split(',').map(Number);
const rounds = Number(values.rounds);
const protocolVersion = Number(values.protocol) as 4 | 5;
const eventModes: boolean[] = values.events === 'both' ? [false, true] : values.events === 'on' ? [true] : [false];
if (!['off', 'on', 'both'].includes(values.events!) || !['none', 'one'].includes(values.app!)) throw new Error('--events is off, on or both; --app is none or one');
const withApp = values.app === 'one';

interface Round {
  cyclesPerSec: number;
  notifyP50: number;
  notifyP99: number;
  notifyMin: number;
  /** Time until the CreateJob response arrived. */
  createJobMs: number;
  rejected: number;
  /** Every job event type on during this round. */
  events: boolean;
  /** Events the application received during the round, and how long after the last cycle the last came. */
  appEvents: number;
  eventLagMs: number;
  /** CPU ms per cycle, server (whole process, and its main thread) and bench client (the simulated devices). */
  serverCpu: number;
  serverMainCpu: number;
  clientCpu: number;
}

async function connectAll(url: string, things: string[], make: (t: string, c: MqttClient) => void) {
  for (let i = 0; i < things.length; i += 250) {
    await Promise.all(
      things.slice(i, i + 250).map(async (t) => {
        const c = await mqtt.connectAsync(url, { clientId: t, reconnectPeriod: 0, keepalive: 600, protocolVersion });
        await c.subscribeAsync([`$aws/things/${t}/jobs/notify-next`, `$aws/things/${t}/jobs/start-next/+`, `$aws/things/${t}/jobs/+/update/+`]);
        make(t, c);
      }),
    );
  }
}

async function measure(n: number): Promise<Round[]> {
  const dataDir = tmpDir();
  const store = await Store.open({ dataDir });
  await seedGroup(store, 'fleet', n);
  await store.close();
  const server = await spawnServer(['--data-dir', dataDir]);
  const { iot } = clients(server.url);
  const things = Array.from({ length: n }, (_, i) => `fleet-${String(i).padStart(8, '0')}`);
  let createdAt = 0;
  let notifyLatencies: number[] = [];
  let firstStart = 0;
  let done = 0;
  let rejected = 0;
  let lastDone = 0;
  let allDone: () => void = () => {};
  const hooks = {
    notified: () => notifyLatencies.push(performance.now() - createdAt),
    started: () => {
      if (firstStart === 0) firstStart = performance.now();
    },
    done: () => {
      lastDone = performance.now();
      if (++done === n) allDone();
    },
    rejected: () => {
      rejected++;
    },
  };
  const devices: MqttClient[] = [];
  let appEvents = 0;
  let app: MqttClient | undefined;
  if (withApp) {
    const ready = server.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"'))!;
    const wsUrl = (JSON.parse(ready) as { mqttWebSocket: string }).mqttWebSocket;
    app = await mqtt.connectAsync(await presignMqttUrl({ url: wsUrl, region: REGION, credentials: CREDENTIALS }), { clientId: 'bench-app', reconnectPeriod: 0, protocolVersion: 5 });
    await app.subscribeAsync('$aws/events/#', { qos: 1 });
    app.on('message', () => appEvents++);
  }
  await connectAll(server.mqttUrl!, things, (t, c) => {
    devices.push(c);
    new SimDevice(t, c, hooks);
  });
  const results: Round[] = [];
  try {
    for (let r = 0; r <= rounds * eventModes.length; r++) {
      const events = eventModes[r % eventModes.length]!;
      await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(EVENT_TYPES.map((k) => [k, { Enabled: events }])) }));
      appEvents = 0;
      notifyLatencies = [];
      firstStart = 0;
      done = 0;
      rejected = 0;
      const finished = new Promise<void>((resolve, reject) => {
        allDone = resolve;
        setTimeout(() => reject(new Error(`round ${r}: only ${done} of ${n} cycles completed in 120 s`)), 120_000).unref();
      });
      const pid = server.child.pid!;
      const cpu0 = { server: processCpuMs(pid), main: threadCpuMs(pid, pid), client: process.cpuUsage() };
      createdAt = performance.now();
      const answered = iot.send(new CreateJobCommand({ jobId: `bench-${r}`, targets: ['arn:aws:iot:us-east-1:000000000000:thinggroup/fleet'], document: '{"op":"fw"}' }));
      const createJobMs = await answered.then(() => performance.now() - createdAt);
      await finished;
      // Every execution's `succeeded` and the job's `completed` reach the application (through the outbox, after commit).
      const eventsDone = performance.now();
      if (events && app) while (appEvents < n + 1 && performance.now() - eventsDone < 20_000) await new Promise((res) => setTimeout(res, 5));
      const eventLagMs = events && app ? performance.now() - eventsDone : 0;
      const clientUs = process.cpuUsage(cpu0.client);
      const round: Round = {
        events,
        appEvents,
        eventLagMs,
        serverCpu: (processCpuMs(pid) - cpu0.server) / n,
        serverMainCpu: (threadCpuMs(pid, pid) - cpu0.main) / n,
        clientCpu: (clientUs.user + clientUs.system) / 1000 / n,
        cyclesPerSec: n / ((lastDone - firstStart) / 1000),
        notifyP50: percentile(notifyLatencies, 50),
        notifyP99: percentile(notifyLatencies, 99),
        notifyMin: Math.min(...notifyLatencies),
        createJobMs,
        rejected,
      };
      if (r > 0) results.push(round);
      console.error(`  ${n} devices, ${r === 0 ? 'warm-up round' : `round ${r}`}, events ${events ? 'on' : 'off'}: ${round.cyclesPerSec.toFixed(0)} cycles/s, CreateJob ${round.createJobMs.toFixed(1)} ms, notify-next min ${round.notifyMin.toFixed(1)} p50 ${round.notifyP50.toFixed(1)} ms, p99 ${round.notifyP99.toFixed(1)} ms, rejected ${rejected}, CPU ms/cycle server ${round.serverCpu.toFixed(3)} (main thread ${round.serverMainCpu.toFixed(3)}) client ${round.clientCpu.toFixed(2)}${withApp ? `, application received ${appEvents} events (${events ? n + 1 : 0} owed), the last ${eventLagMs.toFixed(0)} ms after the last cycle` : ''}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  } finally {
    await Promise.all(devices.map((c) => c.endAsync(true)));
    await app?.endAsync(true);
    iot.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
  }
  return results;
}

console.log(`# MQTT device load, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'} devices, events ${values.events}, application ${values.app} — ${machine()} — ${new Date().toISOString()}`);
console.log('| devices | events | cycles/s (median) | notify-next p50 ms | notify-next p99 ms | server CPU ms/cycle | server main thread ms/cycle | client CPU ms/cycle | rejected | app events/round | rounds |');
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
  const all = await measure(n);
  for (const on of eventModes) {
    const rs = all.filter((r) => r.events === on);
    console.log(
      `| ${n} | ${on ? 'on' : 'off'} | ${median(rs.map((r) => r.cyclesPerSec)).toFixed(0)} | ${median(rs.map((r) => r.notifyP50)).toFixed(1)} | ${median(rs.map((r) => r.notifyP99)).toFixed(1)} | ${median(rs.map((r) => r.serverCpu)).toFixed(3)} | ${median(rs.map((r) => r.serverMainCpu)).toFixed(3)} | ${median(rs.map((r) => r.clientCpu)).toFixed(2)} | ${rs.reduce((a, r) => a + r.rejected, 0)} | ${withApp ? median(rs.map((r) => r.appEvents)).toFixed(0) : '—'} | ${rs.length} |`,
    );
  }
}
