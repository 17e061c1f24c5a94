/**
 * DescribeJob throughput with signed keep-alive requests, beside a bare Fastify hello world
 * measured in the same run (issue 2), and one PostgreSQL node against two (issue 4).
 *   node dist/bench/throughput.js --runs 3 --duration 10 [--postgres]
 * Servers run as separate processes; autocannon (50 keep-alive connections) runs here. A SigV4
 * signature stays valid for 5 minutes, so one signed request is replayed.
 */
import { benchArgs } from './args.js';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import autocannon from 'autocannon';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { clients, PG_URL as TEST_PG_URL } from '../test/support/harness.js';
import { dropPgSchema, freshPgSchema, machine, median, signedHeaders, startProcess, tmpDir } from './support.js';

const { values } = benchArgs(
  'DescribeJob throughput with signed keep-alive requests (autocannon), beside a bare Fastify hello world measured in the same run.',
  {
    options: {
      runs: { type: 'string', default: '3' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '50' },
      postgres: { type: 'boolean', default: false },
    },
  },
  {
    runs: 'runs; medians are reported',
    duration: 'seconds per run',
    connections: 'keep-alive connections',
    postgres: 'also one PostgreSQL node against two',
  },
);
const runs = Number(values.runs);
const duration = Number(values.duration);
const connections = Number(values.connections);
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');

const start = (args: string[]) => startProcess(args);

async function load(urls: string[], path: string, headers: Record<string, string>[]): Promise<number> {
  const results = await Promise.all(
    urls.map((url, i) =>
      autocannon({ url: url + path, connections: Math.max(1, Math.floor(connections / urls.length)), duration, headers: headers[i] }),
    ),
  );
  for (const r of results) if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
  return results.reduce((s, r) => s + r.requests.average, 0);
}

async function iotJobsNode(extra: string[]) {
  return start([cli, 'serve', '--port', '0', '--mqtt-port', '0', ...extra]);
}

async function prepare(url: string, create: boolean) {
  if (create) {
    const { iot } = clients(url);
    await iot.send(new CreateThingCommand({ thingName: 'bench-thing' }));
    await iot.send(new CreateJobCommand({ jobId: 'bench-job', targets: ['arn:aws:iot:us-east-1:000000000000:thing/bench-thing'], document: '{"op":"fw"}' }));
    iot.destroy();
  }
  return signedHeaders(url, 'GET', '/jobs/bench-job', 'iot');
}

console.log(`# throughput benchmark: machine=${machine()} date=${new Date().toISOString()} duration=${duration}s connections=${connections}`);
const children: ChildProcess[] = [];
try {
  if (!values.postgres) {
    const dataDir = tmpDir();
    const bare = await start([join(here, 'bare-fastify.js')]);
    const node = await iotJobsNode(['--data-dir', dataDir]);
    children.push(bare.child, node.child);
    const headers = await prepare(node.url, true);
    // The floor: a signature check and a row read, nothing else (floor-describe-job.ts).
    const floor = await start([join(here, 'floor-describe-job.js'), dataDir]);
    children.push(floor.child);
    const floorHeaders = await signedHeaders(floor.url, 'GET', '/jobs/bench-job', 'iot');
    const bareRps: number[] = [];
    const floorRps: number[] = [];
    const jobsRps: number[] = [];
    for (let r = 0; r < runs; r++) {
      bareRps.push(await load([bare.url], '/jobs/bench-job', [{}]));
      floorRps.push(await load([floor.url], '/jobs/bench-job', [floorHeaders]));
      jobsRps.push(await load([node.url], '/jobs/bench-job', [headers]));
      console.log(
        `run ${r + 1}: bare Fastify ${bareRps[r]!.toFixed(0)} req/s, floor (SigV4 + row read) ${floorRps[r]!.toFixed(0)} req/s, iot-jobs DescribeJob (SQLite) ${jobsRps[r]!.toFixed(0)} req/s`,
      );
    }
    const b = median(bareRps);
    const f = median(floorRps);
    const j = median(jobsRps);
    console.log(`| bare Fastify hello world | ${b.toFixed(0)} |`);
    console.log(`| floor: Fastify + SigV4 check + one prepared SQLite read | ${f.toFixed(0)} | ${((100 * f) / b).toFixed(0)}% of bare |`);
    console.log(`| iot-jobs DescribeJob, SQLite, signed | ${j.toFixed(0)} | ${((100 * j) / b).toFixed(0)}% of bare |`);
  } else {
    const schema = await freshPgSchema(`bench_tp_${process.pid}`);
    const url = `${TEST_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      const a = await iotJobsNode(['--database-url', url]);
      children.push(a.child);
      const ha = await prepare(a.url, true);
      const one: number[] = [];
      const two: number[] = [];
      const b = await iotJobsNode(['--database-url', url]);
      children.push(b.child);
      const hb = await prepare(b.url, false);
      for (let r = 0; r < runs; r++) {
        one.push(await load([a.url], '/jobs/bench-job', [ha]));
        two.push(await load([a.url, b.url], '/jobs/bench-job', [ha, hb]));
        console.log(`run ${r + 1}: one PostgreSQL node ${one[r]!.toFixed(0)} req/s, two nodes ${two[r]!.toFixed(0)} req/s`);
      }
      console.log(`| DescribeJob, PostgreSQL, 1 node | ${median(one).toFixed(0)} |`);
      console.log(`| DescribeJob, PostgreSQL, 2 nodes | ${median(two).toFixed(0)} |`);
    } finally {
      for (const c of children.splice(0)) c.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      await dropPgSchema(schema);
    }
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
}
