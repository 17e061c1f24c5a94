/**
 * Timer benchmarks (issue 10 §6), each variant in a fresh child process:
 *   node dist/bench/timeouts.js --scenario storm --backend sqlite --n 100000 --runs 3
 *   node dist/bench/timeouts.js --scenario idle  --backend sqlite --n 100000 --runs 3 --idle-seconds 20
 *   node dist/bench/timeouts.js --scenario idle  --backend postgres --n 1000000 --runs 3 --variants 0,1,2
 * storm: N executions of one job with timeoutConfig are IN_PROGRESS, all due in the same minute, on
 *   a manual clock. 4 loops call DescribeJobExecution on another job (first 3 s without a storm:
 *   the baseline), then POST /_iot-jobs/clock advances past the deadline; the POST answers once
 *   the due work is done. Checked afterwards with DescribeJob counters.
 * idle (manual clock, never moved): server CPU (user + system) and RSS over --idle-seconds with nothing due, for N QUEUED
 *   executions of a job with timeoutConfig, the same without, N IN_PROGRESS with N pending timers
 *   (due in 7 days), and 100 IN_PROGRESS with 100 pending timers. On PostgreSQL also the CPU of the
 *   server's own PostgreSQL backends over the same window (pgCpuMs; same machine, /proc).
 * Seeding: things in bulk (seedGroup), the job fan-out through CreateJob; IN_PROGRESS in bulk SQL
 * that mirrors what UpdateJobExecution writes, checked column by column against one execution
 * started through the data plane in the same run (see startInBulk).
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { startApp } from '../src/app.js';
import { clockRequest } from '../src/cli/clock-client.js';
import { clients, testConfig } from '../test/support/harness.js';
import { dropPgSchema, freshPgSchema, machine, median, percentile, PG_URL, processCpuMs, seedGroup, tmpDir } from './support.js';
const { values } = benchArgs('Timer benchmarks, each variant in a fresh child process. storm: N executions time out in the same minute on a manual clock, with DescribeJobExecution latency meanwhile. idle: server CPU and RSS with N pending timers and nothing due.', {
    options: {
        scenario: { type: 'string', default: 'storm' },
        backend: { type: 'string', default: 'sqlite' },
        n: { type: 'string', default: '100000' },
        runs: { type: 'string', default: '3' },
        'idle-seconds': { type: 'string', default: '20' },
        child: { type: 'string' },
        /** Idle variants to run, by index (default all): 0,1,2 skips the small one at 1,000,000. */
        variants: { type: 'string' },
    },
}, {
    scenario: 'storm or idle',
    backend: 'sqlite or postgres',
    n: 'executions',
    runs: 'runs; medians are reported',
    'idle-seconds': 'length of the idle window',
    child: 'internal: the variant a child process runs',
    variants: 'idle variants to run, by index (default all)',
});
const backend = values.backend;
const n = Number(values.n);
const idleSeconds = Number(values['idle-seconds']);
const ARN = 'arn:aws:iot:us-east-1:000000000000';
async function withServer(v, manual, body) {
    const schema = backend === 'postgres' ? await freshPgSchema(`bench_t_${process.pid}`) : undefined;
    const config = testConfig({
        dataDir: tmpDir(),
        logLevel: 'warn',
        ...(manual ? { clock: 'manual' } : {}),
        // application_name tags this server's PostgreSQL backends, whose CPU the idle scenario counts too.
        ...(backend === 'postgres' ? { databaseUrl: `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}application_name=${PG_APP}`, dbPoolSize: 10 } : {}),
    });
    const app = await startApp(config, schema ? { pgSchema: schema } : {});
    try {
        return await body(await setup(app, v));
    }
    finally {
        await app.close();
        if (schema)
            await dropPgSchema(schema);
    }
}
const PG_APP = `bench_timers_${process.pid}`;
/** CPU ms used so far by this server's PostgreSQL backends (same machine), keyed by pid. */
async function pgBackendsCpu(app) {
    const { rows } = await sql `select pid from pg_stat_activity where application_name = ${PG_APP}`.execute(app.store.db);
    const out = new Map();
    for (const r of rows) {
        try {
            out.set(r.pid, processCpuMs(r.pid));
        }
        catch {
            // a backend that ended meanwhile
        }
    }
    return out;
}
async function setup(app, v) {
    const { iot, data } = clients(app.httpUrl);
    const timeoutConfig = v.timeoutMinutes ? { inProgressTimeoutInMinutes: v.timeoutMinutes } : undefined;
    await seedGroup(app.store, 'fleet', v.n, app.clock.now());
    for (const t of ['probe', 'ref'])
        await iot.send(new CreateThingCommand({ thingName: t }));
    await iot.send(new CreateJobCommand({ jobId: 'probe', targets: [`${ARN}:thing/probe`], document: '{}' }));
    await iot.send(new CreateJobCommand({ jobId: 'big', targets: [`${ARN}:thinggroup/fleet`], document: '{"op":"fw"}', timeoutConfig }));
    for (;;) {
        const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job;
        if (!j.isConcurrent && j.jobProcessDetails?.numberOfQueuedThings === v.n)
            break;
        await sleep(20);
    }
    if (v.inProgress)
        await startInBulk(app, data, iot, timeoutConfig);
    return { app, iot, data };
}
/**
 * Moves every QUEUED execution of 'big' to IN_PROGRESS in three statements in one transaction,
 * writing what UpdateJobExecution(IN_PROGRESS) writes: the execution columns, its 'timeout'
 * timer row (ref = execution id, due = timeout_at) and the counters. A reference execution of an
 * identical job, started through the data plane at the same clock time, must come out the same.
 */
async function startInBulk(app, data, iot, timeoutConfig) {
    await iot.send(new CreateJobCommand({ jobId: 'ref', targets: [`${ARN}:thing/ref`], document: '{"op":"fw"}', timeoutConfig }));
    const now = app.clock.now();
    await data.send(new UpdateJobExecutionCommand({ jobId: 'ref', thingName: 'ref', status: 'IN_PROGRESS' }));
    const after = app.clock.now();
    const minutes = timeoutConfig?.inProgressTimeoutInMinutes;
    const due = minutes ? now + minutes * 60_000 : null;
    const db = app.store.db;
    await app.store.tx(async (tx) => {
        const r = await tx
            .updateTable('job_executions')
            .set({ status: 'IN_PROGRESS', started_at: now, last_updated_at: now, version_number: sql `version_number + 1`, in_progress_deadline: due, timeout_at: due })
            .where('job_id', '=', 'big')
            .where('status', '=', 'QUEUED')
            .executeTakeFirst();
        const moved = Number(r.numUpdatedRows);
        if (due !== null)
            await sql `insert into timers (kind, ref, job_id, due_at)
                select 'timeout', cast(id as varchar(200)), job_id, timeout_at from job_executions where job_id = 'big'`.execute(tx);
        await tx
            .updateTable('jobs')
            .set({ n_queued: sql `n_queued - ${moved}`, n_in_progress: sql `n_in_progress + ${moved}` })
            .where('job_id', '=', 'big')
            .execute();
    });
    // The check: the bulk rows equal the data plane's (times may differ only if the clock moved).
    const cols = ['status', 'started_at', 'last_updated_at', 'version_number', 'in_progress_deadline', 'timeout_at', 'step_timeout_minutes', 'status_details', 'retry_attempt'];
    const ref = await db.selectFrom('job_executions').select(['id', ...cols]).where('job_id', '=', 'ref').executeTakeFirstOrThrow();
    const one = await db.selectFrom('job_executions').select(['id', ...cols]).where('job_id', '=', 'big').limit(1).executeTakeFirstOrThrow();
    if (after !== now)
        throw new Error('the clock moved while seeding: use the manual clock or retry');
    for (const c of cols)
        if (String(ref[c]) !== String(one[c]))
            throw new Error(`bulk seed differs from UpdateJobExecution in ${c}: ${one[c]} vs ${ref[c]}`);
    const timerOf = (id) => db.selectFrom('timers').select(['kind', 'job_id', 'due_at']).where('ref', '=', String(id)).executeTakeFirst();
    const [tr, to] = [await timerOf(ref.id), await timerOf(one.id)];
    if (JSON.stringify({ ...tr, job_id: null }) !== JSON.stringify({ ...to, job_id: null }) || (tr && tr.job_id !== 'ref') || (to && to.job_id !== 'big'))
        throw new Error(`bulk timer row differs: ${JSON.stringify(to)} vs ${JSON.stringify(tr)}`);
    const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job.jobProcessDetails;
    if (j.numberOfInProgressThings !== (await db.selectFrom('job_executions').select(sql `count(*)`.as('c')).where('job_id', '=', 'big').executeTakeFirstOrThrow()).c * 1)
        throw new Error('counters do not match after the bulk start');
}
async function storm() {
    return withServer({ name: 'storm', n, timeoutMinutes: 10, inProgress: true }, true, async ({ app, iot }) => {
        const ep = { url: app.httpUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
        let phase = 'baseline';
        const lat = { baseline: [], storm: [] };
        const probe = async () => {
            while (phase !== 'stop') {
                const p = phase;
                const s = performance.now();
                await iot.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
                // Counted by the phase it started in, also when it ends after the storm.
                if (p !== 'stop')
                    lat[p].push(performance.now() - s);
            }
        };
        const probes = [probe(), probe(), probe(), probe()];
        await sleep(3000);
        phase = 'storm';
        const t0 = performance.now();
        const res = await clockRequest(ep, { advanceSeconds: 10 * 60 + 1 });
        const stormMs = performance.now() - t0;
        phase = 'stop';
        await Promise.all(probes);
        if (res.status !== 200)
            throw new Error(`clock POST answered ${res.status} ${JSON.stringify(res.body)}`);
        const d = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job.jobProcessDetails;
        if (d.numberOfTimedOutThings !== n || d.numberOfInProgressThings !== 0)
            throw new Error(`after the POST: ${JSON.stringify(d)}`);
        const left = await app.store.db.selectFrom('job_executions').select(sql `count(*)`.as('c')).where('job_id', '=', 'big').where('status', '<>', 'TIMED_OUT').executeTakeFirstOrThrow();
        if (Number(left.c) !== 0)
            throw new Error(`${left.c} executions not TIMED_OUT after the POST`);
        return {
            stormMs,
            baseP50: percentile(lat.baseline, 50),
            baseP99: percentile(lat.baseline, 99),
            stormP50: percentile(lat.storm, 50),
            stormP99: percentile(lat.storm, 99),
            stormCalls: lat.storm.length,
        };
    });
}
async function idle(v) {
    // The manual clock, so that the bulk start can be checked to the millisecond; nothing moves it.
    return withServer(v, true, async ({ app, iot, data }) => {
        iot.destroy();
        data.destroy();
        global.gc?.();
        await sleep(2000); // let seeding's after-effects settle
        const pg0 = backend === 'postgres' ? await pgBackendsCpu(app) : undefined;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        let rssPeak = process.memoryUsage().rss;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
        await sleep(idleSeconds * 1000);
        clearInterval(sampler);
        const c = process.cpuUsage(c0);
        const wallMs = performance.now() - t0;
        // PostgreSQL's side of the idle cost: the backends' CPU over the same window (the reading
        // query itself runs after the window's end).
        let pgCpuMs;
        if (pg0) {
            const pg1 = await pgBackendsCpu(app);
            pgCpuMs = 0;
            for (const [pid, ms] of pg1)
                pgCpuMs += ms - (pg0.get(pid) ?? ms);
        }
        global.gc?.();
        const m = process.memoryUsage();
        const out = { cpuMs: (c.user + c.system) / 1000, wallMs, rssMb: m.rss / 2 ** 20, rssPeakMb: rssPeak / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 };
        if (pgCpuMs !== undefined)
            out.pgCpuMs = pgCpuMs;
        return out;
    });
}
const IDLE_VARIANTS = [
    { name: `${n} QUEUED, timeoutConfig`, n, timeoutMinutes: 10080, inProgress: false },
    { name: `${n} QUEUED, no timeoutConfig`, n, inProgress: false },
    { name: `${n} IN_PROGRESS, ${n} pending timers`, n, timeoutMinutes: 10080, inProgress: true },
    { name: `100 IN_PROGRESS, 100 pending timers`, n: 100, timeoutMinutes: 10080, inProgress: true },
];
/** Runs one variant in a fresh Node process, so that CPU and RSS are its own. */
function child(variant) {
    return new Promise((resolve, reject) => {
        const p = spawn(process.execPath, ['--expose-gc', process.argv[1], ...process.argv.slice(2), '--child', variant], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (b) => (out += b));
        p.on('exit', (code) => {
            const last = out.trim().split('\n').pop() ?? '';
            if (code === 0)
                resolve(JSON.parse(last));
            else
                reject(new Error(`child ${variant} exited ${code}: ${out}`));
        });
    });
}
if (values.child !== undefined) {
    const res = values.child === 'storm' ? await storm() : await idle(IDLE_VARIANTS[Number(values.child)]);
    console.log(JSON.stringify(res));
    process.exit(0);
}
const runs = Number(values.runs);
const f = (x) => x.toFixed(x < 100 ? 1 : 0);
console.log(`# timer benchmark: scenario=${values.scenario} backend=${backend} n=${n} machine=${machine()} date=${new Date().toISOString()}`);
const variants = values.scenario === 'storm' ? ['storm'] : (values.variants?.split(',') ?? IDLE_VARIANTS.map((_, i) => String(i)));
const all = new Map();
// Interleave variants run by run, so that load from other users spreads over all of them.
for (let r = 0; r < runs; r++)
    for (const v of variants) {
        const res = await child(v);
        const label = v === 'storm' ? 'storm' : IDLE_VARIANTS[Number(v)].name;
        console.log(`run ${r + 1} ${label}: ${Object.entries(res).map(([k, x]) => `${k}=${f(x)}`).join(' ')}`);
        all.set(label, [...(all.get(label) ?? []), res]);
    }
for (const [label, rs] of all)
    console.log(`median ${label}: ${Object.keys(rs[0]).map((k) => `${k}=${f(median(rs.map((x) => x[k])))}`).join(' ')}`);
//# sourceMappingURL=timeouts.js.map