import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateCommandCommand } from '@aws-sdk/client-iot';
import { eventually, startServer } from '../support/harness.js';
import { awsEnv, runCli, startCli } from '../support/cli.js';
import { decide } from '../../src/cli/sim-mix.js';
import { CreateThingCommand } from '@aws-sdk/client-iot';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CommandDevice } from '../support/command-device.js';
import { readmeBlock } from '../support/readme.js';
import { CLI } from '../support/process.js';
const totalsOf = (run) => run
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
// `iot-jobs commands send` against `iot-jobs simulate` devices: the real CLI, both sides, over the embedded broker.
describe('iot-jobs commands send, answered by iot-jobs simulate', () => {
    const run = randomBytes(3).toString('hex');
    const prefix = `commands-sim-${run}-`;
    const seed = 'commands-seed';
    let s;
    let sim;
    before(async () => {
        s = await startServer('sqlite', { mqttPort: 0 });
        sim = startCli(['simulate', '--things', '4', '--prefix', prefix, '--fail', '0.5', '--work-time', '0', '--seed', seed, '--output', 'json', '--interval', '0.2'], awsEnv(s.url));
        await sim.waitFor(/devices connected/, 30_000, 'stderr');
    });
    after(async () => {
        sim.child.kill('SIGINT');
        await sim.exited;
        await s.close();
    });
    test('send waits for the outcome the device drew, prints it, and exits 0 only on SUCCEEDED', async () => {
        const cmd = `commands-cli-${run}`;
        await s.iot.send(new CreateCommandCommand({
            commandId: cmd,
            payloadTemplate: '{"level":"${aws:iot:commandexecution::parameter:level}"}',
            preprocessor: { awsJsonSubstitution: { outputFormat: 'JSON' } },
            mandatoryParameters: [{ name: 'level', type: 'INTEGER' }],
        }));
        const statuses = [];
        for (let i = 1; i <= 4; i++) {
            const thing = `${prefix}${String(i).padStart(4, '0')}`;
            const r = await runCli(['commands', 'send', thing, cmd, '--param', 'level=5', '--timeout', '30', '--output', 'json'], awsEnv(s.url));
            const out = JSON.parse(r.stdout);
            assert.equal(out.parameters.level.I, 5);
            const { outcome } = decide(seed, thing, `command:${out.executionId}`, 1, { succeed: 0.5, fail: 0.5, reject: 0, hang: 0 }, [0, 0]);
            assert.equal(out.status, outcome === 'succeed' ? 'SUCCEEDED' : 'FAILED', thing);
            if (out.status === 'SUCCEEDED')
                assert.deepEqual(out.result, { done: true });
            assert.equal(r.code, out.status === 'SUCCEEDED' ? 0 : 1, r.stderr);
            statuses.push(out.status);
        }
        await eventually(async () => {
            const t = totalsOf(sim).at(-1);
            return t.commands === 4 && t.commandsSucceeded + t.commandsFailed === 4 && t.commandsSucceeded === statuses.filter((x) => x === 'SUCCEEDED').length;
        }, 10_000, 'the simulator to count the four commands');
        const table = await runCli(['commands', 'send', `${prefix}0001`, cmd, '--param', 'level=6'], awsEnv(s.url));
        assert.match(table.stdout, /status\s*│?\s*(SUCCEEDED|FAILED)/);
        const bad = await runCli(['commands', 'send', `${prefix}0001`, cmd, '--param', 'level=high'], awsEnv(s.url));
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /--param level: high is not a whole number/);
        const refused = await runCli(['commands', 'send', `${prefix}0001`, cmd, '--param', 'level=6', '--param', 'other=1'], awsEnv(s.url));
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /ValidationException: .*other/);
    });
    test("README's Send a command, as written: the AWS CLI creates it, iot-jobs commands send prints the device's result", async () => {
        const block = readmeBlock('send-command');
        assert.equal(block.lang, 'sh');
        await s.iot.send(new CreateThingCommand({ thingName: 'lamp-1' }));
        const lamp = await CommandDevice.connect(s.app.mqttUrl, 'lamp-1', 'thing');
        const seen = [];
        lamp.client.on('message', (topic, payload) => {
            const m = /executions\/([^/]+)\/request\/json$/.exec(topic);
            if (!m)
                return;
            seen.push(payload.toString());
            void lamp.update(m[1], { status: 'SUCCEEDED', result: { brightness: { s: '70%' } } });
        });
        const bin = mkdtempSync(join(tmpdir(), 'commands-bin-'));
        try {
            writeFileSync(join(bin, 'iot-jobs'), `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
            chmodSync(join(bin, 'iot-jobs'), 0o755);
            // Not spawnSync: the server runs in this process.
            const r = await promisify(execFile)('bash', ['-e', '-c', block.code], { env: awsEnv(s.url, { PATH: `${bin}:${process.env.PATH}`, AWS_DEFAULT_REGION: 'us-east-1' }), timeout: 60_000 });
            assert.deepEqual(seen, ['{"level":7}']);
            assert.match(r.stdout, /SUCCEEDED/);
            assert.match(r.stdout, /result\.brightness\s*│?\s*70%/);
        }
        finally {
            rmSync(bin, { recursive: true, force: true });
            await lamp.close();
        }
    });
});
//# sourceMappingURL=commands.test.js.map