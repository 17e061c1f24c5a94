import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateThingCommand, DescribeThingCommand, IoTClient } from '@aws-sdk/client-iot';
import { CLI, spawnServer } from '../support/process.js';
import { makePki } from '../support/certs.js';
/**
 * The real `iot-jobs serve` process: exit codes and one-line errors for bad usage and taken ports,
 * the refusals off loopback, IOT_JOBS_PORT, SIGTERM and a restart over the same data directory.
 * Every run gets its own temporary --data-dir; ports come from the OS, never fixed numbers.
 */
const dirs = [];
const servers = [];
const blockers = [];
after(async () => {
    for (const s of servers)
        if (s.child.exitCode === null && s.child.signalCode === null)
            s.child.kill('SIGKILL');
    for (const b of blockers)
        await new Promise((r) => b.close(() => r()));
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
function dataDir() {
    const d = mkdtempSync(join(tmpdir(), 'iot-jobs-cli-'));
    dirs.push(d);
    return d;
}
/** A port that was free a moment ago: listen on 0, read it, close. */
async function freePort() {
    const s = createServer();
    await new Promise((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise((r) => s.close(() => r()));
    return port;
}
/** A port held open on 127.0.0.1 until the end of the file. */
async function takenPort() {
    const s = createServer();
    await new Promise((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', resolve));
    blockers.push(s);
    return s.address().port;
}
/** Runs the CLI to its end; kills it and fails if it has not exited within timeoutMs. */
function run(args, env = {}, timeoutMs = 15_000) {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b.toString()));
    child.stderr.on('data', (b) => (stderr += b.toString()));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`iot-jobs ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, timeoutMs);
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({ code, signal, stdout, stderr });
        });
    });
}
/** Exit code 2 and exactly one stderr line, starting "iot-jobs: error:"; returns that line. */
function usageError(r) {
    assert.equal(r.code, 2, `expected exit code 2, got ${r.code} (${r.signal})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.ok(r.stderr.endsWith('\n'), `stderr should end with a newline: ${JSON.stringify(r.stderr)}`);
    const lines = r.stderr.slice(0, -1).split('\n');
    assert.equal(lines.length, 1, `expected one stderr line, got ${JSON.stringify(r.stderr)}`);
    assert.ok(lines[0].startsWith('iot-jobs: error: '), lines[0]);
    return lines[0];
}
/** Waits for the exit code (or signal), failing after timeoutMs. */
async function exitOf(s, timeoutMs = 15_000) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`server did not exit within ${timeoutMs} ms:\n${s.output()}`)), timeoutMs);
    });
    try {
        return await Promise.race([s.exited, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
async function start(args, env = {}) {
    const s = await spawnServer(args, env);
    servers.push(s);
    return s;
}
const iotClient = (url) => new IoTClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
describe('usage and configuration errors: exit 2, one line on stderr', () => {
    test('an unknown flag', async () => {
        const line = usageError(await run(['serve', '--bogus', '--data-dir', dataDir()]));
        assert.equal(line, "iot-jobs: error: unknown option '--bogus'");
    });
    test('an unknown flag close to a real one is still one line', async () => {
        usageError(await run(['serve', '--prot', '1', '--data-dir', dataDir()]));
    });
    test('--port abc', async () => {
        const line = usageError(await run(['serve', '--port', 'abc', '--data-dir', dataDir()]));
        assert.equal(line, "iot-jobs: error: --port must be a whole number from 0 to 65535, not 'abc'");
    });
    test('--port out of range', async () => {
        const line = usageError(await run(['serve', '--port', '65536', '--data-dir', dataDir()]));
        assert.equal(line, "iot-jobs: error: --port must be a whole number from 0 to 65535, not '65536'");
    });
    test('--s3-endpoint that is not an http(s) URL, and a malformed --s3-credentials', async () => {
        assert.equal(usageError(await run(['serve', '--s3-endpoint', 'minio:9000', '--data-dir', dataDir()])), "iot-jobs: error: --s3-endpoint must look like http://host:port, not 'minio:9000'");
        assert.match(usageError(await run(['serve', '--s3-credentials', 'nocolon', '--data-dir', dataDir()])), /^iot-jobs: error: .*KEY:SECRET/);
    });
    test('a bad IOT_JOBS_PORT is reported like --port, naming the variable', async () => {
        const line = usageError(await run(['serve', '--data-dir', dataDir()], { IOT_JOBS_PORT: 'http' }));
        assert.equal(line, "iot-jobs: error: IOT_JOBS_PORT must be a whole number from 0 to 65535, not 'http'");
    });
    test('a taken HTTP port', async () => {
        const port = await takenPort();
        const line = usageError(await run(['serve', '--port', String(port), '--mqtt-port', '0', '--data-dir', dataDir()]));
        assert.equal(line, `iot-jobs: error: port ${port} on 127.0.0.1 is already in use`);
    });
    test('an explicit taken --mqtt-port', async () => {
        const mqtt = await takenPort();
        const line = usageError(await run(['serve', '--port', '0', '--mqtt-port', String(mqtt), '--data-dir', dataDir()]));
        assert.match(line, /MQTT/);
        assert.equal(line, `iot-jobs: error: MQTT port ${mqtt} on 127.0.0.1 is already in use`);
    });
    test('--host 0.0.0.0 with the default credentials is refused', async () => {
        const line = usageError(await run(['serve', '--host', '0.0.0.0', '--port', '0', '--mqtt-port', '0', '--data-dir', dataDir()]));
        assert.equal(line, 'iot-jobs: error: refusing to listen on 0.0.0.0 with the default development credentials; pass --credentials KEY:SECRET');
    });
    test('--host 0.0.0.0 --credentials without --device-credentials: an open MQTT broker is refused', async () => {
        const line = usageError(await run(['serve', '--host', '0.0.0.0', '--credentials', 'AK:SK', '--port', '0', '--mqtt-port', '0', '--data-dir', dataDir()]));
        assert.equal(line, 'iot-jobs: error: refusing to run an open MQTT broker on 0.0.0.0; pass --device-credentials THING:PASSWORD, or --mqtt-port off to serve devices with certificates over TLS only (or --no-mqtt)');
    });
    test('MQTT over TLS: a certificate without its key, an unreadable file, or TLS with an external broker', async () => {
        const pki = makePki();
        const line1 = usageError(await run(['serve', '--mqtt-tls-cert', pki.server.certFile, '--port', '0', '--data-dir', dataDir()]));
        assert.equal(line1, 'iot-jobs: error: --mqtt-tls-cert and --mqtt-tls-key go together');
        const line2 = usageError(await run(['serve', '--mqtt-tls-cert', '/nonexistent/cert.pem', '--mqtt-tls-key', pki.server.keyFile, '--port', '0', '--data-dir', dataDir()]));
        assert.equal(line2, 'iot-jobs: error: --mqtt-tls-cert: cannot read /nonexistent/cert.pem (ENOENT)');
        const line3 = usageError(await run(['serve', '--mqtt-url', 'mqtt://127.0.0.1:1883', '--mqtt-tls-cert', pki.server.certFile, '--mqtt-tls-key', pki.server.keyFile, '--port', '0', '--data-dir', dataDir()]));
        assert.equal(line3, 'iot-jobs: error: --mqtt-tls-* configure the embedded broker; they do not go with --mqtt-url or --no-mqtt');
        const line4 = usageError(await run(['serve', '--mqtt-tls-port', 'off', '--mqtt-tls-ca', pki.ca.certFile, '--port', '0', '--data-dir', dataDir()]));
        assert.equal(line4, 'iot-jobs: error: --mqtt-tls-port off turns the TLS listener off; drop --mqtt-tls-cert, --mqtt-tls-key and --mqtt-tls-ca');
    });
    test('a refused start writes nothing into the data directory', async () => {
        const dir = dataDir();
        usageError(await run(['serve', '--port', 'abc', '--data-dir', dir]));
        assert.deepEqual(readdirSync(dir), []);
    });
});
describe('starting and stopping', () => {
    test('--host 0.0.0.0 --credentials AK:SK --no-mqtt starts (no broker), and SIGTERM stops it', async () => {
        const s = await start(['--host', '0.0.0.0', '--credentials', 'AK:SK', '--no-mqtt', '--data-dir', dataDir()]);
        assert.equal(s.mqttUrl, undefined);
        const port = new URL(s.url).port;
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(health.status, 200);
        assert.deepEqual(await health.json(), { status: 'ok' });
        s.child.kill('SIGTERM');
        assert.equal(await exitOf(s), 0);
    });
    test('--host 0.0.0.0 with device certificates only (--mqtt-port off, --mqtt-tls-ca) starts a TLS-only broker', async () => {
        const pki = makePki();
        const s = await start([
            '--host', '0.0.0.0', '--credentials', 'AK:SK', '--mqtt-port', 'off',
            '--mqtt-tls-cert', pki.server.certFile, '--mqtt-tls-key', pki.server.keyFile, '--mqtt-tls-ca', pki.ca.certFile, '--mqtt-tls-port', '0',
            '--data-dir', dataDir(),
        ]);
        assert.match(s.mqttUrl ?? '', /^mqtts:\/\/0\.0\.0\.0:\d+$/);
        s.child.kill('SIGTERM');
        assert.equal(await exitOf(s), 0);
    });
    test('IOT_JOBS_PORT works like --port', async () => {
        const port = await freePort();
        const child = spawn(process.execPath, [CLI, 'serve', '--mqtt-port', '0', '--data-dir', dataDir()], {
            env: { ...process.env, IOT_JOBS_PORT: String(port) },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
        const s = { child, url: '', mqttUrl: undefined, output: () => out, exited };
        servers.push(s);
        const ready = await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${out}`)), 20_000);
            const onData = (b) => {
                out += b.toString();
                const line = out.split('\n').find((l) => l.includes('"msg":"iot-jobs ready"'));
                if (line) {
                    clearTimeout(timer);
                    resolve(JSON.parse(line));
                }
            };
            child.stdout.on('data', onData);
            child.stderr.on('data', onData);
            void exited.then((code) => {
                clearTimeout(timer);
                reject(new Error(`server exited with ${code} before listening:\n${out}`));
            });
        });
        assert.equal(new URL(ready.http).port, String(port));
        const health = await fetch(`http://127.0.0.1:${port}/health`);
        assert.equal(health.status, 200);
        child.kill('SIGTERM');
        assert.equal(await exitOf(s), 0);
    });
    test('--port wins over IOT_JOBS_PORT', async () => {
        const envPort = await takenPort();
        // spawnServer passes --port 0: the flag must win, or this start would fail on the taken port.
        const s = await start(['--data-dir', dataDir()], { IOT_JOBS_PORT: String(envPort) });
        assert.notEqual(new URL(s.url).port, String(envPort));
        s.child.kill('SIGTERM');
        assert.equal(await exitOf(s), 0);
    });
    test('SIGTERM: a clean shutdown with exit code 0', async () => {
        const s = await start(['--data-dir', dataDir()]);
        assert.ok(s.mqttUrl?.startsWith('mqtt://'), s.mqttUrl);
        s.child.kill('SIGTERM');
        assert.equal(await exitOf(s), 0);
        assert.match(s.output(), /"signal":"SIGTERM".*"msg":"iot-jobs shutting down"/);
    });
    test('a restart over the same --data-dir keeps the data', async () => {
        const dir = dataDir();
        const first = await start(['--data-dir', dir]);
        const iot1 = iotClient(first.url);
        const created = await iot1.send(new CreateThingCommand({ thingName: 'kept:thing-1', attributePayload: { attributes: { site: 'lab' } } }));
        assert.equal(created.thingName, 'kept:thing-1');
        iot1.destroy();
        first.child.kill('SIGTERM');
        assert.equal(await exitOf(first), 0);
        const second = await start(['--data-dir', dir]);
        const iot2 = iotClient(second.url);
        try {
            const found = await iot2.send(new DescribeThingCommand({ thingName: 'kept:thing-1' }));
            assert.equal(found.thingName, 'kept:thing-1');
            assert.equal(found.thingArn, created.thingArn);
            assert.equal(found.thingId, created.thingId);
            assert.deepEqual(found.attributes, { site: 'lab' });
        }
        finally {
            iot2.destroy();
        }
        second.child.kill('SIGTERM');
        assert.equal(await exitOf(second), 0);
    });
});
describe('every bad flag or environment value: exit 2, one line on stderr', () => {
    const cases = [
        ['--log-level loud', ['--log-level', 'loud'], {}],
        ['IOT_JOBS_LOG_LEVEL=loud', [], { IOT_JOBS_LOG_LEVEL: 'loud' }],
        ['--db-pool-size abc', ['--db-pool-size', 'abc'], {}],
        ['IOT_JOBS_DELETION_RATE=-1', [], { IOT_JOBS_DELETION_RATE: '-1' }],
        ['--region nowhere', ['--region', 'nowhere'], {}],
        ['--account-id 12', ['--account-id', '12'], {}],
        ['--credentials nocolon', ['--credentials', 'nocolon'], {}],
        ['--device-credentials bad', ['--device-credentials', 'bad'], {}],
        ['--database-url mysql://x', ['--database-url', 'mysql://x'], {}],
        ['--mqtt-url http://x', ['--mqtt-url', 'http://x'], {}],
        ['--mqtt-port abc', ['--mqtt-port', 'abc'], {}],
        ['IOT_JOBS_DB_POOL_SIZE=0', [], { IOT_JOBS_DB_POOL_SIZE: '0' }],
        ['--data-dir under a file', ['--data-dir', '/dev/null/iot-jobs'], {}],
    ];
    for (const [name, args, env] of cases) {
        test(name, async () => {
            const withDir = args.includes('--data-dir') ? args : [...args, '--data-dir', dataDir()];
            const line = usageError(await run(['serve', '--port', '0', '--mqtt-port', '0', ...withDir], env));
            assert.doesNotMatch(line, /\bat \w|Error:/, line);
        });
    }
});
describe('one SQLite data directory serves one server', () => {
    test('a second serve on the same --data-dir refuses (exit 2, one line); after kill -9 of the first a new one starts', async () => {
        const dir = dataDir();
        const first = await start(['--data-dir', dir]);
        const line = usageError(await run(['serve', '--port', '0', '--mqtt-port', '0', '--data-dir', dir]));
        assert.match(line, /in use by another iot-jobs server/);
        // The first is untouched by the refused second.
        const iot = iotClient(first.url);
        await iot.send(new CreateThingCommand({ thingName: 'lock-1' }));
        first.child.kill('SIGKILL');
        assert.equal(await exitOf(first), 'SIGKILL');
        const next = await start(['--data-dir', dir]);
        const iot2 = iotClient(next.url);
        assert.equal((await iot2.send(new DescribeThingCommand({ thingName: 'lock-1' }))).thingName, 'lock-1');
        iot.destroy();
        iot2.destroy();
        next.child.kill('SIGTERM');
        assert.equal(await exitOf(next), 0);
    });
});
//# sourceMappingURL=cli.test.js.map