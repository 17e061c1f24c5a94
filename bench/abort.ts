/**
 * Abort benchmark (issue 11 §5): the time from the update that crosses an abort threshold to the
 * last QUEUED execution CANCELED, for a job of N executions; baseline in the same run: CancelJob
 * (without force) of a job of the same size, which the abort's cancellation reuses.
 *   node dist/bench/abort.js --backend sqlite --size 1000000 --runs 1
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DescribeJobCommand, type IoTClient } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { startApp } from '../src/app.js';
import type { Config } from '../src/config/types.js';
import { clients, testConfig } from '../test/support/harness.js';
import { dropPgSchema, freshPgSchema, machine, median, PG_URL, seedGroup, tmpDir } from './support.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    size: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
  },
});
const backend = values.backend as 'sqlite' | 'postgres';
const n = Number(values.size);
const runs = Number(values.runs);
const ARN = 'arn:aws:iot:us-east-1:000000000000';

async function waitDone(iot: IoTClient, jobId: string, until: (j: NonNullable<Awaited<ReturnType<typeof describe>>>) => boolean) {
  for (;;) {
    const j = await describe(iot, jobId);
    if (until(j)) return j;
    await new Promise((r) => setTimeout(r, 2));
  }
}
const describe = async (iot: IoTClient, jobId: string) => (await iot.send(new DescribeJobCommand({ jobId }))).job!;

async function once(run: number) {
  const schema = backend === 'postgres' ? await freshPgSchema(`bench_abort_${process.pid}_${run}`) : undefined;
  const config: Config = testConfig({ dataDir: tmpDir(), logLevel: 'warn', ...(backend === 'postgres' ? { databaseUrl: PG_URL, dbPoolSize: 10 } : {}) });
  const app = await startApp(config, schema ? { pgSchema: schema } : {});
  const { iot, data } = clients(app.httpUrl);
  try {
    await seedGroup(app.store, 'fleet', n);
    await iot.send(new CreateThingCommand({ thingName: 'trigger' }));
    const abortConfig = { criteriaList: [{ failureType: 'FAILED' as const, action: 'CANCEL' as const, thresholdPercentage: 100, minNumberOfExecutedThings: 1 }] };
    const fanned = (j: Awaited<ReturnType<typeof describe>>) => !j.isConcurrent;
    for (const jobId of ['abort', 'cancel']) {
      await iot.send(new CreateJobCommand({ jobId, targets: [`${ARN}:thing/trigger`, `${ARN}:thinggroup/fleet`], document: '{}', abortConfig }));
      const j = await waitDone(iot, jobId, fanned);
      if (j.jobProcessDetails?.numberOfQueuedThings !== n + 1) throw new Error(`${jobId}: queued ${j.jobProcessDetails?.numberOfQueuedThings}`);
    }
    const canceled = (j: Awaited<ReturnType<typeof describe>>) => !j.isConcurrent && j.jobProcessDetails?.numberOfQueuedThings === 0;
    const t0 = performance.now();
    await data.send(new UpdateJobExecutionCommand({ jobId: 'abort', thingName: 'trigger', status: 'FAILED' }));
    const a = await waitDone(iot, 'abort', canceled);
    const abortMs = performance.now() - t0;
    if (a.status !== 'CANCELED' || a.jobProcessDetails?.numberOfCanceledThings !== n) throw new Error(`abort: ${JSON.stringify(a.jobProcessDetails)}`);
    const t1 = performance.now();
    await iot.send(new CancelJobCommand({ jobId: 'cancel' }));
    await waitDone(iot, 'cancel', canceled);
    const cancelMs = performance.now() - t1;
    return { abortMs, cancelMs };
  } finally {
    iot.destroy();
    data.destroy();
    await app.close();
    if (schema) await dropPgSchema(schema);
  }
}

const results = [];
for (let r = 0; r < runs; r++) results.push(await once(r));
console.log(
  JSON.stringify({
    machine: machine(),
    date: new Date().toISOString(),
    backend,
    size: n,
    runs,
    abortMs: median(results.map((x) => x.abortMs)),
    cancelJobMs: median(results.map((x) => x.cancelMs)),
    all: results,
  }),
);
