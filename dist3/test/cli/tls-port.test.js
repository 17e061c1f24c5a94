import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_MQTT_TLS_PORT, resolveConfig } from '../../src/config/config.js';
import { CLI, spawnServer } from '../support/process.js';
const run = promisify(execFile);
/**
 * The MQTT TLS listener is on by default on a stable port (7022). Taken, the default one moves
 * (warn, and say where), since a TLS device verifies the server; an asked-for port taken is an error.
 */
const servers = [];
after(async () => {
    for (const s of servers)
        s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
});
const dataDir = () => mkdtempSync(join(tmpdir(), 'iot-jobs-tls-port-'));
async function hold(port) {
    const holder = createServer();
    const held = await new Promise((resolve) => {
        holder.once('error', () => resolve(false));
        holder.listen(port, '127.0.0.1', () => resolve(true));
    });
    return held ? holder : undefined;
}
test('the default TLS port is 7022, and on by default; --mqtt-tls-port off turns it off', () => {
    assert.equal(DEFAULT_MQTT_TLS_PORT, 7022);
    assert.deepEqual(resolveConfig({}, {}, false).mqttTls, { port: 7022, movable: true, cert: undefined, key: undefined, ca: undefined });
    assert.equal(resolveConfig({ mqttTlsPort: 'off' }, {}, false).mqttTls, undefined);
    assert.equal(resolveConfig({ mqttTlsPort: '0' }, {}, false).mqttTls?.movable, false);
});
test('the default TLS port taken: a warning, another port in the ready line; `iot-jobs ca` prints the CA', async () => {
    const holder = await hold(DEFAULT_MQTT_TLS_PORT);
    try {
        const s = await spawnServer(['--data-dir', dataDir(), '--log-format', 'json']);
        servers.push(s);
        const ready = JSON.parse(s.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"')));
        const port = Number(new URL(ready.mqttTls).port);
        assert.ok(port > 0 && port !== DEFAULT_MQTT_TLS_PORT, ready.mqttTls);
        assert.match(s.output(), new RegExp(`MQTT TLS port ${DEFAULT_MQTT_TLS_PORT} on 127.0.0.1 is in use; listening on ${port} instead`));
        const { stdout } = await run(process.execPath, [CLI, 'ca', '--endpoint-url', s.url]);
        assert.equal(stdout, await (await fetch(`${s.url}/_iot-jobs/ca.pem`)).text());
        assert.match(stdout, /^-----BEGIN CERTIFICATE-----\n/);
    }
    finally {
        await new Promise((r) => (holder ? holder.close(() => r()) : r()));
    }
});
test('an asked-for TLS port that is taken is an error (exit 2)', async () => {
    const holder = createServer();
    const port = await new Promise((resolve) => holder.listen(0, '127.0.0.1', () => resolve(holder.address().port)));
    try {
        const r = await run(process.execPath, [CLI, 'serve', '--port', '0', '--mqtt-port', '0', '--mqtt-tls-port', String(port), '--data-dir', dataDir()]).then(() => ({ code: 0, stderr: '' }), (e) => e);
        assert.equal(r.code, 2);
        assert.equal(r.stderr, `iot-jobs: error: MQTT TLS port ${port} on 127.0.0.1 is already in use\n`);
    }
    finally {
        await new Promise((r) => holder.close(() => r()));
    }
});
//# sourceMappingURL=tls-port.test.js.map