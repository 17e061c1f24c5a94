/**
 * AWS IoT commands benchmarks (issue 25), in-process server, embedded broker:
 *   node dist/bench/commands.js --scenario roundtrip --devices 1000 --rate 100 --seconds 30
 *   node dist/bench/commands.js --scenario storm --n 100000 --backend sqlite
 * roundtrip: N mqtt.js devices answer every request with SUCCEEDED at once; StartCommandExecution
 *   is called at --rate per second on random devices for --seconds; each sample is the time from
 *   the start call to GetCommandExecution showing SUCCEEDED (called once the device saw its
 *   update accepted). Prints p50, p99 and max in ms.
 * storm: N executions CREATED through bulk SQL that mirrors StartCommandExecution's row and timer
 *   (seeding is not measured), all due in the same second on a manual clock; then one
 *   POST /_iot-jobs/clock past the deadline, which answers once all are TIMED_OUT. Prints its ms.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { sql } from 'kysely';
import { CreateCommandCommand, GetCommandExecutionCommand } from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { startApp } from '../src/app.js';
import { clockRequest } from '../src/cli/clock-client.js';
import { COMMAND_TIMEOUT } from '../src/store/command-timeouts.js';
import { clients, testConfig } from '../test/support/harness.js';
import { dropPgSchema, freshPgSchema, machine, percentile, PG_URL, seedGroup, tmpDir } from './support.js';

const { values } = benchArgs(
  'Commands: the round trip StartCommandExecution → device → SUCCEEDED visible in GetCommandExecution at N MQTT devices (p50/p99), or a storm of command executions timing out in one clock POST.',
  {
  options: {
    scenario: { type: 'string', default: 'roundtrip' },
    backend: { type: 'string', default: 'sqlite' },
    devices: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    n: { type: 'string', default: '100000' },
  },
  },
  {
    scenario: 'roundtrip or storm',
    backend: 'sqlite or postgres',
    devices: 'roundtrip: MQTT devices',
    rate: 'roundtrip: StartCommandExecution calls per second',
    seconds: 'roundtrip: how long to send',
    n: 'storm: command executions timing out together',
  },
);

const backend = values.backend as 'sqlite' | 'postgres';
if (!['sqlite', 'postgres'].includes(backend) || !['roundtrip', 'storm'].includes(values.scenario!)) {
  process.stderr.write('--backend must be sqlite or postgres and --scenario roundtrip or storm (see --help)\n');
  process.exit(2);
}
const ARN = 'arn:aws:iot:us-east-1:000000000000';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

async function server(manual: boolean) {
  const schema = backend === 'postgres' ? await freshPgSchema(`bench_c_${process.pid}`) : undefined;
  const config = testConfig({ dataDir: tmpDir(), logLevel: 'warn', mqttPort: 0, ...(manual ? { clock: 'manual' as const } : {}), ...(schema ? { databaseUrl: PG_URL } : {}) });
  const app = await startApp(config, schema ? { pgSchema: schema } : {});
  return {
    app,
    ...clients(app.httpUrl),
    async close() {
      await app.close();
      if (schema) await dropPgSchema(schema);
    },
  };
}

async function roundtrip(): Promise<void> {
  const nDevices = Number(values.devices);
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const s = await server(false);
  await seedGroup(s.app.store, 'cmdbench', nDevices);
  const names = Array.from({ length: nDevices }, (_, i) => `cmdbench-${String(i).padStart(8, '0')}`);
  await s.iot.send(new CreateCommandCommand({ commandId: 'bench', payload: { content: new TextEncoder().encode('{"op":"ping"}'), contentType: 'application/json' } }));
  const accepted = new Map<string, () => void>();
  const devices = await Promise.all(
    names.map(async (thing) => {
      const c = await mqtt.connectAsync(s.app.mqttUrl!, { clientId: thing, reconnectPeriod: 0 });
      const base = `$aws/commands/things/${thing}/executions`;
      c.on('message', (topic) => {
        const parts = topic.split('/');
        const id = parts[5]!;
        if (parts[6] === 'request') c.publish(`${base}/${id}/response/json`, '{"status":"SUCCEEDED"}', { qos: 0 });
        else if (topic.endsWith('/response/accepted/json')) accepted.get(id)?.();
      });
      await c.subscribeAsync([`${base}/+/request/json`, `${base}/+/response/accepted/json`], { qos: 0 });
      return c;
    }),
  );
  const samples: number[] = [];
  const pending: Promise<void>[] = [];
  const one = async () => {
    const thing = names[Math.floor(Math.random() * names.length)]!;
    const t0 = performance.now();
    const { executionId } = await s.data.send(new StartCommandExecutionCommand({ commandArn: `${ARN}:command/bench`, targetArn: `${ARN}:thing/${thing}` }));
    // The reply can come before this line runs: register, then wait with a deadline.
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no accepted reply for ${executionId}`)), 10_000);
      accepted.set(executionId!, () => {
        clearTimeout(t);
        resolve();
      });
    }).catch(() => undefined);
    accepted.delete(executionId!);
    const e = await s.iot.send(new GetCommandExecutionCommand({ executionId, targetArn: `${ARN}:thing/${thing}` }));
    if (e.status === 'SUCCEEDED') samples.push(performance.now() - t0);
  };
  const total = Math.round(rate * seconds);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(one().catch(() => undefined));
  }
  await Promise.all(pending);
  await Promise.all(devices.map((d) => d.endAsync()));
  await s.close();
  console.log(JSON.stringify({ scenario: 'roundtrip', backend, devices: nDevices, rate, seconds, sent: total, succeeded: samples.length, p50Ms: +percentile(samples, 50).toFixed(2), p99Ms: +percentile(samples, 99).toFixed(2), maxMs: +Math.max(...samples).toFixed(2), machine: machine() }));
}

async function storm(): Promise<void> {
  const n = Number(values.n);
  const s = await server(true);
  await seedGroup(s.app.store, 'cmdstorm', 1);
  await s.iot.send(new CreateCommandCommand({ commandId: 'storm', payload: { content: new TextEncoder().encode('{}'), contentType: 'application/json' } }));
  const now = s.app.clock.now();
  const target = `${ARN}:thing/cmdstorm-00000000`;
  // One real execution, then the rest in bulk with the same columns.
  const { executionId: real } = await s.data.send(new StartCommandExecutionCommand({ commandArn: `${ARN}:command/storm`, targetArn: target, executionTimeoutSeconds: 60 }));
  const template = await s.app.store.db.selectFrom('command_executions').selectAll().where('execution_id', '=', real!).executeTakeFirstOrThrow();
  // 20 columns a row: SQLite takes at most 32766 variables a statement.
  const chunk = 1000;
  const seed0 = performance.now();
  for (let i = 1; i < n; i += chunk) {
    const ids = Array.from({ length: Math.min(chunk, n - i) }, () => randomUUID());
    await s.app.store.tx(async (db) => {
      await db.insertInto('command_executions').values(ids.map((id) => ({ ...template, execution_id: id, client_token: null, request_hash: null }))).execute();
      await db.insertInto('timers').values(ids.map((id) => ({ kind: COMMAND_TIMEOUT, ref: id, job_id: null, due_at: now + 60_000 }))).execute();
    });
  }
  const seedMs = performance.now() - seed0;
  const t0 = performance.now();
  const r = await clockRequest({ url: s.app.httpUrl, region: 'us-east-1', credentials: CREDENTIALS }, { advanceSeconds: 61 });
  const stormMs = performance.now() - t0;
  if (r.status !== 200) throw new Error(`clock POST: ${r.status} ${JSON.stringify(r.body)}`);
  const { rows } = await sql<{ n: number }>`select count(*) as n from command_executions where status = 'TIMED_OUT'`.execute(s.app.store.db);
  await s.close();
  const timedOut = Number(rows[0]!.n);
  if (timedOut !== n) throw new Error(`${timedOut} of ${n} timed out`);
  console.log(JSON.stringify({ scenario: 'storm', backend, n, timedOut, stormMs: Math.round(stormMs), seedMs: Math.round(seedMs), machine: machine() }));
}

await (values.scenario === 'storm' ? storm() : roundtrip());
process.exit(0);
