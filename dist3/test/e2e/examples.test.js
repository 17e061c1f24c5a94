import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, DescribeJobExecutionCommand, DescribeThingCommand, IoTClient } from '@aws-sdk/client-iot';
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
    /** TMPDIR of the run: its data directory is made under it, so what is left of the run can be found. */
    const env = (more = {}) => {
        // node --test marks its children; a `node --test` among them would then run nothing.
        const { NODE_TEST_CONTEXT: _, ...rest } = process.env;
        return { ...rest, TMPDIR: tmp(), IOT_JOBS: `${process.execPath} ${CLI}`, ...more };
    };
    /** Processes whose command line names a path under dir (the run's server, its wrapper). */
    const processesUnder = (dir) => readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .map((p) => {
        try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
        }
        catch {
            return '';
        }
    })
        .filter((cmd) => cmd.includes(dir));
    test('starts its own iot-jobs in the background, runs its test against it, stops it', async () => {
        const e = env();
        const run = start('bash', ['examples/ci/run.sh'], e);
        const code = await run.exited;
        assert.equal(code, 0, run.output());
        assert.match(run.output(), /^# pass 1$/m);
        assert.match(run.output(), /^# fail 0$/m);
        assert.deepEqual(processesUnder(e.TMPDIR), []);
    });
    test('with the default IOT_JOBS (npx --no-install iot-jobs): the server under npm exec is stopped too, twice in a row', async () => {
        const { IOT_JOBS: _, ...e } = env();
        for (const round of [1, 2]) {
            const run = start('bash', ['examples/ci/run.sh'], e);
            const code = await run.exited;
            assert.equal(code, 0, `round ${round}: ${run.output()}`);
            assert.match(run.output(), /^# pass 1$/m);
            // Nothing is left of the run: not npm exec, not the node server under it.
            await eventually(async () => processesUnder(e.TMPDIR).length === 0, 10_000, `round ${round}: processes left: ${processesUnder(e.TMPDIR).join('\n')}`);
        }
    });
    test("a dev server already on the port (IOT_JOBS_PORT): the script tests its own server, and the dev server's data stays untouched", async () => {
        const dev = await spawnServer(['--data-dir', tmp()]);
        const devIot = new IoTClient({ endpoint: dev.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
        try {
            const e = env({ IOT_JOBS_PORT: new URL(dev.url).port });
            for (const round of [1, 2]) {
                const run = start('bash', ['examples/ci/run.sh'], e);
                assert.equal(await run.exited, 0, `round ${round}: ${run.output()}`);
                assert.match(run.output(), /^# pass 1$/m);
            }
            // The CI test's thing and job went to the script's own server, not to the dev server.
            await assert.rejects(devIot.send(new DescribeThingCommand({ thingName: 'ci-dev-1' })), { name: 'ResourceNotFoundException' });
            await assert.rejects(devIot.send(new DescribeJobCommand({ jobId: 'ci-fw-2' })), { name: 'ResourceNotFoundException' });
            assert.equal((await fetch(`${dev.url}/health`)).status, 200);
        }
        finally {
            devIot.destroy();
            dev.child.kill('SIGTERM');
            await dev.exited;
        }
    });
    test('a failing test fails the script, which then shows the server log', async () => {
        const run = start('bash', ['examples/ci/run.sh', 'bash', '-c', 'curl -fsS "$IOT_JOBS_ENDPOINT/health" && exit 3'], env());
        const code = await run.exited;
        assert.equal(code, 3, run.output());
        assert.match(run.output(), /"status":"ok"/);
        assert.match(run.output(), /--- iot-jobs log/);
        assert.match(run.output(), /"msg":"iot-jobs ready"/);
    });
});
describe('examples/ci/github-actions.yml', () => {
    test('installs iot-jobs from a packed file while the package is unpublished, and that file carries the command npx runs', async () => {
        const yml = readFileSync(join(ROOT, 'examples/ci/github-actions.yml'), 'utf8');
        const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
        const tarball = `${pkg.name}-${pkg.version}.tgz`;
        assert.match(yml, new RegExp(`"iot-jobs": "file:vendor/${tarball.replace(/\./g, '\\.')}"`));
        assert.doesNotMatch(yml.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n'), /npm i(nstall)? -D iot-jobs/);
        // What `npm pack` puts in the file (without running the build again).
        const pack = start('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { ...process.env, npm_config_loglevel: 'silent' });
        assert.equal(await pack.exited, 0, pack.output());
        const [info] = JSON.parse(pack.output().slice(pack.output().indexOf('[')));
        assert.equal(info.filename, tarball);
        assert.ok(info.files.some((f) => f.path === pkg.bin['iot-jobs']), `${pkg.bin['iot-jobs']} is not in the package`);
    });
});
//# sourceMappingURL=examples.test.js.map