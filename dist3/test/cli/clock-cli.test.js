import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, spawnServer } from '../support/process.js';
const run = promisify(execFile);
describe('iot-jobs clock', () => {
    test('show, advance 90s|5m|2h, set <ISO>, across a kill -9; errors exit non-zero with one line', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-clock-'));
        let server = await spawnServer(['--data-dir', dir, '--no-mqtt'], { IOT_JOBS_CLOCK: 'manual' });
        const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.url };
        const clock = async (...args) => JSON.parse((await run(process.execPath, [CLI, 'clock', ...args], { env })).stdout);
        try {
            const t0 = Date.parse((await clock('show')).now);
            assert.equal((await clock('show')).mode, 'manual');
            assert.equal(Date.parse((await clock('advance', '90s')).now), t0 + 90_000);
            assert.equal(Date.parse((await clock('advance', '5m')).now), t0 + 390_000);
            assert.equal(Date.parse((await clock('advance', '2h')).now), t0 + 390_000 + 7_200_000);
            const target = new Date(t0 + 86_400_000).toISOString();
            assert.equal((await clock('set', target)).now, target);
            await assert.rejects(run(process.execPath, [CLI, 'clock', 'set', new Date(t0).toISOString()], { env }), /InvalidRequestException|earlier/);
            await assert.rejects(run(process.execPath, [CLI, 'clock', 'advance', 'soon'], { env }), (e) => e.code === 2 && /duration/.test(e.stderr ?? ''));
            // kill -9: the acknowledged time survives.
            server.child.kill('SIGKILL');
            await server.exited;
            server = await spawnServer(['--data-dir', dir, '--no-mqtt', '--clock', 'manual']);
            env.AWS_ENDPOINT_URL = server.url;
            assert.equal((await clock('show')).now, target);
            // The flag wins over the environment: --clock system over this data, whose manual clock ran
            // ahead, is refused (it would go back in time); over fresh data it runs on the system clock.
            server.child.kill('SIGTERM');
            await server.exited;
            await assert.rejects(spawnServer(['--data-dir', dir, '--no-mqtt', '--clock', 'system'], { IOT_JOBS_CLOCK: 'manual' }), /this data ran on --clock manual/);
            const fresh = join(dir, 'fresh');
            server = await spawnServer(['--data-dir', fresh, '--no-mqtt', '--clock', 'system'], { IOT_JOBS_CLOCK: 'manual' });
            env.AWS_ENDPOINT_URL = server.url;
            assert.equal((await clock('show')).mode, 'system');
            await assert.rejects(run(process.execPath, [CLI, 'clock', 'advance', '5m'], { env }), /400/);
        }
        finally {
            server.child.kill('SIGKILL');
            await server.exited;
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=clock-cli.test.js.map