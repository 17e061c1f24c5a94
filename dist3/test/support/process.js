import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { PG_URL, dropSchema, freshSchema } from './harness.js';
/** dist/src/cli/main.js, from dist/test/support/. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');
/** Starts `iot-jobs serve` as a real process and waits for its "iot-jobs ready" log line. */
export function spawnServer(args, env = {}) {
    // IOT_JOBS_NODE_ARGS lets a benchmark profile the server (e.g. --cpu-prof).
    const nodeArgs = (process.env.IOT_JOBS_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', '0', '--mqtt-port', '0', ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 20_000);
        let ready = false;
        const onData = (b) => {
            out += b.toString();
            // Past the ready line, only keep the output: a server logs a line per request.
            if (ready)
                return;
            const line = out.split('\n').slice(0, -1).find((l) => l.includes('"msg":"iot-jobs ready"'));
            if (line) {
                ready = true;
                clearTimeout(timer);
                const addresses = JSON.parse(line);
                resolve({ child, url: addresses.http, mqttUrl: addresses.mqtt ?? undefined, output: () => out, exited });
            }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => {
            clearTimeout(timer);
            reject(new Error(`server exited with ${code} before listening:\n${out}`));
        });
    });
}
/** Where one test's data lives: a data dir for SQLite, a schema for PostgreSQL. */
export async function storage(backend) {
    if (backend === 'sqlite') {
        const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-crash-'));
        return { args: ['--data-dir', dir], cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    }
    const schema = freshSchema();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`create schema "${schema}"`);
    await c.end();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    return { args: ['--database-url', url], cleanup: () => dropSchema(schema) };
}
//# sourceMappingURL=process.js.map