/**
 * Abort benchmark (issue 11 §5): the time from the update that crosses an abort threshold to the
 * last QUEUED execution CANCELED, for a job of N executions; baseline in the same run: CancelJob
 * (without force) of a job of the same size, which the abort's cancellation reuses.
 *   node dist/bench/abort.js --backend sqlite --size 1000000 --runs 3
 * Each run: N things seeded straight into a fresh store, `iot-jobs serve` started on it in its own
 * process, two jobs fanned out to them (not measured), then `sync` and a pause, so that neither
 * phase pays for the fan-out's dirty pages. The end is seen by polling DescribeJob every
 * --poll-ms; meanwhile two loops call DescribeJobExecution on a third job, whose p99 is reported
 * per phase (what the cancel costs everyone else); --probes 0 leaves them out. After each phase,
 * the time until the worker owes no more work (the sweep of the pending index, from /metrics)
 * is reported as sweepMs, and the next phase starts after it. --first cancel swaps the phases;
 * --settle-ms sets the pause (the server's CPU per second of it is reported as settleCpuMs).
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { Store } from '../src/store/store.js';
import { clients } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { dropPgSchema, freshPgSchema, machine, median, percentile, PG_URL, processCpuMs, seedGroup, tmpDir } from './support.js';
const { values } = benchArgs('Abort benchmark: time from the update that crosses an abort threshold to the last QUEUED execution CANCELED, for a job of N executions, beside CancelJob of a job of the same size in the same run.', {
    options: {
        backend: { type: 'string', default: 'sqlite' },
        size: { type: 'string', default: '100000' },
        runs: { type: 'string', default: '1' },
        'poll-ms': { type: 'string', default: '10' },
        /** DescribeJobExecution loops during the phases; 0 measures the cancel alone. */
        probes: { type: 'string', default: '2' },
        /** Which phase runs first (the first after the fan-outs has been the slower one). */
        first: { type: 'string', default: 'abort' },
        /** The pause after the fan-outs and between the phases. */
        'settle-ms': { type: 'string', default: '2000' },
        /** on: JOB and JOB_EXECUTION events turned on (written to the outbox, published to whoever subscribed). */
        events: { type: 'string', default: 'off' },
    },
}, {
    backend: 'sqlite or postgres',
    size: 'executions per job (things seeded)',
    runs: 'runs; medians are reported',
    'poll-ms': 'how often DescribeJob is polled to see the end',
    probes: 'DescribeJobExecution loops during the phases (0: the cancel alone)',
    first: 'which phase runs first: abort or cancel',
    'settle-ms': 'pause after the fan-outs and between the phases',
    events: 'on: JOB and JOB_EXECUTION events turned on (written to the outbox and published), off (default)',
});
const backend = values.backend;
const n = Number(values.size);
const runs = Number(values.runs);
const pollMs = Number(values['poll-ms']);
const probeLoops = Number(values.probes);
const cancelFirst = values.first === 'cancel';
const settleMs = Number(values['settle-ms']);
const ARN = 'arn:aws:iot:us-east-1:000000000000';
const describe = async (iot, jobId) => (await iot.send(new DescribeJobCommand({ jobId }))).job;
async function waitFor(iot, jobId, until, every) {
    for (;;) {
        const j = await describe(iot, jobId);
        if (until(j))
            return j;
        await sleep(every);
    }
}
/** Polls /metrics until no job owes background work. */
async function workerIdle(url) {
    for (;;) {
        const text = await (await fetch(`${url}/metrics`)).text();
        if (!/^iot_jobs_worker_backlog_jobs\{[^}]*\} [1-9]/m.test(text))
            return;
        await sleep(pollMs);
    }
}
async function once(run) {
    const dataDir = tmpDir();
    const schema = backend === 'postgres' ? await freshPgSchema(`bench_abort_${process.pid}_${run}`) : undefined;
    const dbUrl = schema ? `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` : undefined;
    const store = await Store.open({ dataDir, databaseUrl: dbUrl });
    await seedGroup(store, 'fleet', n);
    await store.close();
    const server = await spawnServer(dbUrl ? ['--database-url', dbUrl] : ['--data-dir', dataDir]);
    const { iot, data } = clients(server.url);
    const probeClient = clients(server.url).iot;
    try {
        if (values.events === 'on')
            await iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: true }, JOB_EXECUTION: { Enabled: true } } }));
        for (const thingName of ['trigger', 'probe'])
            await iot.send(new CreateThingCommand({ thingName }));
        await iot.send(new CreateJobCommand({ jobId: 'probe', targets: [`${ARN}:thing/probe`], document: '{}' }));
        const abortConfig = { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 100, minNumberOfExecutedThings: 1 }] };
        for (const jobId of ['abort', 'cancel']) {
            await iot.send(new CreateJobCommand({ jobId, targets: [`${ARN}:thing/trigger`, `${ARN}:thinggroup/fleet`], document: '{}', abortConfig }));
            const j = await waitFor(iot, jobId, (x) => !x.isConcurrent, 200);
            if (j.jobProcessDetails?.numberOfQueuedThings !== n + 1)
                throw new Error(`${jobId}: queued ${j.jobProcessDetails?.numberOfQueuedThings}`);
        }
        execSync('sync');
        // What the server still does after the fan-outs (the checkpoints of their WAL, among others).
        const settleCpu = [processCpuMs(server.child.pid)];
        for (let t = 0; t < settleMs; t += 1000) {
            await sleep(Math.min(1000, settleMs - t));
            settleCpu.push(processCpuMs(server.child.pid));
        }
        const settleCpuMs = settleCpu.slice(1).map((c, i) => Math.round(c - settleCpu[i]));
        let phase = 'idle';
        const lat = { abort: [], cancel: [] };
        const probe = async () => {
            while (phase !== 'stop') {
                const p = phase;
                const s = performance.now();
                await probeClient.send(new DescribeJobExecutionCommand({ jobId: 'probe', thingName: 'probe' }));
                if (p === 'abort' || p === 'cancel')
                    lat[p].push(performance.now() - s);
            }
        };
        const probes = Array.from({ length: probeLoops }, probe);
        const canceled = (j) => !j.isConcurrent && j.jobProcessDetails?.numberOfQueuedThings === 0;
        const abortPhase = async () => {
            phase = 'abort';
            const t0 = performance.now();
            await data.send(new UpdateJobExecutionCommand({ jobId: 'abort', thingName: 'trigger', status: 'FAILED' }));
            const a = await waitFor(iot, 'abort', canceled, pollMs);
            const ms = performance.now() - t0;
            if (a.status !== 'CANCELED' || a.jobProcessDetails?.numberOfCanceledThings !== n)
                throw new Error(`abort: ${JSON.stringify(a.jobProcessDetails)}`);
            phase = 'idle';
            await workerIdle(server.url);
            return { ms, sweepMs: performance.now() - t0 - ms };
        };
        const cancelPhase = async () => {
            phase = 'cancel';
            const t1 = performance.now();
            await iot.send(new CancelJobCommand({ jobId: 'cancel' }));
            await waitFor(iot, 'cancel', canceled, pollMs);
            const ms = performance.now() - t1;
            phase = 'idle';
            await workerIdle(server.url);
            return { ms, sweepMs: performance.now() - t1 - ms };
        };
        const [first, second] = cancelFirst ? [cancelPhase, abortPhase] : [abortPhase, cancelPhase];
        const one = await first();
        await sleep(settleMs);
        const two = await second();
        const [ab, ca] = cancelFirst ? [two, one] : [one, two];
        phase = 'stop';
        await Promise.all(probes);
        return {
            abortMs: Math.round(ab.ms),
            cancelMs: Math.round(ca.ms),
            sweepAbortMs: Math.round(ab.sweepMs),
            sweepCancelMs: Math.round(ca.sweepMs),
            probeP99Abort: percentile(lat.abort, 99),
            probeP99Cancel: percentile(lat.cancel, 99),
            settleCpuMs,
        };
    }
    finally {
        iot.destroy();
        data.destroy();
        probeClient.destroy();
        server.child.kill('SIGTERM');
        await server.exited;
        if (schema)
            await dropPgSchema(schema);
        rmSync(dataDir, { recursive: true, force: true });
    }
}
const results = [];
for (let r = 0; r < runs; r++) {
    results.push(await once(r));
    console.error(`run ${r + 1}: ${JSON.stringify(results.at(-1))}`);
}
console.log(JSON.stringify({
    machine: machine(),
    date: new Date().toISOString(),
    backend,
    size: n,
    runs,
    first: cancelFirst ? 'cancel' : 'abort',
    abortMs: median(results.map((x) => x.abortMs)),
    cancelJobMs: median(results.map((x) => x.cancelMs)),
    sweepAbortMs: median(results.map((x) => x.sweepAbortMs)),
    sweepCancelMs: median(results.map((x) => x.sweepCancelMs)),
    probeP99AbortMs: median(results.map((x) => x.probeP99Abort)),
    probeP99CancelMs: median(results.map((x) => x.probeP99Cancel)),
    all: results,
}));
//# sourceMappingURL=abort.js.map