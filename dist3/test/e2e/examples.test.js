import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand, IoTClient } from '@aws-sdk/client-iot';
import { CLI, spawnServer } from '../support/process.js';
import { eventually, thingArn } from '../support/harness.js';
import { ROOT } from '../support/readme.js';
/**
 * The files in examples/, run as a user would run them: the JS and Python devices against a real
 * `iot-jobs serve` process, each working two jobs to SUCCEEDED over MQTT, and the CI script
 * starting its own server, running its test and stopping it (and failing when the test fails).
 */
const dirs = [];
const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'iot-jobs-examples-'));
    dirs.push(d);
    return d;
};
after(() => {
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
function start(cmd, args, env = process.env) {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b.toString()));
    child.stderr.on('data', (b) => (out += b.toString()));
    const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    return { child, output: () => out, exited };
}
async function freePort() {
    const s = createServer();
    await new Promise((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise((r) => s.close(() => r()));
    return port;
}
describe('example devices over MQTT', () => {
    let server;
    let iot;
    before(async () => {
        server = await spawnServer(['--data-dir', tmp()]);
        const config = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
        iot = new IoTClient(config);
    });
    after(async () => {
        iot.destroy();
        server.child.kill('SIGTERM');
        await server.exited;
    });
    const mqtt = () => new URL(server.mqttUrl);
    const devices = [
        ['examples/device.mjs', () => [process.execPath, ['examples/device.mjs', 'ex-js-1', server.mqttUrl]]],
        ['examples/device.py', () => ['/usr/bin/python3', ['examples/device.py', 'ex-py-1', mqtt().hostname, mqtt().port]]],
    ];
    for (const [file, command] of devices) {
        test(`${file} works a job that was queued before it connected, and one that comes while it runs`, async () => {
            const [cmd, args] = command();
            const thing = args[1];
            await iot.send(new CreateThingCommand({ thingName: thing }));
            await iot.send(new CreateJobCommand({ jobId: `${thing}-fw-1`, targets: [thingArn(thing)], document: '{"version":"1"}' }));
            const device = start(cmd, args);
            try {
                await eventually(async () => device.output().includes(`${thing}: ${thing}-fw-1 SUCCEEDED`), 30_000, `${thing}-fw-1 done\n${device.output()}`);
                // The second job reaches it through notify-next.
                await iot.send(new CreateJobCommand({ jobId: `${thing}-fw-2`, targets: [thingArn(thing)], document: '{"version":"2"}' }));
                await eventually(async () => device.output().includes(`${thing}: ${thing}-fw-2 SUCCEEDED`), 30_000, `${thing}-fw-2 done\n${device.output()}`);
                for (const jobId of [`${thing}-fw-1`, `${thing}-fw-2`]) {
                    const { execution } = await iot.send(new DescribeJobExecutionCommand({ thingName: thing, jobId }));
                    assert.equal(execution?.status, 'SUCCEEDED', device.output());
                    assert.deepEqual(execution?.statusDetails, { detailsMap: { step: 'done' } });
                }
                assert.match(device.output(), new RegExp(`${thing}: ${thing}-fw-2 IN_PROGRESS \\{"version": ?"2"\\}`));
            }
            finally {
                device.child.kill('SIGTERM');
                await device.exited;
            }
        });
    }
});
describe('examples/ci/run.sh', () => {
    const env = async () => {
        // node --test marks its children; a `node --test` among them would then run nothing.
        const { NODE_TEST_CONTEXT: _, ...rest } = process.env;
        return { ...rest, IOT_JOBS: `${process.execPath} ${CLI}`, IOT_JOBS_PORT: String(await freePort()), IOT_JOBS_MQTT_PORT: '0' };
    };
    test('starts iot-jobs in the background, runs its test against it, stops it', async () => {
        const e = await env();
        const run = start('bash', ['examples/ci/run.sh'], e);
        const code = await run.exited;
        assert.equal(code, 0, run.output());
        assert.match(run.output(), /^# pass 1$/m);
        assert.match(run.output(), /^# fail 0$/m);
        // Stopped: nothing listens on its port any more.
        await assert.rejects(fetch(`http://127.0.0.1:${e.IOT_JOBS_PORT}/health`));
    });
    test('a failing test fails the script, which then shows the server log', async () => {
        const run = start('bash', ['examples/ci/run.sh', 'bash', '-c', 'curl -fsS "$IOT_JOBS_ENDPOINT/health" && exit 3'], await env());
        const code = await run.exited;
        assert.equal(code, 3, run.output());
        assert.match(run.output(), /"status":"ok"/);
        assert.match(run.output(), /--- iot-jobs log/);
        assert.match(run.output(), /"msg":"iot-jobs ready"/);
    });
});
//# sourceMappingURL=examples.test.js.map