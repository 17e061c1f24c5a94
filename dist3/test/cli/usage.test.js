import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/process.js';
import { ROOT } from '../support/readme.js';
import { DEFAULT_MQTT_PORT, resolveConfig } from '../../src/config/config.js';
/** `iot-jobs --help`, the package a global install gets, and the stable default MQTT port. */
const dirs = [];
after(() => {
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
function run(cmd, args, timeoutMs = 120_000) {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b.toString()));
    child.stderr.on('data', (b) => (stderr += b.toString()));
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${cmd} ${args.join(' ')} did not exit\n${stdout}\n${stderr}`));
        }, timeoutMs);
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}
/** The command names in a commander help text's Commands: section. */
function commands(help) {
    const section = help.split(/^Commands:$/m)[1] ?? '';
    return [...section.matchAll(/^  (\S+)/gm)].map((m) => m[1]);
}
test('iot-jobs --help lists the commands, and each one has its own --help', async () => {
    const r = await run(process.execPath, [CLI, '--help']);
    assert.equal(r.code, 0, r.stderr);
    const listed = commands(r.stdout);
    assert.ok(listed.includes('serve'), r.stdout);
    assert.ok(listed.includes('help'), r.stdout);
    for (const name of listed.filter((c) => c !== 'help')) {
        const sub = await run(process.execPath, [CLI, name, '--help']);
        assert.equal(sub.code, 0, `${name} --help: ${sub.stderr}`);
        assert.match(sub.stdout, new RegExp(`^Usage: iot-jobs ${name}`, 'm'));
    }
    const serve = await run(process.execPath, [CLI, 'serve', '--help']);
    assert.match(serve.stdout, /--log-format <format>/);
    assert.match(serve.stdout, new RegExp(`default ${DEFAULT_MQTT_PORT}\\)`));
});
test('the packed package has what `npm i -g` and npx need: the bin, the models, LICENSE, README, CHANGELOG', async () => {
    const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']);
    assert.equal(r.code, 0, r.stderr);
    const [pack] = JSON.parse(r.stdout);
    const files = new Set(pack.files.map((f) => f.path));
    for (const f of ['package.json', 'dist/src/cli/main.js', 'dist/src/log.js', 'dist/src/metrics.js', 'src/model/iot.json', 'src/model/iot-jobs-data.json', 'LICENSE', 'README.md', 'CHANGELOG.md'])
        assert.ok(files.has(f), `${f} is not in the package`);
    assert.ok(![...files].some((f) => f.startsWith('dist/test/') || f.startsWith('test/')), 'tests are packed');
});
test('the default MQTT port is 7021, stable: taken, it is an error (exit 2), never a move to a random port', async () => {
    assert.equal(DEFAULT_MQTT_PORT, 7021);
    assert.equal(resolveConfig({}, {}, false).mqttPort, 7021);
    // Hold the default port (if something else already holds it, the outcome must be the same).
    const holder = createServer();
    const held = await new Promise((resolve) => {
        holder.once('error', () => resolve(false));
        holder.listen(DEFAULT_MQTT_PORT, '127.0.0.1', () => resolve(true));
    });
    try {
        const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-usage-'));
        dirs.push(dir);
        const r = await run(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], 30_000);
        assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
        assert.equal(r.stderr, `iot-jobs: error: MQTT port ${DEFAULT_MQTT_PORT} on 127.0.0.1 is already in use\n`);
    }
    finally {
        if (held)
            await new Promise((r) => holder.close(() => r()));
    }
});
//# sourceMappingURL=usage.test.js.map