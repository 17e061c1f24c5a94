/**
 * Fan-out, deletion and latency-during-deletion benchmark (issue 2 and 4 targets).
 *   node dist/bench/core.js --backend sqlite --sizes 100000,1000000 --runs 3
 * For each size and run: seed a group of N things, time CreateJob until the fan-out is complete
 * (DescribeJob no longer isConcurrent), then force-delete the job at full speed while 4 loops
 * call DescribeJobExecution on another job, and time DeleteJob until the job is gone.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { CreateJobCommand, DeleteJobCommand, DescribeJobCommand, DescribeJobExecutionCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { startApp } from '../src/app.js';
import { clients, testConfig } from '../test/support/harness.js';
import { dropPgSchema, freshPgSchema, machine, median, percentile, PG_URL, seedGroup, tmpDir } from './support.js';
const { values } = benchArgs('Fan-out and deletion: CreateJob on a group of N things until the fan-out is complete, then a forced DeleteJob while 4 loops call DescribeJobExecution on another job.', {
    options: {
        backend: { type: 'string', default: 'sqlite' },
        sizes: { type: 'string', default: '100000' },
        runs: { type: 'string', default: '3' },
    },
}, {
    backend: 'sqlite or postgres',
    sizes: 'comma-separated group sizes',
    runs: 'runs per size; medians are reported',
});
const backend = values.backend;
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);
async function once(n, run) {
    const schema = backend === 'postgres' ? await freshPgSchema(`bench_${process.pid}_${n}_${run}`) : undefined;
    const config = testConfig({ dataDir: tmpDir(), logLevel: 'warn', ...(backend === 'postgres' ? { databaseUrl: PG_URL, dbPoolSize: 10 } : {}) });
    const app = await startApp(config, schema ? { pgSchema: schema } : {});
    const { iot } = clients(app.httpUrl);
    try {
        await seedGroup(app.store, 'fleet', n);
        // A second, small job whose execution is probed while the big one is deleted.
        await iot.send(new CreateThingCommand({ thingName: 'probe' }));
        await iot.send(new CreateJobCommand({ jobId: 'probe', targets: ['arn:aws:iot:us-east-1:000000000000:thing/probe'], document: '{}' }));
        // Peak resident memory while the job fans out and is deleted (server and client share the process).
        const rssBefore = process.memoryUsage().rss;
        let rssPeak = rssBefore;
        const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 20);
        const t0 = performance.now();
        await iot.send(new CreateJobCommand({ jobId: 'big', targets: ['arn:aws:iot:us-east-1:000000000000:thinggroup/fleet'], document: '{"op":"fw"}' }));
        for (;;) {
            const j = (await iot.send(new DescribeJobCommand({ jobId: 'big' }))).job;
            if (!j.isConcurrent) {
                if (j.jobProcessDetails?.numberOfQueuedThings !== n)
                    throw new Error(`fan-out queued ${j.jobProcessDetails?.numberOfQueuedThings}, not ${n}`);
                break;
            }
            await new Promise((r) => setTimeout(r, 2));
        }
        const fanoutMs = performance.now() - t0;
        const latencies = [];
        let probing = true;
        const probe = async () => {
            while (probing) {
                const s = performance.now();
                await iot.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
                latencies.push(performance.now() - s);
            }
        };
        const probes = [probe(), probe(), probe(), probe()];
        const t1 = performance.now();
        await iot.send(new DeleteJobCommand({ jobId: 'big', force: true }));
        for (;;) {
            try {
                await iot.send(new DescribeJobCommand({ jobId: 'big' }));
            }
            catch (e) {
                if (e.name === 'ResourceNotFoundException')
                    break;
                throw e;
            }
            await new Promise((r) => setTimeout(r, 2));
        }
        const deleteMs = performance.now() - t1;
        probing = false;
        await Promise.all(probes);
        clearInterval(sampler);
        const rssGrowthMb = (rssPeak - rssBefore) / 1024 / 1024;
        return { fanoutMs, deleteMs, p50: percentile(latencies, 50), p99: percentile(latencies, 99), probes: latencies.length, rssGrowthMb };
    }
    finally {
        iot.destroy();
        await app.close();
        if (schema)
            await dropPgSchema(schema);
    }
}
console.log(`# core benchmark: backend=${backend} machine=${machine()} date=${new Date().toISOString()}`);
for (const n of sizes) {
    const results = [];
    for (let r = 0; r < runs; r++) {
        const res = await once(n, r);
        console.log(`n=${n} run=${r + 1}: fan-out ${res.fanoutMs.toFixed(0)} ms, delete ${res.deleteMs.toFixed(0)} ms, DescribeJobExecution during deletion p50 ${res.p50.toFixed(1)} ms p99 ${res.p99.toFixed(1)} ms (${res.probes} calls), peak RSS growth ${res.rssGrowthMb.toFixed(0)} MB`);
        results.push(res);
    }
    const m = (k) => median(results.map((x) => x[k])).toFixed(k === 'p50' || k === 'p99' ? 1 : 0);
    console.log(`| ${backend} | ${n.toLocaleString('en')} | ${m('fanoutMs')} | ${m('deleteMs')} | ${m('p50')} | ${m('p99')} | ${m('rssGrowthMb')} |`);
}
//# sourceMappingURL=core.js.map