/**
 * Fleet indexing and dynamic thing groups benchmark (issue 22 §4).
 *   node dist/bench/fleet-index.js --backend sqlite --scenario search --size 1000000
 * Scenarios (--scenario, default all of them in turn):
 *   search      SearchIndex p50/p99: an equality on an attribute matching 1% of the fleet, a numeric
 *               range matching 1%, a prefix and a leading wildcard matching 1% (first page of 100 each);
 *   build       CreateDynamicThingGroup over the fleet, 1 thing in 10 matching: seconds until ACTIVE,
 *               and the p99 of DescribeThing calls made meanwhile;
 *   update      UpdateThing with 100 dynamic groups (ACTIVE) against a second server over a copy of the fleet
 *               with none, interleaved: a change no query reads, and a change of the attribute every query
 *               reads (groups evaluated, joins and leaves); p50/p99 and server CPU per call;
 *   continuous  a CONTINUOUS job on a dynamic group; --movers things change attributes to join, then
 *               to leave: rate and p99 of the UpdateThing calls, and every execution checked
 *               (QUEUED after the join, REMOVED after the leave).
 * The fleet is seeded straight into a fresh store (things and their index rows), then
 * `iot-jobs serve` runs on it in its own process. Figures only mean something on a quiet machine.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateDynamicThingGroupCommand,
  CreateJobCommand,
  DescribeJobCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  ListThingsInThingGroupCommand,
  SearchIndexCommand,
  UpdateIndexingConfigurationCommand,
  UpdateThingCommand,
  type IoTClient,
} from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { fieldRows } from '../src/store/fleet-index.js';
import { clients } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { dropPgSchema, freshPgSchema, machine, percentile, PG_URL, processCpuMs, tmpDir } from './support.js';

const { values } = benchArgs(
  'Fleet indexing and dynamic groups: SearchIndex latency, a dynamic group built over the fleet, UpdateThing with many dynamic groups, and a CONTINUOUS job following things that join and leave.',
  {
  options: {
    backend: { type: 'string', default: 'sqlite' },
    scenario: { type: 'string', default: 'all' },
    size: { type: 'string', default: '100000' },
    requests: { type: 'string', default: '300' },
    groups: { type: 'string', default: '100' },
    movers: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '4' },
    dataset: { type: 'string', default: '' },
  },
  },
  {
    backend: 'sqlite or postgres',
    scenario: 'search | build | update | continuous (comma-separated for several) | all | seed (only keep the --dataset)',
    size: 'things in the fleet (the issue uses 1000000, continuous 10000)',
    requests: 'calls measured per figure',
    groups: 'dynamic groups for the update scenario',
    movers: 'things that join and leave in the continuous scenario (at most --size)',
    concurrency: 'parallel callers',
    dataset:
      'a directory: the seeded fleet is kept there (SQLite: a copy of the file; PostgreSQL: a template database named after it) and each later run starts from a copy of it, so a 1,000,000-thing fleet is seeded once',
  },
);

const backend = values.backend as 'sqlite' | 'postgres';
const size = Number(values.size);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);
const ARN = 'arn:aws:iot:us-east-1:000000000000';
const name = (i: number) => `fleet-${String(i).padStart(8, '0')}`;

/** model: 1% each (m0..m99); tenth: 1 in 10; n: the number; serial: s + the padded number. */
function attributesOf(i: number): Record<string, string> {
  return { model: `m${i % 100}`, tenth: `t${i % 10}`, n: String(i), serial: `s${String(i).padStart(8, '0')}`, state: 'out' };
}

async function seed(store: Store, n: number): Promise<void> {
  const chunk = store.dialect === 'postgres' ? 2000 : 1000;
  for (let i = 0; i < n; i += chunk) {
    const things = Array.from({ length: Math.min(chunk, n - i) }, (_, k) => ({
      thing_name: name(i + k),
      thing_id: `id-${i + k}`,
      thing_type_name: null,
      attributes: JSON.stringify(attributesOf(i + k)),
      version: 1,
      created_at: Date.now(),
    }));
    await store.tx(async (db) => {
      await db.insertInto('things').values(things).execute();
      const rows = things.flatMap((t) => fieldRows(t, [], undefined));
      for (let j = 0; j < rows.length; j += 5000) await db.insertInto('thing_fields').values(rows.slice(j, j + 5000)).execute();
    });
  }
}

/** Runs `call` `count` times over `concurrency` loops; the latencies in ms. */
async function measure(count: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}
const stats = (xs: number[]) => ({ n: xs.length, p50: +percentile(xs, 50).toFixed(2), p99: +percentile(xs, 99).toFixed(2) });

async function untilActive(iot: IoTClient, group: string): Promise<void> {
  while ((await iot.send(new DescribeThingGroupCommand({ thingGroupName: group }))).status !== 'ACTIVE') await sleep(20);
}

async function search(iot: IoTClient) {
  const page = async (queryString: string, expect: number) => {
    const r = await iot.send(new SearchIndexCommand({ queryString, maxResults: 100 }));
    if ((r.things?.length ?? 0) !== Math.min(100, expect)) throw new Error(`${queryString}: ${r.things?.length} things on the first page`);
  };
  const onePct = Math.floor(size / 100);
  return {
    equality: stats(await measure(requests, (i) => page(`attributes.model:m${i % 100}`, onePct))),
    range: stats(await measure(requests, (i) => page(`attributes.n:[${(i % 50) * onePct} TO ${(i % 50) * onePct + onePct - 1}]`, onePct))),
    // m10* .. m99*: each matches one model of the hundred (m1* would match m1 and m10..m19).
    wildcard: stats(await measure(requests, (i) => page(`attributes.model:m${10 + (i % 90)}*`, onePct))),
    leadingWildcard: stats(await measure(requests, (i) => page(`attributes.serial:*${String(i % 100).padStart(2, '0')}`, onePct))),
  };
}

async function build(iot: IoTClient, probe: IoTClient) {
  const t0 = performance.now();
  await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'bench-tenth', queryString: 'attributes.tenth:t3' }));
  let done = false;
  const probes: number[] = [];
  const loop = (async () => {
    for (let i = 0; !done; i++) {
      const s = performance.now();
      await probe.send(new DescribeThingCommand({ thingName: name((i * 7919) % size) }));
      probes.push(performance.now() - s);
    }
  })();
  await untilActive(iot, 'bench-tenth');
  const seconds = (performance.now() - t0) / 1000;
  done = true;
  await loop;
  // The members, counted after the measure: 1 in 10 (tenth t3: the numbers ending in 3).
  let members = 0;
  let nextToken: string | undefined;
  do {
    const r = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'bench-tenth', maxResults: 250, nextToken }));
    members += r.things?.length ?? 0;
    nextToken = r.nextToken;
  } while (nextToken);
  const expected = Math.floor(size / 10) + (size % 10 > 3 ? 1 : 0);
  if (members !== expected) throw new Error(`bench-tenth has ${members} members; ${expected} expected`);
  return { untilActiveS: +seconds.toFixed(2), members, apiMeanwhile: stats(probes) };
}

/**
 * UpdateThing on two servers over copies of the same fleet, one with `--groups` dynamic groups and
 * one with none (the baseline), in interleaved rounds: a change no query reads, then a change of
 * the attribute every query reads (all groups evaluated, the thing leaving one and joining another).
 * Latency percentiles and the server's CPU per call (from /proc: noise from other processes does not
 * count there).
 */
async function update(withG: { iot: IoTClient; pid: number }, base: { iot: IoTClient; pid: number }) {
  const groups = Number(values.groups);
  for (let g = 0; g < groups; g++) await withG.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `bench-g${g}`, queryString: `attributes.model:m${g % 100} AND attributes.n > ${g}` }));
  for (let g = 0; g < groups; g++) await untilActive(withG.iot, `bench-g${g}`);
  const note = (iot: IoTClient, r: number) => (i: number) =>
    iot.send(new UpdateThingCommand({ thingName: name(((r * requests + i) * 104729) % size), attributePayload: { attributes: { note: String(i) }, merge: true } }));
  // A change the queries read (model): every group is evaluated on the thing, joins and leaves included.
  const model = (iot: IoTClient, r: number) => (i: number) =>
    iot.send(new UpdateThingCommand({ thingName: name(((r * requests + i) * 7919) % size), attributePayload: { attributes: { model: `m${(r * 13 + i * 7) % 100}` }, merge: true } }));
  const rounds = 10;
  const per = Math.max(1, Math.floor(requests / rounds));
  const lat: Record<string, number[]> = { none: [], withGroups: [], noneRead: [], withGroupsRead: [] };
  const cpu: Record<string, number> = { none: 0, withGroups: 0, noneRead: 0, withGroupsRead: 0 };
  const batch = async (key: string, s: { pid: number }, call: (i: number) => Promise<unknown>) => {
    const c0 = processCpuMs(s.pid);
    lat[key]!.push(...(await measure(per, call)));
    cpu[key]! += processCpuMs(s.pid) - c0;
  };
  // A warm-up on both, not counted.
  await measure(per, note(base.iot, 99));
  await measure(per, note(withG.iot, 99));
  for (let r = 0; r < rounds; r++) {
    await batch('none', base, note(base.iot, r));
    await batch('withGroups', withG, note(withG.iot, r));
    await batch('noneRead', base, model(base.iot, r));
    await batch('withGroupsRead', withG, model(withG.iot, r));
  }
  const n = per * rounds;
  const out: Record<string, unknown> = { groups, rounds, callsPerFigure: n };
  for (const k of Object.keys(lat)) out[k] = { ...stats(lat[k]!), cpuMsPerCall: +(cpu[k]! / n).toFixed(3) };
  const p99 = (k: string) => percentile(lat[k]!, 99);
  const p50 = (k: string) => percentile(lat[k]!, 50);
  out.ratio = {
    p99: +(p99('withGroups') / p99('none')).toFixed(2),
    p99Read: +(p99('withGroupsRead') / p99('noneRead')).toFixed(2),
    p50Read: +(p50('withGroupsRead') / p50('noneRead')).toFixed(2),
    cpuRead: +(cpu.withGroupsRead! / cpu.noneRead!).toFixed(2),
  };
  return out;
}

async function continuous(iot: IoTClient) {
  const movers = Math.min(Number(values.movers), size);
  await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'bench-movers', queryString: 'attributes.state:in' }));
  await untilActive(iot, 'bench-movers');
  await iot.send(new CreateJobCommand({ jobId: 'bench-continuous', targets: [`${ARN}:thinggroup/bench-movers`], document: '{}', targetSelection: 'CONTINUOUS' }));
  const move = (state: string) => (i: number) => iot.send(new UpdateThingCommand({ thingName: name(i), attributePayload: { attributes: { state }, merge: true } }));
  const t0 = performance.now();
  const join = await measure(movers, move('in'));
  const joinS = (performance.now() - t0) / 1000;
  const afterJoin = (await iot.send(new DescribeJobCommand({ jobId: 'bench-continuous' }))).job!.jobProcessDetails!;
  const t1 = performance.now();
  const leave = await measure(movers, move('out'));
  const leaveS = (performance.now() - t1) / 1000;
  const afterLeave = (await iot.send(new DescribeJobCommand({ jobId: 'bench-continuous' }))).job!.jobProcessDetails!;
  const right = afterJoin.numberOfQueuedThings === movers && afterLeave.numberOfRemovedThings === movers && afterLeave.numberOfQueuedThings === 0;
  return {
    movers,
    join: { ...stats(join), perSecond: Math.round(movers / joinS) },
    leave: { ...stats(leave), perSecond: Math.round(movers / leaveS) },
    executionsRight: right,
    counters: { queuedAfterJoin: afterJoin.numberOfQueuedThings, removedAfterLeave: afterLeave.numberOfRemovedThings, queuedAfterLeave: afterLeave.numberOfQueuedThings },
  };
}

const SQLITE_FILE = 'iot-jobs.sqlite';

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
/** PG_URL with another database. */
const pgDbUrl = (db: string) => {
  const u = new URL(PG_URL);
  u.pathname = `/${db}`;
  return u.toString();
};

/**
 * The store the server runs on: seeded now, or copied from the kept data set (--dataset), which is
 * seeded first if it is not there yet. Returns the server's flags and a cleanup.
 */
let prepared = 0;
async function prepare(): Promise<{ flags: string[]; seededS: number | 'reused'; cleanup: () => Promise<void> }> {
  const dataDir = tmpDir();
  const timed = async (fn: () => Promise<void>) => {
    const s0 = performance.now();
    await fn();
    return +((performance.now() - s0) / 1000).toFixed(1);
  };
  const seedInto = async (opts: { dataDir: string; databaseUrl?: string }) => {
    const store = await Store.open(opts);
    await seed(store, size);
    await store.close();
  };
  if (backend === 'sqlite') {
    let seededS: number | 'reused' = 'reused';
    if (values.dataset) {
      const kept = join(values.dataset, `sqlite-${size}`);
      if (!existsSync(join(kept, 'done'))) {
        mkdirSync(kept, { recursive: true });
        seededS = await timed(() => seedInto({ dataDir: kept }));
        writeFileSync(join(kept, 'done'), '');
      }
      copyFileSync(join(kept, SQLITE_FILE), join(dataDir, SQLITE_FILE));
    } else seededS = await timed(() => seedInto({ dataDir }));
    return { flags: ['--data-dir', dataDir], seededS, cleanup: async () => {} };
  }
  if (values.dataset) {
    // A template database, copied per run (CREATE DATABASE ... TEMPLATE: a file copy, no re-seed).
    const template = `fleet_seed_${basename(values.dataset).replace(/\W/g, '_')}_${size}`.toLowerCase();
    const run = `fleet_run_${process.pid}_${++prepared}`;
    let seededS: number | 'reused' = 'reused';
    const exists = await pgAdmin(async (c) => (await c.query('select 1 from pg_database where datname = $1', [template])).rowCount === 1);
    if (!exists) {
      await pgAdmin((c) => c.query(`create database "${template}_tmp"`));
      seededS = await timed(() => seedInto({ dataDir, databaseUrl: pgDbUrl(`${template}_tmp`) }));
      await pgAdmin((c) => c.query(`alter database "${template}_tmp" rename to "${template}"`));
    }
    await pgAdmin((c) => c.query(`create database "${run}" template "${template}"`));
    return { flags: ['--database-url', pgDbUrl(run)], seededS, cleanup: () => pgAdmin((c) => c.query(`drop database if exists "${run}"`)).then(() => {}) };
  }
  const schema = await freshPgSchema(`bench_fleet_${process.pid}_${++prepared}`);
  const dbUrl = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const seededS = await timed(() => seedInto({ dataDir, databaseUrl: dbUrl }));
  return { flags: ['--database-url', dbUrl], seededS, cleanup: () => dropPgSchema(schema) };
}

async function main() {
  const which = values.scenario === 'all' ? ['search', 'build', 'continuous', 'update'] : values.scenario === 'seed' ? [] : values.scenario!.split(',');
  const { flags, seededS, cleanup } = await prepare();
  const server = await spawnServer(flags);
  const { iot } = clients(server.url);
  const probe = clients(server.url).iot;
  // The update scenario's baseline: a second server over its own copy of the fleet, with no dynamic group.
  const second = which.includes('update') ? await prepare() : undefined;
  const baseServer = second ? await spawnServer(second.flags) : undefined;
  const baseIot = baseServer ? clients(baseServer.url).iot : undefined;
  const out: Record<string, unknown> = { machine: machine(), backend, size, seededS };
  try {
    for (const c of [iot, baseIot]) await c?.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
    for (const sc of which) {
      if (sc === 'search') out.search = await search(iot);
      else if (sc === 'build') out.build = await build(iot, probe);
      else if (sc === 'update') out.update = await update({ iot, pid: server.child.pid! }, { iot: baseIot!, pid: baseServer!.child.pid! });
      else if (sc === 'continuous') out.continuous = await continuous(iot);
      else throw new Error(`unknown scenario ${sc} (see --help)`);
    }
  } finally {
    for (const c of [iot, probe, baseIot]) c?.destroy();
    for (const sv of [server, baseServer]) {
      sv?.child.kill('SIGTERM');
      await sv?.exited;
    }
    await cleanup();
    await second?.cleanup();
  }
  console.log(JSON.stringify(out, null, 2));
}

await main();
