import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../src/auth/sigv4.js';
import { HttpRequest } from '@smithy/protocol-http';
import type { Store } from '../src/store/store.js';

export const PG_URL = process.env.IOT_JOBS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export const tmpDir = () => mkdtempSync(join(tmpdir(), 'iot-jobs-bench-'));

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
}

export async function freshPgSchema(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists "${name}" cascade`);
  await c.query(`create schema "${name}"`);
  await c.end();
  return name;
}

export async function dropPgSchema(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`drop schema if exists "${name}" cascade`);
  await c.end();
}

/** Seeds n things into one group directly through the store (seeding is not what is measured). */
export async function seedGroup(store: Store, group: string, n: number, now = Date.now()): Promise<void> {
  await store.db
    .insertInto('thing_groups')
    .values({ group_name: group, group_id: `${group}-id`, parent_group_name: null, description: null, attributes: '{}', version: 1, created_at: now })
    .execute();
  const chunk = store.dialect === 'postgres' ? 5000 : 2000;
  for (let i = 0; i < n; i += chunk) {
    const rows = Array.from({ length: Math.min(chunk, n - i) }, (_, k) => `${group}-${String(i + k).padStart(8, '0')}`);
    await store.tx(async (db) => {
      await db
        .insertInto('things')
        .values(rows.map((t) => ({ thing_name: t, thing_id: t, thing_type_name: null, attributes: '{}', version: 1, created_at: now })))
        .execute();
      await db.insertInto('group_members').values(rows.map((t) => ({ group_name: group, thing_name: t }))).execute();
    });
  }
}

/** Signs one request with SigV4; the signature stays valid for minutes, so a load tool can replay it. */
export async function signedHeaders(url: string, method: string, path: string, service: string): Promise<Record<string, string>> {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
  const req = new HttpRequest({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, headers: { host: u.host } });
  const signed = await signer.sign(req);
  return signed.headers as Record<string, string>;
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat, counted after "pid (comm) ".
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU time (user + system, ms) one thread of a process has used so far (Linux; tid = pid: its main thread). */
export function threadCpuMs(pid: number, tid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * Starts a server process and resolves with the first URL it prints (`pattern`'s first group).
 * After that its output is drained and dropped: a server logs a line per request, and keeping them
 * (with a regex run over the whole of it on every chunk) made the load generator in this process
 * slower run after run (issue 24: 40% of the bench process's CPU after four runs).
 */
export function startProcess(args: string[], pattern = /(http:\/\/127\.0\.0\.1:\d+)/, nodeFlags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const on = (b: Buffer) => {
      out += b.toString();
      const m = pattern.exec(out);
      if (!m) return;
      child.stdout!.off('data', on).resume();
      child.stderr!.off('data', on).resume();
      child.off('exit', early);
      out = '';
      resolve({ child, url: m[1]! });
    };
    const early = (c: number | null) => reject(new Error(`exited ${c}: ${out}`));
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', early);
  });
}

/** A port free now (for a server that does not print its URL, at a log level above info). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts a server on a known URL and resolves once its GET /health answers 200; its output is dropped. */
export async function startQuietProcess(args: string[], url: string, nodeFlags: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeFlags, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  let exited: number | null | undefined;
  child.on('exit', (c) => (exited = c));
  for (;;) {
    if (exited !== undefined) throw new Error(`exited ${exited}`);
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
}
