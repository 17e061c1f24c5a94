import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeThingCommand, IoTClient } from '@aws-sdk/client-iot';
import { CLI, spawnServer } from '../support/process.js';
import { runCli, startCli } from '../support/cli.js';
import { PG_URL, dropSchema, groupArn, thingArn } from '../support/harness.js';
/**
 * What a new user met at the command line (issue 28): typo suggestions, errors that name the
 * environment variable, no stray Fastify line before a start failure, the ready line's data path
 * and clock mode, JSON to the last line, --database-schema, a closed stdout, and the local server
 * as every client command's default endpoint.
 */
const dirs = [];
const servers = [];
after(async () => {
    for (const s of servers)
        if (s.child.exitCode === null && s.child.signalCode === null)
            s.child.kill('SIGKILL');
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'operator-cli-'));
    dirs.push(d);
    return d;
};
/** The environment of a shell where nothing of AWS is set: no keys, no region, no endpoint, no files. */
function bareEnv() {
    const env = { ...process.env };
    for (const k of Object.keys(env))
        if (k.startsWith('AWS_'))
            delete env[k];
    return { ...env, HOME: dataDir(), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
}
const clientFor = (url) => new IoTClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
async function serve(args, env = {}) {
    const s = await spawnServer(['--log-format', 'json', ...args], env);
    servers.push(s);
    return s;
}
async function stop(s) {
    s.child.kill('SIGTERM');
    return s.exited;
}
describe('usage errors', () => {
    test('a mistyped flag or command gets the right name suggested, on one line', async () => {
        const flag = await runCli(['serve', '--prot', '0'], bareEnv());
        assert.equal(flag.code, 2);
        assert.equal(flag.stderr, "iot-jobs: error: unknown option '--prot' (did you mean --port?)\n");
        const cmd = await runCli(['serv'], bareEnv());
        assert.equal(cmd.code, 2);
        assert.equal(cmd.stderr, "iot-jobs: error: unknown command 'serv' (did you mean serve?)\n");
    });
    test('an error about an environment variable names the variable, and a flag the flag', async () => {
        const env = await runCli(['serve', '--data-dir', dataDir()], { ...bareEnv(), IOT_JOBS_PORT: 'seventy' });
        assert.equal(env.code, 2);
        assert.equal(env.stderr, "iot-jobs: error: IOT_JOBS_PORT must be a whole number from 0 to 65535, not 'seventy'\n");
        const flag = await runCli(['serve', '--data-dir', dataDir(), '--port', 'seventy'], bareEnv());
        assert.equal(flag.stderr, "iot-jobs: error: --port must be a whole number from 0 to 65535, not 'seventy'\n");
        const cred = await runCli(['serve', '--data-dir', dataDir()], { ...bareEnv(), IOT_JOBS_CREDENTIALS: 'nocolon-secretish' });
        assert.equal(cred.stderr, 'iot-jobs: error: IOT_JOBS_CREDENTIALS must look like KEY:SECRET\n');
        const clock = await runCli(['serve', '--data-dir', dataDir()], { ...bareEnv(), IOT_JOBS_CLOCK: 'fast' });
        assert.equal(clock.stderr, "iot-jobs: error: IOT_JOBS_CLOCK must be manual or system, not 'fast'\n");
    });
    test("--mqtt-port 1883 while Mosquitto has it: the one-line error, and no Fastify 'Server listening' line before it", async () => {
        const r = await runCli(['serve', '--port', '0', '--mqtt-port', '1883', '--data-dir', dataDir(), '--log-format', 'json'], bareEnv());
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.doesNotMatch(r.stdout + r.stderr, /Server listening/);
        assert.match(r.stderr, /1883/);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
});
describe('the ready line and JSON logs', () => {
    test('ready gives the SQLite file and the clock mode; with --log-format json every line is JSON, the shutdown line too', async () => {
        const dir = dataDir();
        const s = await serve(['--data-dir', dir, '--clock', 'manual']);
        assert.equal(await stop(s), 0);
        const lines = s.output().trim().split('\n');
        for (const l of lines)
            assert.doesNotThrow(() => JSON.parse(l), `not JSON: ${l}`);
        const ready = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'iot-jobs ready');
        assert.equal(ready.data, resolve(dir, 'iot-jobs.sqlite'));
        assert.equal(ready.clock, 'manual');
        assert.ok(lines.some((l) => /"msg":"iot-jobs shutting down"/.test(l) && /"signal":"SIGTERM"/.test(l)), s.output());
        assert.doesNotMatch(s.output(), /Server listening/);
    });
    test('--database-schema keeps the tables in that PostgreSQL schema; ready names the database without a password', async () => {
        const schema = `operator_schema_${process.pid}_${Date.now()}`;
        try {
            const s = await serve(['--database-url', PG_URL.replace('postgres@', 'postgres:hunter2@'), '--database-schema', schema]);
            const iot = clientFor(s.url);
            await iot.send(new CreateThingCommand({ thingName: 'operator-schema-thing' }));
            iot.destroy();
            assert.equal(await stop(s), 0);
            const ready = JSON.parse(s.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"')));
            assert.equal(ready.clock, 'system');
            assert.match(ready.data, new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:5432/test \\(schema ${schema}\\)$`));
            assert.doesNotMatch(s.output(), /hunter2/);
            const c = new pg.Client({ connectionString: PG_URL });
            await c.connect();
            const rows = await c.query(`select thing_name from "${schema}".things where thing_name = 'operator-schema-thing'`);
            await c.end();
            assert.equal(rows.rowCount, 1);
        }
        finally {
            await dropSchema(schema);
        }
    });
    test('--database-schema without --database-url, or a name that is not a plain identifier, is a one-line error', async () => {
        const a = await runCli(['serve', '--data-dir', dataDir(), '--database-schema', 'x'], bareEnv());
        assert.equal(a.code, 2);
        assert.equal(a.stderr, 'iot-jobs: error: --database-schema needs --database-url (PostgreSQL)\n');
        const b = await runCli(['serve', '--database-url', PG_URL], { ...bareEnv(), IOT_JOBS_DATABASE_SCHEMA: 'a;drop' });
        assert.equal(b.code, 2);
        assert.match(b.stderr, /^iot-jobs: error: IOT_JOBS_DATABASE_SCHEMA must be a lower-case PostgreSQL name/);
    });
});
/** Runs `CLI args | true` in bash with pipefail: the reader is gone before the command writes. */
function intoClosedPipe(args, env) {
    const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('bash', ['-o', 'pipefail', '-c', `${quoted} | true`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b.toString()));
    return new Promise((res) => child.on('close', (code) => res({ code, stderr })));
}
describe('a closed stdout', () => {
    test('jobs show, jobs list, clock show, --help and serve --help into a pipe whose reader has gone: exit 0, nothing on stderr', async () => {
        const s = await serve(['--data-dir', dataDir()]);
        const iot = clientFor(s.url);
        await iot.send(new CreateThingCommand({ thingName: 'operator-epipe-1' }));
        await iot.send(new CreateJobCommand({ jobId: 'operator-epipe-job', targets: [thingArn('operator-epipe-1')], document: JSON.stringify({ pad: 'x'.repeat(2000) }) }));
        iot.destroy();
        const env = { ...bareEnv(), AWS_ENDPOINT_URL: s.url };
        for (const args of [['jobs', 'show', 'operator-epipe-job'], ['jobs', 'list'], ['jobs', 'show', 'operator-epipe-job', '--output', 'json'], ['clock', 'show'], ['--help'], ['serve', '--help']]) {
            const r = await intoClosedPipe(args, env);
            assert.equal(r.stderr, '', `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.code, 0, args.join(' '));
        }
        await stop(s);
    });
});
/** `iot-jobs serve --port 7020`: the address the client commands default to (others may hold it a while). */
async function serveOnDefaultPort() {
    for (let i = 0;; i++) {
        try {
            return await serve(['--data-dir', dataDir(), '--port', '7020']);
        }
        catch (err) {
            if (i >= 30 || !/already in use/.test(err.message))
                throw err;
            await sleep(2000);
        }
    }
}
describe('the default endpoint is the local server', () => {
    test('jobs list, clock show and simulate with nothing of AWS set go to http://127.0.0.1:7020 with test/test, not to AWS', async () => {
        const s = await serveOnDefaultPort();
        try {
            const iot = clientFor(s.url);
            await iot.send(new CreateThingCommand({ thingName: 'operator-default-1' }));
            await iot.send(new CreateJobCommand({ jobId: 'operator-default-job', targets: [thingArn('operator-default-1')], document: '{}' }));
            const list = await runCli(['jobs', 'list'], bareEnv());
            assert.equal(list.code, 0, list.stderr);
            assert.match(list.stdout, /operator-default-job\s+IN_PROGRESS/);
            const clock = await runCli(['clock', 'show'], bareEnv());
            assert.equal(clock.code, 0, clock.stderr);
            assert.match(clock.stdout, /"mode":"system"/);
            const sim = startCli(['simulate', '--things', '1', '--prefix', 'operator-default-sim-'], bareEnv());
            await sim.waitFor(/devices connected/, 30_000, 'stderr');
            // It listens for SIGINT right after that line.
            await sleep(500);
            sim.child.kill('SIGINT');
            assert.equal((await sim.exited).code, 0);
            assert.equal((await iot.send(new DescribeThingCommand({ thingName: 'operator-default-sim-0001' }))).thingName, 'operator-default-sim-0001');
            iot.destroy();
        }
        finally {
            await stop(s);
        }
    });
    test('an endpoint given as AWS_ENDPOINT_URL or --endpoint-url still wins', async () => {
        const s = await serve(['--data-dir', dataDir()]);
        const iot = clientFor(s.url);
        await iot.send(new CreateThingCommand({ thingName: 'operator-given-1' }));
        await iot.send(new CreateJobCommand({ jobId: 'operator-given-job', targets: [thingArn('operator-given-1')], document: '{}' }));
        iot.destroy();
        const viaEnv = await runCli(['jobs', 'show', 'operator-given-job'], { ...bareEnv(), AWS_ENDPOINT_URL: s.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' });
        assert.equal(viaEnv.code, 0, viaEnv.stderr);
        assert.match(viaEnv.stdout, /operator-given-job/);
        const viaFlag = await runCli(['clock', 'show', '--endpoint-url', 'http://127.0.0.1:1'], bareEnv());
        assert.equal(viaFlag.code, 1);
        assert.match(viaFlag.stderr, /127\.0\.0\.1:1\b/);
        await stop(s);
    });
});
describe('a manual clock that ran ahead', () => {
    for (const backend of ['sqlite', 'postgres']) {
        test(`${backend}: restarting with the system clock is refused with one line; --clock manual keeps the time`, async () => {
            const schema = `operator_clock_${process.pid}_${Date.now()}`;
            const where = backend === 'sqlite' ? ['--data-dir', dataDir()] : ['--database-url', PG_URL, '--database-schema', schema];
            try {
                const first = await serve([...where, '--clock', 'manual']);
                const env = { ...bareEnv(), AWS_ENDPOINT_URL: first.url };
                const moved = await runCli(['clock', 'advance', '16m'], env);
                assert.equal(moved.code, 0, moved.stderr);
                const at = JSON.parse(moved.stdout).now;
                assert.equal(await stop(first), 0);
                const refused = await runCli(['serve', '--port', '0', '--mqtt-port', '0', ...where], bareEnv());
                assert.equal(refused.code, 2, refused.stdout + refused.stderr);
                assert.equal(refused.stderr, `iot-jobs: error: this data ran on --clock manual, now at ${at}, 16 min ahead of the system clock; start with --clock manual to keep that time, or wait until then\n`);
                const again = await serve([...where, '--clock', 'manual']);
                const shown = await runCli(['clock', 'show'], { ...bareEnv(), AWS_ENDPOINT_URL: again.url });
                assert.equal(JSON.parse(shown.stdout).now, at);
                assert.equal(await stop(again), 0);
            }
            finally {
                if (backend === 'postgres')
                    await dropSchema(schema);
            }
        });
    }
});
describe('jobs watch against the targets', () => {
    test('a paced rollout to a 30-thing group: the bar counts 30 targets and the things not started yet, not only the executions made so far', async () => {
        const s = await serve(['--data-dir', dataDir(), '--clock', 'manual']);
        const iot = clientFor(s.url);
        const group = 'operator-watch-group';
        await iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
        for (let i = 1; i <= 30; i++) {
            const thingName = `operator-watch-${i}`;
            await iot.send(new CreateThingCommand({ thingName }));
            await iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName }));
        }
        await iot.send(new CreateJobCommand({ jobId: 'operator-watch-paced', targets: [groupArn(group)], document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 10 } }));
        iot.destroy();
        const watch = startCli(['jobs', 'watch', 'operator-watch-paced', '--output', 'json', '--interval', '0.5'], { ...bareEnv(), AWS_ENDPOINT_URL: s.url });
        // Wait for a frame once the first minute's batch is out (the manual clock does not move: no more come).
        const line = await watch.waitFor(/"inProgress":0,.*"targeted":30/, 30_000);
        watch.child.kill('SIGTERM');
        await watch.exited;
        const f = JSON.parse(line);
        assert.equal(f.targeted, 30);
        assert.equal(f.total, 30);
        assert.equal(f.notStarted, 30 - f.queued - f.done);
        assert.ok(f.notStarted >= 20, `a pace of 10 a minute has reached at most 10 of 30: ${line}`);
        assert.notEqual(f.etaSeconds, 0);
        await stop(s);
    });
});
//# sourceMappingURL=operator-cli.test.js.map