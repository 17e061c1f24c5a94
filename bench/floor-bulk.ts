/**
 * The floor for the bulk work (issue 27): a group fan-out and a forced deletion of N executions,
 * by iot-jobs (CreateJob, then DeleteJob with force, over HTTP, timed as bench/core.ts times them, with 4
 * loops calling DescribeJobExecution during the deletion) and, interleaved in the same run, the
 * same SQL run straight on better-sqlite3 (or on `pg`): the same batches (5,000 on SQLite, 10,000 on
 * PostgreSQL), each one transaction of the statements a step needs (the batch's upper bound, the
 * INSERT ... SELECT or the DELETE, the names of the rows they touched, the counters, the cursor). Nothing else: no engine, no
 * timers, no HTTP. Both start from a copy of one seeded data set (a SQLite file, or PostgreSQL
 * tables copied from a template schema), made once and reused across invocations.
 *   node dist/bench/floor-bulk.js --backend sqlite --size 1000000 --runs 3
 */
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';
import { CreateJobCommand, CreateThingCommand, DeleteJobCommand, DescribeJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { startApp } from '../src/app.js';
import type { Config } from '../src/config/types.js';
import { clients, testConfig } from '../test/support/harness.js';
import { benchArgs } from './args.js';
import { dropPgSchema, freshPgSchema, machine, median, percentile, PG_URL, seedGroup, tmpDir } from './support.js';

const { values } = benchArgs(
  'Fan-out and forced deletion of N executions: iot-jobs against the same SQL run straight on better-sqlite3 / pg, interleaved in one run.',
  {
    options: {
      backend: { type: 'string', default: 'sqlite' },
      size: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: 'both' },
      template: { type: 'string', default: '' },
      'no-delete': { type: 'boolean', default: false },
      probes: { type: 'string', default: '4' },
      batch: { type: 'string', default: '' },
      'poll-ms': { type: 'string', default: '2' },
    },
  },
  {
    backend: 'sqlite or postgres',
    size: 'things in the group (executions fanned out, then deleted)',
    runs: 'pairs of runs (iot-jobs, floor; the order alternates); medians are reported',
    only: 'both, ours or floor',
    template: 'where the seeded data set is kept and reused (SQLite: a data dir; PostgreSQL: a schema name); default per size under the temp dir / bench_tpl_<size>',
    'no-delete': 'time the fan-out only',
    batch: "the floor's rows per step (default: iot-jobs' own, app.ts: 5,000 on SQLite, 10,000 on PostgreSQL)",
    probes: 'loops calling DescribeJobExecution during the deletion (in this process, as bench/core.ts does)',
    'poll-ms': 'pause between the DescribeJob calls that watch for the end of the fan-out and the deletion',
  },
);
const backend = values.backend as 'sqlite' | 'postgres';
const n = Number(values.size);
const runs = Number(values.runs);
const batch = Number(values.batch) || (backend === 'sqlite' ? 5000 : 10000);
const GROUP = 'fleet';
const JOB = 'big';
const NOW = 1_800_000_000_000;
const pollMs = Number(values['poll-ms']);
const nProbes = Number(values.probes);

// ---------- the seeded data set, made once ----------

async function sqliteTemplate(): Promise<string> {
  const dir = values.template || join('/tmp', `iot-jobs-floor-bulk-${n}`);
  if (existsSync(join(dir, 'ready'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const app = await startApp(testConfig({ dataDir: dir, logLevel: 'warn' }));
  await seedGroup(app.store, GROUP, n);
  await app.close();
  const raw = new Database(join(dir, 'iot-jobs.sqlite'));
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  mkdirSync(join(dir, 'ready'));
  return dir;
}

function sqliteCopy(tpl: string): string {
  const dir = tmpDir();
  cpSync(join(tpl, 'iot-jobs.sqlite'), join(dir, 'iot-jobs.sqlite'));
  return dir;
}

async function pgTemplate(): Promise<string> {
  const schema = values.template || `bench_tpl_${n}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const { rows } = await c.query(`select count(*)::int as k from information_schema.tables where table_schema = $1 and table_name = 'ready'`, [schema]);
    if (rows[0].k === 1) return schema;
  } finally {
    await c.end();
  }
  await freshPgSchema(schema);
  const app = await startApp(testConfig({ dataDir: tmpDir(), logLevel: 'warn', databaseUrl: PG_URL, dbPoolSize: 4 }), { pgSchema: schema });
  await seedGroup(app.store, GROUP, n);
  await app.close();
  const d = new pg.Client({ connectionString: PG_URL });
  await d.connect();
  await d.query(`create table "${schema}".ready (x int)`);
  await d.end();
  return schema;
}

/** A fresh schema migrated by iot-jobs, with the template's group copied in. */
async function pgCopy(tpl: string, schema: string, client: pg.Client): Promise<void> {
  for (const t of ['thing_groups', 'things', 'group_members']) await client.query(`insert into "${schema}".${t} select * from "${tpl}".${t}`);
  await client.query(`analyze "${schema}".group_members`);
  await client.query(`analyze "${schema}".things`);
}

// ---------- iot-jobs ----------

async function ours(run: number) {
  let schema: string | undefined;
  let dataDir = tmpDir();
  if (backend === 'sqlite') dataDir = sqliteCopy(await sqliteTemplate());
  else schema = await freshPgSchema(`bench_fb_${process.pid}_${run}`);
  const config: Config = testConfig({ dataDir, logLevel: 'warn', ...(backend === 'postgres' ? { databaseUrl: PG_URL, dbPoolSize: 10 } : {}) });
  const app = await startApp(config, schema ? { pgSchema: schema } : {});
  const { iot } = clients(app.httpUrl);
  try {
    if (schema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await pgCopy(await pgTemplate(), schema, c);
      await c.end();
    }
    await iot.send(new CreateThingCommand({ thingName: 'probe' }));
    await iot.send(new CreateJobCommand({ jobId: 'probe', targets: ['arn:aws:iot:us-east-1:000000000000:thing/probe'], document: '{}' }));
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
    hook('reset');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await iot.send(new CreateJobCommand({ jobId: JOB, targets: [`arn:aws:iot:us-east-1:000000000000:thinggroup/${GROUP}`], document: '{"op":"fw"}' }));
    for (;;) {
      const j = (await iot.send(new DescribeJobCommand({ jobId: JOB }))).job!;
      if (!j.isConcurrent) {
        if (j.jobProcessDetails?.numberOfQueuedThings !== n) throw new Error(`fan-out queued ${j.jobProcessDetails?.numberOfQueuedThings}, not ${n}`);
        break;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    const fanoutMs = performance.now() - t0;
    const fanoutCpu = cpuMs(process.cpuUsage(cpu0));
    hook('dump', 'ours fan-out');
    if (values['no-delete']) return { fanoutMs, fanoutCpu, deleteMs: NaN, deleteCpu: NaN, p99: NaN, rssGrowthMb: (rssPeak - rssBefore) / 2 ** 20 };
    const latencies: number[] = [];
    let probing = true;
    const probe = async () => {
      while (probing) {
        const s = performance.now();
        await iot.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
        latencies.push(performance.now() - s);
      }
    };
    const probes = Array.from({ length: nProbes }, probe);
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    await iot.send(new DeleteJobCommand({ jobId: JOB, force: true }));
    for (;;) {
      try {
        await iot.send(new DescribeJobCommand({ jobId: JOB }));
      } catch (e) {
        if ((e as Error).name === 'ResourceNotFoundException') break;
        throw e;
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    const deleteMs = performance.now() - t1;
    const deleteCpu = cpuMs(process.cpuUsage(cpu1));
    hook('dump', 'ours delete');
    probing = false;
    await Promise.all(probes);
    clearInterval(sampler);
    return { fanoutMs, fanoutCpu, deleteMs, deleteCpu, p99: percentile(latencies, 99), rssGrowthMb: (rssPeak - rssBefore) / 2 ** 20 };
  } finally {
    iot.destroy();
    await app.close();
    if (schema) await dropPgSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Statement timings when a profiling preload is given (node --import); nothing otherwise. */
const hook = (what: 'reset' | 'dump', label = '') => {
  const g = globalThis as { __sqlReset?: () => void; __sqlDump?: (l: string) => void };
  if (what === 'reset') g.__sqlReset?.();
  else g.__sqlDump?.(label);
};
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

// ---------- the floor: the same SQL, straight on the driver ----------

/** The statements of one fan-out step and one deletion step, as iot-jobs' steps issue them. */
const SQL = {
  bound: `select thing_name from group_members m where m.group_name in ($g) and m.thing_name > $after order by m.thing_name limit 2 offset ${batch - 1}`,
  insert: (upTo: boolean) => `insert into job_executions (job_id, thing_name, execution_number, status, status_details, force_canceled, queued_at, started_at, last_updated_at, version_number, step_timeout_minutes, listed)
    select distinct '${JOB}', m.thing_name, 1, 'QUEUED', cast(null as text), 0, ${NOW}, cast(null as bigint), ${NOW}, 1, cast(null as bigint), 1
    from group_members m where m.group_name in ($g) and m.thing_name > $after ${upTo ? 'and m.thing_name <= $upTo' : ''}
    on conflict (job_id, thing_name, execution_number) do nothing${backend === 'postgres' ? ' returning thing_name' : ''}`,
  // SQLite: no RETURNING (it buffers what it returns); the new rows are those past the largest id.
  lastId: `select max(id) as id from job_executions`,
  namesAfter: `select group_concat(thing_name, char(0)) as names from job_executions where id > $id`,
  delByStatus: (upTo: boolean) => `select status, group_concat(thing_name, char(0)) as names from job_executions where job_id = '${JOB}' and thing_name >= $after ${upTo ? 'and thing_name <= $upTo' : ''} group by status`,
  counters: `update jobs set n_queued = n_queued + $dq where job_id = '${JOB}'`,
  cursor: `update jobs set work_cursor = $cursor, last_updated_at = ${NOW} where job_id = '${JOB}'`,
  delBound: `select thing_name from job_executions where job_id = '${JOB}' and thing_name >= $after order by thing_name limit 1 offset ${batch - 1}`,
  del: (upTo: boolean) => `delete from job_executions where job_id = '${JOB}' and thing_name >= $after ${upTo ? 'and thing_name <= $upTo' : ''}${backend === 'postgres' ? ' returning thing_name, status' : ''}`,
  left: `select id from job_executions where job_id = '${JOB}' limit 1`,
  dropJob: `delete from jobs where job_id = '${JOB}'`,
};

/** A job row like CreateJob's (every NOT NULL column given), for the counters and the cursor. */
const JOB_ROW: Record<string, unknown> = {
  job_id: JOB, status: 'IN_PROGRESS', target_selection: 'SNAPSHOT', targets: '[]', config: '{}', force_canceled: 0, created_at: NOW, last_updated_at: NOW,
  n_queued: 0, n_in_progress: 0, n_succeeded: 0, n_failed: 0, n_rejected: 0, n_canceled: 0, n_removed: 0, n_timed_out: 0,
};

/** One driver's way to run a statement with named $params (SQLite) or positional ones (pg). */
interface Raw {
  all(text: string, args: Record<string, unknown>): Promise<Record<string, unknown>[]>;
  /** Rows changed by a write without RETURNING. */
  run(text: string, args: Record<string, unknown>): Promise<number>;
  tx<T>(fn: () => Promise<T>): Promise<T>;
}

function sqliteRaw(db: Database.Database): Raw {
  const cache = new Map<string, Database.Statement>();
  const stmt = (t: string) => cache.get(t) ?? (cache.set(t, db.prepare(t)), cache.get(t)!);
  return {
    async all(text, args) {
      const s = stmt(text);
      return (s.reader ? s.all(args) : (s.run(args), [])) as Record<string, unknown>[];
    },
    async run(text, args) {
      return stmt(text).run(args).changes;
    },
    async tx(fn) {
      db.exec('begin immediate');
      try {
        const out = await fn();
        db.exec('commit');
        return out;
      } catch (e) {
        db.exec('rollback');
        throw e;
      }
    },
  };
}

function pgRaw(c: pg.Client): Raw {
  return {
    async all(text, args) {
      const names: string[] = [];
      const q = text.replace(/\$([a-zA-Z]+)/g, (_, k: string) => {
        let i = names.indexOf(k);
        if (i < 0) i = names.push(k) - 1;
        return `$${i + 1}`;
      });
      return (await c.query(q, names.map((k) => args[k]))).rows;
    },
    async run() {
      throw new Error('pg: writes return their rows');
    },
    async tx(fn) {
      await c.query('begin');
      try {
        const out = await fn();
        await c.query('commit');
        return out;
      } catch (e) {
        await c.query('rollback');
        throw e;
      }
    },
  };
}

async function floorFanout(raw: Raw): Promise<void> {
  let after = '';
  for (let done = false; !done; ) {
    await raw.tx(async () => {
      const [bound, more] = await raw.all(SQL.bound, { g: GROUP, after });
      const upTo = bound?.thing_name as string | undefined;
      const args = upTo === undefined ? { g: GROUP, after } : { g: GROUP, after, upTo };
      let names: string[];
      if (backend === 'postgres') names = (await raw.all(SQL.insert(upTo !== undefined), args)).map((r) => r.thing_name as string);
      else {
        const [top] = await raw.all(SQL.lastId, {});
        const k = await raw.run(SQL.insert(upTo !== undefined), args);
        const [row] = await raw.all(SQL.namesAfter, { id: top?.id ?? 0 });
        names = k ? String(row!.names).split('\u0000') : [];
      }
      await raw.all(SQL.counters, { dq: names.length });
      done = upTo === undefined || more === undefined;
      await raw.all(SQL.cursor, { cursor: done ? null : JSON.stringify({ t: 0, after: upTo }) });
      after = upTo ?? after;
    });
  }
}

async function floorDelete(raw: Raw): Promise<void> {
  let after = '';
  for (let done = false; !done; ) {
    await raw.tx(async () => {
      const [bound] = await raw.all(SQL.delBound, { after });
      const upTo = bound?.thing_name as string | undefined;
      const args = upTo === undefined ? { after } : { after, upTo };
      let k = 0;
      if (backend === 'postgres') k = (await raw.all(SQL.del(upTo !== undefined), args)).length;
      else {
        for (const r of await raw.all(SQL.delByStatus(upTo !== undefined), args)) k += String(r.names).split('\u0000').length;
        if ((await raw.run(SQL.del(upTo !== undefined), args)) !== k) throw new Error('floor: deleted other than read');
      }
      await raw.all(SQL.counters, { dq: -k });
      if (upTo === undefined && (await raw.all(SQL.left, {})).length === 0) {
        await raw.all(SQL.dropJob, {});
        done = true;
      } else await raw.all(SQL.cursor, { cursor: upTo ?? after });
      after = upTo ?? after;
    });
  }
}

async function floor(run: number) {
  let raw: Raw;
  let close: () => Promise<void>;
  let count: () => Promise<number>;
  if (backend === 'sqlite') {
    const dir = sqliteCopy(await sqliteTemplate());
    const db = new Database(join(dir, 'iot-jobs.sqlite'));
    // The store's pragmas (store.ts).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    raw = sqliteRaw(db);
    count = async () => Number((db.prepare(`select count(*) as k from job_executions where job_id = '${JOB}'`).get() as { k: number }).k);
    close = async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const schema = await freshPgSchema(`bench_ff_${process.pid}_${run}`);
    // Migrated by iot-jobs (same tables and indexes), then closed.
    const app = await startApp(testConfig({ dataDir: tmpDir(), logLevel: 'warn', databaseUrl: PG_URL, dbPoolSize: 2 }), { pgSchema: schema });
    await app.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await pgCopy(await pgTemplate(), schema, c);
    await c.query(`set search_path to "${schema}"`);
    raw = pgRaw(c);
    count = async () => Number((await c.query(`select count(*)::int as k from job_executions where job_id = '${JOB}'`)).rows[0].k);
    close = async () => {
      await c.end();
      await dropPgSchema(schema);
    };
  }
  try {
    const cols = Object.keys(JOB_ROW);
    await raw.all(`insert into jobs (${cols.join(', ')}) values (${cols.map((c) => `$${c}`).join(', ')})`, JOB_ROW);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await floorFanout(raw);
    const fanoutMs = performance.now() - t0;
    const fanoutCpu = cpuMs(process.cpuUsage(cpu0));
    const k = await count();
    if (k !== n) throw new Error(`floor fan-out made ${k} executions, not ${n}`);
    if (values['no-delete']) return { fanoutMs, fanoutCpu, deleteMs: NaN, deleteCpu: NaN };
    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    await floorDelete(raw);
    const deleteMs = performance.now() - t1;
    const deleteCpu = cpuMs(process.cpuUsage(cpu1));
    if ((await count()) !== 0) throw new Error('floor delete left executions');
    return { fanoutMs, fanoutCpu, deleteMs, deleteCpu };
  } finally {
    await close();
  }
}

// ---------- the run ----------

console.log(`# floor-bulk: backend=${backend} n=${n} batch=${batch} machine=${machine()} date=${new Date().toISOString()}`);
if (backend === 'sqlite') await sqliteTemplate();
else await pgTemplate();
const mine: Awaited<ReturnType<typeof ours>>[] = [];
const floors: Awaited<ReturnType<typeof floor>>[] = [];
const f0 = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(0));
for (let r = 0; r < runs; r++) {
  // The order alternates, so that neither side always runs on a warmer (or more tired) machine.
  const order = r % 2 === 0 ? (['ours', 'floor'] as const) : (['floor', 'ours'] as const);
  for (const side of order) {
    if (values.only !== 'both' && values.only !== side) continue;
    if (side === 'ours') {
      const o = await ours(r);
      mine.push(o);
      console.log(`run ${r + 1} iot-jobs: fan-out ${f0(o.fanoutMs)} ms (cpu ${f0(o.fanoutCpu)}), delete ${f0(o.deleteMs)} ms (cpu ${f0(o.deleteCpu)}), DescribeJobExecution p99 ${o.p99.toFixed(1)} ms, peak RSS growth ${o.rssGrowthMb.toFixed(0)} MB`);
    } else {
      const f = await floor(r);
      floors.push(f);
      console.log(`run ${r + 1} floor:    fan-out ${f0(f.fanoutMs)} ms (cpu ${f0(f.fanoutCpu)}), delete ${f0(f.deleteMs)} ms (cpu ${f0(f.deleteCpu)})`);
    }
  }
}
const med = <T>(xs: T[], k: keyof T) => median(xs.map((x) => Number(x[k])));
if (mine.length && floors.length) {
  const [fo, ff, dd, df] = [med(mine, 'fanoutMs'), med(floors, 'fanoutMs'), med(mine, 'deleteMs'), med(floors, 'deleteMs')];
  console.log(`| ${backend} | ${n.toLocaleString('en')} | fan-out ${f0(fo)} / floor ${f0(ff)} = ${(fo / ff).toFixed(2)}× | delete ${f0(dd)} / floor ${f0(df)} = ${(dd / df).toFixed(2)}× | p99 ${med(mine, 'p99').toFixed(1)} ms |`);
}
