/**
 * What IAM authorization costs DescribeJob (issue 24: at most 5% of its throughput). Two iot-jobs
 * processes on SQLite, one without an IAM users file and one with a 20-statement policy (Allow
 * statements for other actions with conditions, two Deny statements that apply to DescribeJob with
 * conditions evaluated on every request, the Allow for DescribeJob last), both signed with test/test
 * (the users file names that key). They are measured in turns, interleaved, the order swapped each
 * run, so that a noisy machine weighs on both alike. The load is wrk's, from its own process.
 *   node dist/bench/iam.js [--runs 5] [--duration 5] [--connections 16] [--threads 2] [--resource-tag]
 * --in-process times the authorizer alone (no HTTP), in microseconds per DescribeJob request.
 * --resource-tag adds an aws:ResourceTag condition to the DescribeJob Allow: one indexed read of the
 * job's tags per request.
 */
import { benchArgs } from './args.js';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { pino } from 'pino';
import { clients } from '../test/support/harness.js';
import { Iam } from '../src/iam/iam.js';
import { httpAuthorizer } from '../src/iam/http.js';
import { checksFor } from '../src/iam/actions.js';
import { freePort, machine, median, signedHeaders, startQuietProcess, tmpDir } from './support.js';

const { values } = benchArgs(
  'IAM authorization cost: DescribeJob throughput without and with --iam-policies (20 statements), interleaved; prints each run and the medians.',
  {
  options: {
    runs: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    'resource-tag': { type: 'boolean', default: false },
    'in-process': { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'cpu-prof': { type: 'string' },
  },
  },
  {
    runs: 'pairs of measurements',
    duration: 'seconds per measurement',
    connections: 'wrk keep-alive connections',
    threads: 'wrk threads',
    'resource-tag': 'the DescribeJob Allow carries an aws:ResourceTag condition (a tags read per request)',
    'in-process': 'time the authorizer alone, without HTTP: microseconds per request',
    'log-level': "the servers' --log-level (info logs a line per request, with the IAM decision; warn none)",
    'cpu-prof': 'a folder: both servers run with --cpu-prof and write their profiles there (plain-*, iam-*)',
  },
);

const runs = Number(values.runs);
const duration = Number(values.duration);
const connections = Number(values.connections);
const threads = Number(values.threads);
const run = promisify(execFile);
if (![runs, duration, connections].every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write('bad flags (see --help)\n');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const A = 'arn:aws:iot:us-east-1:000000000000';

/** 20 statements, as a team's policy might have them. */
function policy(resourceTag: boolean) {
  const statements: object[] = [];
  const ops = ['CreateJob', 'CancelJob', 'UpdateJob', 'DeleteJob', 'CancelJobExecution', 'DeleteJobExecution', 'AssociateTargetsWithJob', 'CreateJobTemplate', 'DeleteJobTemplate', 'TagResource', 'UntagResource', 'ListJobExecutionsForJob', 'ListJobExecutionsForThing', 'GetJobDocument', 'DescribeJobExecution', 'CreateThing', 'DescribeThing'];
  for (const [i, op] of ops.entries()) {
    statements.push({ Sid: `S${i}`, Effect: 'Allow', Action: `iot:${op}`, Resource: [`${A}:job/*`, `${A}:thing/*`, `${A}:thinggroup/team${i}-*`], ...(i % 2 ? { Condition: { StringEqualsIfExists: { 'aws:RequestTag/team': `t${i}` } } } : {}) });
  }
  statements.push({ Sid: 'OfficeOnly', Effect: 'Deny', Action: 'iot:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '10.0.0.0/8', '192.168.0.0/16'] } } });
  statements.push({ Sid: 'NotProd', Effect: 'Deny', Action: ['iot:Describe*', 'iot:Delete*'], Resource: `${A}:job/prod-*` });
  statements.push({ Sid: 'Read', Effect: 'Allow', Action: ['iot:DescribeJob', 'iot:ListJobs'], Resource: '*', ...(resourceTag ? { Condition: { StringEqualsIfExists: { 'aws:ResourceTag/team': 'bench' } } } : {}) });
  return { Version: '2012-10-17', Statement: statements };
}

/** Each on a free port, polled until it answers: above info it prints no ready line. */
async function start(args: string[], name: string) {
  const port = await freePort();
  const prof = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof'], '--cpu-prof-name', `${name}.cpuprofile`] : [];
  return startQuietProcess([cli, 'serve', '--port', String(port), '--no-mqtt', '--log-format', 'json', '--log-level', values['log-level'], ...args], `http://127.0.0.1:${port}`, prof);
}

/** wrk, a C load generator in its own process, replaying the signed request (it stays valid for minutes). */
async function load(url: string, headers: Record<string, string>): Promise<number> {
  const script = join(tmpDir(), 'replay.lua');
  const raw = `GET /jobs/bench-job HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  writeFileSync(script, `local r = ${JSON.stringify(raw)}\nrequest = function() return r end\n`);
  const { stdout } = await run('wrk', ['-t', String(threads), '-c', String(connections), '-d', `${duration}s`, '-s', script, `${url}/jobs/bench-job`]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  if (!Number.isFinite(rps) || /Non-2xx/.test(stdout)) throw new Error(`${url}: wrk said ${stdout}`);
  return rps;
}

async function prepare(url: string) {
  const { iot } = clients(url);
  await iot.send(new CreateThingCommand({ thingName: 'bench-thing' }));
  await iot.send(new CreateJobCommand({ jobId: 'bench-job', targets: [`${A}:thing/bench-thing`], document: '{"op":"fw"}' }));
  iot.destroy();
  return signedHeaders(url, 'GET', '/jobs/bench-job', 'iot');
}

const file = join(tmpDir(), 'users.json');
writeFileSync(file, JSON.stringify({ users: [{ name: 'bench', accessKeyId: 'test', secretAccessKey: 'test', policies: [policy(values['resource-tag'])] }] }));
if (values['in-process']) {
  const iam = new Iam(file, '000000000000', pino({ level: 'silent' }));
  const authorize = httpAuthorizer(iam, { now: () => Date.now(), tagsOf: async () => new Map() });
  const scope = { region: 'us-east-1', accountId: '000000000000' };
  const n = 200_000;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const res = await authorize({ accessKeyId: 'test', sourceIp: '127.0.0.1', secure: false, checks: checksFor('iot', 'DescribeJob', { jobId: 'bench-job' }, scope) });
      if (res.error) throw res.error;
    }
    console.log(`run ${r + 1}: ${(Number(process.hrtime.bigint() - t0) / n / 1000).toFixed(2)} µs per DescribeJob authorization (20 statements)`);
  }
  process.exit(0);
}
console.log(`# IAM authorization cost: machine=${machine()} date=${new Date().toISOString()} runs=${runs} duration=${duration}s connections=${connections} resourceTag=${values['resource-tag']} log-level=${values['log-level']}`);
const children: ChildProcess[] = [];
try {
  const plain = await start(['--data-dir', tmpDir()], 'plain');
  children.push(plain.child);
  const withIam = await start(['--data-dir', tmpDir(), '--iam-policies', file], 'iam');
  children.push(withIam.child);
  const hp = await prepare(plain.url);
  const hi = await prepare(withIam.url);
  const off: number[] = [];
  const on: number[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2 === 0) (off.push(await load(plain.url, hp)), on.push(await load(withIam.url, hi)));
    else (on.push(await load(withIam.url, hi)), off.push(await load(plain.url, hp)));
    console.log(`run ${r + 1}: without IAM ${off[r]!.toFixed(0)} req/s, with IAM (20 statements) ${on[r]!.toFixed(0)} req/s (${((100 * (off[r]! - on[r]!)) / off[r]!).toFixed(1)}% less)`);
  }
  const a = median(off);
  const b = median(on);
  console.log(`| DescribeJob without --iam-policies | ${a.toFixed(0)} req/s |`);
  console.log(`| DescribeJob with --iam-policies, 20 statements | ${b.toFixed(0)} req/s | ${((100 * (a - b)) / a).toFixed(1)}% less (median of runs) |`);
} finally {
  for (const c of children) c.kill('SIGTERM');
}
