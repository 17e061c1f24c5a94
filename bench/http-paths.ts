/**
 * The HTTP hot paths against bare Fastify, measured by wrk (a C load generator in its own process)
 * in the same run, interleaved, the order rotated each round (issue 27 §2):
 *   - bare: a bare Fastify hello world (the ceiling);
 *   - floor: Fastify + a SigV4 check for exactly this request + one prepared read (floor-describe-job.ts);
 *   - describe-job: DescribeJob, signed (control plane);
 *   - describe-execution: DescribeJobExecution, signed (data plane);
 *   - cycle: a device cycle over HTTP, StartNextPendingJobExecution then UpdateJobExecution
 *     (SUCCEEDED) on the job it got, one connection per wrk thread, each on its own thing; counted
 *     in requests (two per cycle).
 * Signatures stay valid for minutes, so signed requests are replayed: the cycle's are signed ahead
 * for every job of every thing (dated a few minutes ahead, so they stay valid for nine).
 *   node dist/bench/http-paths.js [--runs 3] [--duration 5] [--scenarios bare,describe-job,...]
 */
import { benchArgs } from './args.js';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { clients } from '../test/support/harness.js';
import { Sha256 } from '../src/auth/sigv4.js';
import { freePort, machine, median, startProcess, startQuietProcess, tmpDir } from './support.js';

const SCENARIOS = ['bare', 'floor', 'describe-job', 'describe-execution', 'cycle'] as const;
type Scenario = (typeof SCENARIOS)[number];

const { values } = benchArgs(
  'The HTTP hot paths (DescribeJob, DescribeJobExecution, a StartNext + Update device cycle) against bare Fastify and the floor, with wrk, interleaved; prints each round and the medians.',
  {
    options: {
      runs: { type: 'string', default: '3' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      threads: { type: 'string', default: '2' },
      'cycle-connections': { type: 'string', default: '8' },
      'cycle-jobs': { type: 'string', default: '3000' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      'log-level': { type: 'string', default: 'info' },
      'cpu-prof': { type: 'string' },
    },
  },
  {
    runs: 'rounds; medians are reported',
    duration: 'seconds per measurement',
    connections: 'wrk keep-alive connections for the reads and the ceiling',
    threads: 'wrk threads for the reads and the ceiling',
    'cycle-connections': 'devices in the cycle: one thing, one connection and one wrk thread each',
    'cycle-jobs': 'jobs created for each cycle thing (the cycles available: runs × duration × rate must fit)',
    scenarios: `comma-separated, of ${SCENARIOS.join(', ')}`,
    'log-level': "iot-jobs's --log-level (info logs a line per request; warn none)",
    'cpu-prof': 'a directory: iot-jobs runs with node --cpu-prof and writes its profile there on exit',
  },
);
const runs = Number(values.runs);
const duration = Number(values.duration);
const connections = Number(values.connections);
const threads = Number(values.threads);
const devices = Number(values['cycle-connections']);
const jobsPerThing = Number(values['cycle-jobs']);
const scenarios = values.scenarios.split(',') as Scenario[];
if (scenarios.some((s) => !SCENARIOS.includes(s)) || ![runs, duration, connections, threads, devices, jobsPerThing].every((n) => Number.isInteger(n) && n > 0)) {
  process.stderr.write('bad flags (see --help)\n');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli', 'main.js');
const A = 'arn:aws:iot:us-east-1:000000000000';
const dir = tmpDir();
const run = promisify(execFile);

/** Signs a request (dated `ahead` ms from now) and returns it as raw HTTP/1.1 text for wrk. */
async function rawSigned(url: string, method: string, path: string, service: string, body = '', ahead = 0): Promise<string> {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
  const headers: Record<string, string> = { host: u.host, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) };
  const req = new HttpRequest({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, headers, body: body || undefined });
  const signed = await signer.sign(req, { signingDate: new Date(Date.now() + ahead) });
  const lines = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}\r\n`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join('')}\r\n${body}`;
}

/** A wrk script that replays one raw request. */
function replayScript(name: string, raw: string): string {
  const file = join(dir, `${name}.lua`);
  writeFileSync(file, `local r = ${JSON.stringify(raw)}\nrequest = function() return r end\n`);
  return file;
}

/** Per thread: StartNext, then the Update of the job it returned; counts cycles and empty StartNexts. */
function cycleScript(): string {
  const file = join(dir, 'cycle.lua');
  writeFileSync(
    file,
    `local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  R = dofile("${dir}/cycle-" .. id .. ".lua")
  job = nil
  cycles = 0
  empty = 0
  bad = 0
end
function request()
  if job then
    local r = R.updates[job]
    job = nil
    updating = true
    return r
  end
  updating = false
  return R.start
end
-- One connection per thread: each response answers the request sent last.
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 return end
  if updating then cycles = cycles + 1 return end
  job = string.match(body, '^{"execution":{.-"jobId":"([^"]+)"')
  if not job then empty = empty + 1 end
end
function done(summary, latency, requests)
  local c, e, b = 0, 0, 0
  for _, t in ipairs(threads) do c = c + t:get("cycles"); e = e + t:get("empty"); b = b + t:get("bad") end
  io.write(string.format("CYCLES %d EMPTY %d BAD %d\\n", c, e, b))
end
`,
  );
  return file;
}

interface Wrk {
  rps: number;
  non2xx: number;
  cycles?: number;
  empty?: number;
  bad?: number;
}
async function wrk(url: string, script: string, t: number, c: number): Promise<Wrk> {
  const { stdout } = await run('wrk', ['-t', String(t), '-c', String(c), '-d', `${duration}s`, '-s', script, url], { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const cyc = /CYCLES (\d+) EMPTY (\d+) BAD (\d+)/.exec(stdout);
  if (!Number.isFinite(rps)) throw new Error(`wrk said: ${stdout}`);
  return { rps, non2xx, ...(cyc ? { cycles: Number(cyc[1]), empty: Number(cyc[2]), bad: Number(cyc[3]) } : {}) };
}

console.log(
  `# HTTP hot paths: machine=${machine()} date=${new Date().toISOString()} runs=${runs} duration=${duration}s wrk -t${threads} -c${connections} (cycle -t${devices} -c${devices}) log-level=${values['log-level']}`,
);
const children: ChildProcess[] = [];
try {
  const dataDir = tmpDir();
  const bare = await startProcess([join(here, 'bare-fastify.js')]);
  children.push(bare.child);
  // Above info the server prints no ready line: it gets a free port and is polled.
  const port = await freePort();
  const node = await startQuietProcess(
    [cli, 'serve', '--port', String(port), '--mqtt-port', '0', '--mqtt-tls-port', 'off', '--data-dir', dataDir, '--log-level', values['log-level']],
    `http://127.0.0.1:${port}`,
    values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [],
  );
  children.push(node.child);
  const { iot } = clients(node.url);
  await iot.send(new CreateThingCommand({ thingName: 'bench-thing' }));
  await iot.send(new CreateJobCommand({ jobId: 'bench-job', targets: [`${A}:thing/bench-thing`], document: '{"op":"fw"}' }));
  const floor = scenarios.includes('floor') ? await startProcess([join(here, 'floor-describe-job.js'), dataDir]) : undefined;
  if (floor) children.push(floor.child);

  let cycle: string | undefined;
  if (scenarios.includes('cycle')) {
    const things = Array.from({ length: devices }, (_, i) => `cyc-${String(i).padStart(3, '0')}`);
    for (const t of things) await iot.send(new CreateThingCommand({ thingName: t }));
    const jobIds = Array.from({ length: jobsPerThing }, (_, i) => `cyc-job-${String(i).padStart(5, '0')}`);
    for (let i = 0; i < jobIds.length; i += 8) {
      await Promise.all(jobIds.slice(i, i + 8).map((jobId) => iot.send(new CreateJobCommand({ jobId, targets: things.map((t) => `${A}:thing/${t}`), document: '{"op":"fw"}' }))));
    }
    // Dated 4 minutes ahead: valid from 1 minute ago until 9 minutes from now.
    const ahead = 4 * 60_000;
    for (const [i, t] of things.entries()) {
      const start = await rawSigned(node.url, 'PUT', `/things/${t}/jobs/$next`, 'iot-jobs-data', '{}', ahead);
      const updates: string[] = [];
      for (const j of jobIds) updates.push(`[${JSON.stringify(j)}] = ${JSON.stringify(await rawSigned(node.url, 'POST', `/things/${t}/jobs/${j}`, 'iot-jobs-data', '{"status":"SUCCEEDED"}', ahead))}`);
      writeFileSync(join(dir, `cycle-${i + 1}.lua`), `return { start = ${JSON.stringify(start)}, updates = {\n${updates.join(',\n')}\n} }\n`);
    }
    cycle = cycleScript();
  }
  iot.destroy();

  const results = new Map<Scenario, Wrk[]>(scenarios.map((s) => [s, []]));
  const measure = async (s: Scenario): Promise<Wrk> => {
    switch (s) {
      case 'bare':
        return wrk(`${bare.url}/jobs/bench-job`, replayScript('bare', `GET /jobs/bench-job HTTP/1.1\r\nhost: ${new URL(bare.url).host}\r\n\r\n`), threads, connections);
      case 'floor':
        return wrk(`${floor!.url}/jobs/bench-job`, replayScript('floor', await rawSigned(floor!.url, 'GET', '/jobs/bench-job', 'iot')), threads, connections);
      case 'describe-job':
        return wrk(`${node.url}/jobs/bench-job`, replayScript('dj', await rawSigned(node.url, 'GET', '/jobs/bench-job', 'iot')), threads, connections);
      case 'describe-execution':
        return wrk(`${node.url}/things/bench-thing/jobs/bench-job`, replayScript('dje', await rawSigned(node.url, 'GET', '/things/bench-thing/jobs/bench-job', 'iot-jobs-data')), threads, connections);
      case 'cycle':
        return wrk(node.url, cycle!, devices, devices);
    }
  };
  for (let r = 0; r < runs; r++) {
    const order = scenarios.map((_, i) => scenarios[(i + r) % scenarios.length]!);
    const line: string[] = [];
    for (const s of order) {
      const w = await measure(s);
      if (w.non2xx > 0 || (w.bad ?? 0) > 0 || (w.empty ?? 0) > 0) throw new Error(`${s}: ${w.non2xx} non-2xx, ${w.bad ?? 0} refused, ${w.empty ?? 0} StartNext without a job (raise --cycle-jobs), ${w.cycles ?? 0} cycles`);
      results.get(s)!.push(w);
      line.push(`${s} ${w.rps.toFixed(0)} req/s${w.cycles !== undefined ? ` (${(w.cycles / duration).toFixed(0)} cycles/s)` : ''}`);
    }
    console.log(`round ${r + 1}: ${line.join(', ')}`);
  }
  const bareMedian = results.has('bare') ? median(results.get('bare')!.map((w) => w.rps)) : NaN;
  console.log('| path | median req/s | of bare Fastify (median of per-round ratios) |');
  console.log('|---|---:|---:|');
  for (const [s, ws] of results) {
    const ratios = results.has('bare') ? ws.map((w, i) => w.rps / results.get('bare')![i]!.rps) : [];
    console.log(`| ${s} | ${median(ws.map((w) => w.rps)).toFixed(0)} | ${ratios.length ? `${(100 * median(ratios)).toFixed(1)}%` : '—'} |`);
  }
  if (!Number.isNaN(bareMedian)) console.log(`ceiling: bare Fastify median ${bareMedian.toFixed(0)} req/s`);
} finally {
  for (const c of children) c.kill('SIGTERM');
}
