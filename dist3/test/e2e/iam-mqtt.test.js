/**
 * Applications on MQTT (the SigV4 WebSocket) are IAM users under --iam-policies: their policies
 * decide iot:Connect, iot:Subscribe (topicfilter/...) and iot:Receive, as AWS authorizes IAM
 * identities on MQTT; only the file's keys are accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { ACCOUNT, REGION, startServer } from '../support/harness.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';
const R = `arn:aws:iot:${REGION}:${ACCOUNT}`;
/** The CONNACK reason code a connection gets (0: accepted), within 10 s. */
function connackOf(url, clientId) {
    return new Promise((resolve, reject) => {
        const c = mqtt.connect(url, { clientId, protocolVersion: 5, reconnectPeriod: 0 });
        const timer = setTimeout(() => (c.end(true), reject(new Error('no CONNACK in 10 s'))), 10_000);
        const done = (code) => {
            clearTimeout(timer);
            c.end(true);
            resolve(code);
        };
        c.once('connect', () => done(0));
        c.once('error', (err) => done(typeof err.code === 'number' ? err.code : -1));
    });
}
/** The HTTP status of a WebSocket upgrade to `url`. */
function upgradeStatus(url) {
    return new Promise((resolve, reject) => {
        const u = new URL(url);
        const req = request({
            host: u.hostname,
            port: u.port,
            path: u.pathname + u.search,
            headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': 'mqtt' },
        });
        req.on('upgrade', (res, socket) => (socket.destroy(), resolve(res.statusCode)));
        req.on('response', (res) => (res.resume(), resolve(res.statusCode)));
        req.on('error', reject);
        req.end();
    });
}
test('an application is authorized by its IAM user: a subscription its policy does not allow is refused, the connection stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-mqtt-'));
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({
        users: [
            {
                name: 'monitor',
                accessKeyId: 'AKIDMONITOR',
                secretAccessKey: 'monitor-secret',
                policies: [
                    {
                        Version: '2012-10-17',
                        Statement: [
                            { Sid: 'Connect', Effect: 'Allow', Action: 'iot:Connect', Resource: `${R}:client/monitor-*` },
                            { Sid: 'JobEvents', Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${R}:topicfilter/$aws/events/job/*` },
                        ],
                    },
                ],
            },
            { name: 'nobody', accessKeyId: 'AKIDNOBODY', secretAccessKey: 'nobody-secret', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iot:DescribeJob', Resource: '*' }] }] },
        ],
    }));
    const s = await startServer('sqlite', { mqttPort: 0, iamPolicies: file });
    const url = (accessKeyId, secretAccessKey) => presignMqttUrl({ url: s.app.mqttWsUrl, region: REGION, credentials: { accessKeyId, secretAccessKey } });
    try {
        const app = await mqtt.connectAsync(await url('AKIDMONITOR', 'monitor-secret'), { clientId: 'monitor-1', protocolVersion: 5, reconnectPeriod: 0 });
        const granted = await app.subscribeAsync('$aws/events/job/#', { qos: 1 });
        assert.equal(granted[0].qos, 1, 'an allowed filter is granted');
        // mqtt.js rejects a SUBACK failure with the packet: 0x87 (Not authorized) for MQTT 5.
        const refused = await app.subscribeAsync('$aws/events/#', { qos: 1 }).then(() => undefined, (err) => err.packet?.granted?.[0] ?? err.packet?.reasonCode);
        assert.equal(refused, 135, 'a filter the policy does not allow: SUBACK 0x87 (MQTT 5)');
        assert.equal(app.connected, true, 'the connection stays up');
        await app.endAsync();
        // A client id the policy does not allow, and a user with no iot:Connect: CONNACK 0x87.
        assert.equal(await connackOf(await url('AKIDMONITOR', 'monitor-secret'), 'other-1'), 135);
        assert.equal(await connackOf(await url('AKIDNOBODY', 'nobody-secret'), 'monitor-2'), 135);
        // The development pair is not one of the file's keys: refused at the upgrade (HTTP 403).
        assert.equal(await upgradeStatus(await url('test', 'test')), 403);
    }
    finally {
        await s.close();
        rmSync(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=iam-mqtt.test.js.map