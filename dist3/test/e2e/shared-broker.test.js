import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServer } from '../support/process.js';
import { MOSQUITTO_URL, PG_URL, dropSchema, eventually } from '../support/harness.js';
/**
 * Two iot-jobs deployments on one broker (the real Mosquitto) answer each other's devices: each
 * node announces its deployment on a retained topic, and a node that sees another deployment says
 * so loudly. The nodes of one PostgreSQL deployment are one deployment, and do not.
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
    const d = mkdtempSync(join(tmpdir(), 'operator-broker-'));
    dirs.push(d);
    return d;
};
async function serve(args) {
    const s = await spawnServer(['--log-format', 'json', '--mqtt-url', MOSQUITTO_URL, ...args]);
    servers.push(s);
    return s;
}
const warnings = (s) => s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((l) => l.msg.startsWith('ANOTHER iot-jobs DEPLOYMENT USES THIS MQTT BROKER'));
async function stop(s) {
    s.child.kill('SIGTERM');
    await s.exited;
}
describe('two deployments on one Mosquitto', () => {
    test('each says loudly that the other is there, naming its data and address; the one that started first hears of the second live', async () => {
        const a = await serve(['--data-dir', dataDir()]);
        const b = await serve(['--data-dir', dataDir()]);
        const aData = JSON.parse(a.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"')));
        const bData = JSON.parse(b.output().split('\n').find((l) => l.includes('"msg":"iot-jobs ready"')));
        // Retained: b learns of a at once; a hears b's announcement as it is made.
        const bSaw = await eventually(async () => warnings(b).find((w) => w.other?.data === aData.data), 10_000, 'b warns of a');
        assert.equal(bSaw.level, 50);
        assert.equal(bSaw.other?.http, a.url);
        await eventually(async () => warnings(a).find((w) => w.other?.data === bData.data), 10_000, 'a warns of b');
        await stop(a);
        await stop(b);
        // Their announcements went with them: a third deployment hears of neither.
        const c = await serve(['--data-dir', dataDir()]);
        await new Promise((r) => setTimeout(r, 1500));
        assert.deepEqual(warnings(c).filter((w) => [aData.data, bData.data].includes(w.other?.data ?? '')), []);
        await stop(c);
    });
    test('two nodes of one PostgreSQL deployment are one deployment: no warning between them', async () => {
        const schema = `operator_broker_${process.pid}_${Date.now()}`;
        try {
            const args = ['--database-url', PG_URL, '--database-schema', schema];
            const n1 = await serve(args);
            const n2 = await serve(args);
            await new Promise((r) => setTimeout(r, 1500));
            for (const n of [n1, n2])
                assert.deepEqual(warnings(n).filter((w) => (w.other?.data ?? '').includes(schema)), []);
            await stop(n1);
            await stop(n2);
        }
        finally {
            await dropSchema(schema);
        }
    });
});
//# sourceMappingURL=shared-broker.test.js.map