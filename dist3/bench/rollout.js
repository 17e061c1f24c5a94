/**
 * Paced-rollout benchmark (issue 11 §5), on a manual clock, the server in its own process:
 *   node dist/bench/rollout.js --backend sqlite --size 1000000 --scenario constant
 *   node dist/bench/rollout.js --backend sqlite --size 1000000 --scenario exponential --step 60
 * constant: one job on a group of N things at maximumPerMinute 1000.
 * exponential: baseRatePerMinute 100, incrementFactor 2, numberOfNotifiedThings 10,000 (capped by
 *   the default maximumPerMinute 1000).
 * The clock is moved by POST /_iot-jobs/clock in --step seconds (60 by default) until every thing
 * has an execution; after each POST the executions so far come from DescribeJob
 * (numberOfQueuedThings: nothing else touches the job). Reported:
 *   - simulated minutes from CreateJob to full rollout, against the ideal (the spec's rule in
 *     continuous time: the first minute's worth at CreateJob, then the rate, which rises the
 *     moment a threshold is crossed);
 *   - the worst overshoot: executions created in any window (t, t + 60 s] of clock time beyond the
 *     rate (for exponential, the rate reached at the end of that window, the most it may be);
 *   - server CPU (user + system, from /proc) per 1,000 executions released, gross, and net of a
 *     baseline in the same run (the same POSTs, probes and DescribeJob polls with nothing to
 *     release, measured before the rollout and, warm, after it; the net uses the one after);
 *   - DescribeJobExecution latency on another job (2 loops, SDK v3 over HTTP) in the baseline
 *     phase and during the rollout.
 * Seeding writes the things straight into the store before the server starts (not measured).
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { clockRequest } from '../src/cli/clock-client.js';
import { clients } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { dropPgSchema, freshPgSchema, machine, median, percentile, PG_URL, processCpuMs, seedGroup, tmpDir } from './support.js';
const { values } = benchArgs('Paced rollout on a manual clock: minutes from CreateJob to full rollout against the ideal, the worst overshoot of the rate, and server CPU per 1,000 executions released.', {
    options: {
        backend: { type: 'string', default: 'sqlite' },
        size: { type: 'string', default: '100000' },
        scenario: { type: 'string', default: 'constant' },
        step: { type: 'string', default: '60' },
        'baseline-posts': { type: 'string', default: '100' },
    },
}, {
    backend: 'sqlite or postgres',
    size: 'things in the group',
    scenario: 'constant (maximumPerMinute 1000) or exponential',
    step: 'seconds the clock moves per POST /_iot-jobs/clock',
    'baseline-posts': 'clock moves of the idle baseline (CPU net of it)',
});
const backend = values.backend;
const n = Number(values.size);
const step = Number(values.step);
const scenario = values.scenario;
const MIN = 60_000;
const ARN = 'arn:aws:iot:us-east-1:000000000000';
const EXP = { baseRatePerMinute: 100, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 10_000 } };
const CAP = 1000;
/** The spec's rate after `notified` executions (AWS's table: ×2 at 1×, 2×, 3× … 10,000), capped at 1000. */
const rateAt = (notified) => (scenario === 'constant' ? CAP : Math.min(CAP, EXP.baseRatePerMinute * 2 ** Math.floor(notified / EXP.rateIncreaseCriteria.numberOfNotifiedThings)));
/** The ideal time (minutes) to full rollout: the first minute's worth at once, then the rate, raised at each threshold. */
function idealMinutes() {
    let created = Math.min(n, rateAt(0));
    let t = 0;
    while (created < n) {
        const r = rateAt(created);
        const c = EXP.rateIncreaseCriteria.numberOfNotifiedThings;
        const nextThreshold = scenario === 'constant' || r >= CAP ? n : Math.min(n, (Math.floor(created / c) + 1) * c);
        t += (nextThreshold - created) / r;
        created = nextThreshold;
    }
    return t;
}
async function main() {
    const dataDir = tmpDir();
    const schema = backend === 'postgres' ? await freshPgSchema(`bench_rollout_${process.pid}`) : undefined;
    const dbUrl = schema ? `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` : undefined;
    const tSeed = performance.now();
    const store = await Store.open({ dataDir, databaseUrl: dbUrl });
    await seedGroup(store, 'fleet', n);
    await store.close();
    const seedMs = performance.now() - tSeed;
    const server = await spawnServer([...(dbUrl ? ['--database-url', dbUrl] : ['--data-dir', dataDir]), '--clock', 'manual']);
    const { iot } = clients(server.url);
    const probeClient = clients(server.url).iot;
    const ep = { url: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const advance = async (seconds) => {
        const r = await clockRequest(ep, { advanceSeconds: seconds });
        if (r.status !== 200)
            throw new Error(`clock POST: ${r.status} ${JSON.stringify(r.body)}`);
        return Date.parse(r.body.now);
    };
    const queued = async (c, jobId) => (await c.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails?.numberOfQueuedThings ?? 0;
    try {
        await iot.send(new CreateThingCommand({ thingName: 'probe' }));
        await iot.send(new CreateJobCommand({ jobId: 'probe', targets: [`${ARN}:thing/probe`], document: '{}' }));
        let phase = 'baseline';
        const lat = { baseline: [], rollout: [], after: [] };
        const probe = async () => {
            while (phase !== 'stop') {
                const p = phase;
                const s = performance.now();
                await probeClient.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
                if (p !== 'stop')
                    lat[p].push(performance.now() - s);
            }
        };
        const probes = [probe(), probe()];
        // Baseline: the same POST + DescribeJob loop with nothing to release (before, cold; and after the rollout, warm).
        const basePosts = Number(values['baseline-posts']);
        const baseline = async () => {
            const c0 = processCpuMs(server.child.pid);
            const w0 = performance.now();
            for (let i = 0; i < basePosts; i++) {
                await advance(step);
                await queued(iot, 'probe');
            }
            return { cpu: (processCpuMs(server.child.pid) - c0) / basePosts, wall: (performance.now() - w0) / basePosts };
        };
        const before = await baseline();
        // Align the clock to a minute, then the rollout.
        const now = Date.parse((await clockRequest(ep)).body.now);
        const t0 = Math.ceil(now / MIN) * MIN;
        if (t0 > now)
            await clockRequest(ep, { now: new Date(t0).toISOString() });
        phase = 'rollout';
        const c1 = processCpuMs(server.child.pid);
        const w1 = performance.now();
        const rollout = scenario === 'constant' ? { maximumPerMinute: CAP } : { exponentialRate: EXP };
        await iot.send(new CreateJobCommand({ jobId: 'big', targets: [`${ARN}:thinggroup/fleet`], document: '{"op":"fw"}', jobExecutionsRolloutConfig: rollout }));
        const samples = [{ t: t0, n: await queued(iot, 'big') }];
        let posts = 0;
        const postMs = [];
        while (samples.at(-1).n < n) {
            const p0 = performance.now();
            const t = await advance(step);
            postMs.push(performance.now() - p0);
            posts++;
            samples.push({ t, n: await queued(iot, 'big') });
            if (posts > 100_000)
                throw new Error('no end to the rollout');
            if (posts % 100 === 0)
                console.error(`  ${((t - t0) / MIN).toFixed(0)} min: ${samples.at(-1).n}`);
        }
        const cpu = processCpuMs(server.child.pid) - c1;
        const wallMs = performance.now() - w1;
        // isConcurrent must turn false with the last release; count the extra POSTs it takes if not.
        let extraPosts = 0;
        for (;;) {
            const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job;
            if (j.jobProcessDetails?.numberOfQueuedThings !== n)
                throw new Error(`after the rollout: ${JSON.stringify(j.jobProcessDetails)}`);
            if (j.isConcurrent === false && j.jobProcessDetails.processingTargets === undefined)
                break;
            if (++extraPosts > 5)
                throw new Error(`still concurrent ${extraPosts} POSTs after the last release: ${JSON.stringify(j.jobProcessDetails)}`);
            await advance(step);
        }
        phase = 'after';
        const after = await baseline();
        phase = 'stop';
        await Promise.all(probes);
        const baseCpuPerPost = after.cpu;
        // Worst overshoot over windows (t_i - ε, t_i + 60 s - ε]: everything created at samples i..j within 60 s.
        let overshoot = 0;
        let worstWindow = '';
        for (let i = 0; i < samples.length; i++) {
            const before = i === 0 ? 0 : samples[i - 1].n;
            for (let k = i; k < samples.length && samples[k].t - samples[i].t < MIN; k++) {
                const created = samples[k].n - before;
                const over = created - rateAt(samples[k].n - 1);
                if (over > overshoot) {
                    overshoot = over;
                    worstWindow = `${created} created in (${(samples[i].t - t0) / 1000} s − ε, +60 s)`;
                }
            }
        }
        const grossPer1000 = cpu / (n / 1000);
        const netPer1000 = (cpu - baseCpuPerPost * posts) / (n / 1000);
        return {
            machine: machine(),
            date: new Date().toISOString(),
            backend,
            scenario,
            size: n,
            step,
            seedMs: Math.round(seedMs),
            simulatedMinutes: (samples.at(-1).t - t0) / MIN,
            idealMinutes: idealMinutes(),
            posts,
            extraPostsUntilNotConcurrent: extraPosts,
            overshoot,
            worstWindow,
            wallMs: Math.round(wallMs),
            postMsP50: percentile(postMs, 50),
            postMsP99: percentile(postMs, 99),
            serverCpuMs: Math.round(cpu),
            cpuMsPer1000Gross: grossPer1000,
            cpuMsPer1000Net: netPer1000,
            baselineCpuMsPerPostBefore: before.cpu,
            baselineCpuMsPerPostAfter: after.cpu,
            baselineWallMsPerPostAfter: after.wall,
            describeP50Baseline: percentile(lat.baseline, 50),
            describeP99Baseline: percentile(lat.baseline, 99),
            describeP99BaselineAfter: percentile(lat.after, 99),
            describeP50Rollout: percentile(lat.rollout, 50),
            describeP99Rollout: percentile(lat.rollout, 99),
            describeCalls: lat.rollout.length,
            medianReleasePerPost: median(samples.slice(1).map((x, i) => x.n - samples[i].n)),
        };
    }
    finally {
        iot.destroy();
        probeClient.destroy();
        server.child.kill('SIGTERM');
        await server.exited;
        rmSync(dataDir, { recursive: true, force: true });
        if (schema)
            await dropPgSchema(schema);
    }
}
console.log(JSON.stringify(await main()));
//# sourceMappingURL=rollout.js.map