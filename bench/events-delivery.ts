/**
 * Events delivered (issue 21 §5): one back-end application, connected over MQTT-over-WebSocket
 * with a SigV4-presigned URL, subscribed to `$aws/events/jobExecution/+/canceled`; CancelJob on a
 * job of N QUEUED executions with JOB_EXECUTION events on. Reports how long until every one of the
 * N events arrived (each thing's event counted once: at least once may deliver twice), the rate,
 * the p99 of DescribeJobExecution called by 2 loops meanwhile, and the server's resident memory
 * sampled from /proc every 250 ms (first, peak, last).
 *   node dist/bench/events-delivery.js --size 1000000
 * The server runs as `iot-jobs serve` in its own process on a copy of a data set seeded once
 * (kept under the temp dir and reused).
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { presignMqttUrl } from '../src/mqtt/presign.js';
import { clients } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { benchArgs } from './args.js';
import { machine, percentile, seedGroup, tmpDir } from './support.js';

const { values } = benchArgs(
  'Events delivered: an application subscribed to $aws/events/jobExecution/+/canceled over a SigV4 WebSocket receives the events of CancelJob on N executions; rate, DescribeJobExecution p99 and the server RSS meanwhile.',
  {
    options: {
      size: { type: 'string', default: '1000000' },
      probes: { type: 'string', default: '2' },
      qos: { type: 'string', default: '1' },
      'timeout-s': { type: 'string', default: '600' },
    },
  },
  {
    size: 'executions canceled (things seeded)',
    probes: 'loops calling DescribeJobExecution on another job meanwhile',
    qos: "the subscription's QoS (0 or 1)",
    'timeout-s': 'give up after this many seconds without all events',
  },
);
const n = Number(values.size);
const ARN = 'arn:aws:iot:us-east-1:000000000000';

/** The seeded data set, made once per size. */
async function template(): Promise<string> {
  const dir = join('/tmp', `iot-jobs-events-delivery-${n}`);
  if (existsSync(join(dir, 'ready'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const store = await Store.open({ dataDir: dir });
  await seedGroup(store, 'fleet', n);
  await store.close();
  mkdirSync(join(dir, 'ready'));
  return dir;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const dataDir = tmpDir();
for (const f of ['iot-jobs.sqlite', 'iot-jobs.sqlite-wal']) if (existsSync(join(await template(), f))) cpSync(join(await template(), f), join(dataDir, f));
const server = await spawnServer(['--data-dir', dataDir]);
const { iot } = clients(server.url);
const probeClient = clients(server.url).iot;
const wsUrl = (JSON.parse(server.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"'))!) as { mqttWebSocket: string }).mqttWebSocket;
try {
  await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB_EXECUTION: { Enabled: true } } }));
  await iot.send(new CreateThingCommand({ thingName: 'probe' }));
  await iot.send(new CreateJobCommand({ jobId: 'probe', targets: [`${ARN}:thing/probe`], document: '{}' }));
  await iot.send(new CreateJobCommand({ jobId: 'big', targets: [`${ARN}:thinggroup/fleet`], document: '{}' }));
  for (;;) {
    const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job!;
    if (!j.isConcurrent && j.jobProcessDetails?.numberOfQueuedThings === n) break;
    await sleep(200);
  }

  const url = await presignMqttUrl({ url: wsUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const app = await mqtt.connectAsync(url, { clientId: 'bench-events-app', reconnectPeriod: 0, connectTimeout: 10_000 });
  const seen = new Set<string>();
  let messages = 0;
  let last = 0;
  let all: () => void = () => {};
  const allArrived = new Promise<void>((r) => (all = r));
  app.on('message', (_topic, payload) => {
    messages++;
    const e = JSON.parse(payload.toString()) as { thingArn: string; status: string };
    if (e.status !== 'CANCELED') throw new Error(`unexpected event ${payload.toString()}`);
    seen.add(e.thingArn);
    last = performance.now();
    if (seen.size === n) all();
  });
  await app.subscribeAsync('$aws/events/jobExecution/+/canceled', { qos: Number(values.qos) as 0 | 1 });

  const pid = server.child.pid!;
  const rss: number[] = [rssMb(pid)];
  const sampler = setInterval(() => rss.push(rssMb(pid)), 250);
  let probing = true;
  const latencies: number[] = [];
  const probe = async () => {
    while (probing) {
      const s = performance.now();
      await probeClient.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
      latencies.push(performance.now() - s);
    }
  };
  const probes = Array.from({ length: Number(values.probes) }, probe);
  const t0 = performance.now();
  await iot.send(new CancelJobCommand({ jobId: 'big' }));
  let canceledAt = 0;
  void (async () => {
    for (;;) {
      const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job!;
      if (!j.isConcurrent && j.jobProcessDetails?.numberOfQueuedThings === 0) return (canceledAt = performance.now() - t0);
      await sleep(20);
    }
  })();
  // Unref'd: a pending timer must not keep the process alive once all events arrived.
  const timeout = sleep(Number(values['timeout-s']) * 1000, 'timeout', { ref: false });
  const outcome = await Promise.race([allArrived.then(() => 'all'), timeout]);
  const ms = (last || performance.now()) - t0;
  probing = false;
  await Promise.all(probes);
  clearInterval(sampler);
  rss.push(rssMb(pid));
  await app.endAsync();
  const perSecond = rss.filter((_, i) => i % 4 === 0).map((x) => Math.round(x));
  console.log(
    JSON.stringify({
      machine: machine(),
      date: new Date().toISOString(),
      size: n,
      qos: Number(values.qos),
      outcome,
      distinctEvents: seen.size,
      messages,
      cancelMs: Math.round(canceledAt),
      lastEventMs: Math.round(ms),
      eventsPerSecond: Math.round(seen.size / (ms / 1000)),
      describeJobExecution: { calls: latencies.length, p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1) },
      serverRssMb: { first: Math.round(rss[0]!), peak: Math.round(Math.max(...rss)), last: Math.round(rss.at(-1)!), perSecond },
    }),
  );
  if (outcome !== 'all') process.exitCode = 1;
} finally {
  iot.destroy();
  probeClient.destroy();
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
