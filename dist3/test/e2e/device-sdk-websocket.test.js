import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateThingCommand } from '@aws-sdk/client-iot';
import { CREDENTIALS, REGION, startServer } from '../support/harness.js';
import { Device } from '../support/device.js';
const sdk = (await import('aws-iot-device-sdk-v2'));
const tag = randomBytes(3).toString('hex');
describe('aws-iot-device-sdk-v2 as an application over a SigV4-signed WebSocket', () => {
    let s;
    const closers = [];
    before(async () => {
        s = await startServer('sqlite', { mqttPort: 0 });
    });
    after(async () => {
        for (const c of closers)
            await c().catch(() => { });
        await s.close();
    });
    async function connect(clientId, credentials) {
        const u = new URL(s.app.mqttWsUrl);
        const provider = sdk.auth.AwsCredentialsProvider.newStatic(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken);
        // The SDK's own websocket builder signs the handshake; without its TLS context: ws://, on the HTTP port.
        const builder = sdk.iot.AwsIotMqttConnectionConfigBuilder.new_with_websockets({ region: REGION, credentials_provider: provider });
        const config = { ...builder.params, tls_ctx: undefined, host_name: u.hostname, port: Number(u.port), client_id: clientId, clean_session: true, keep_alive: 30, socket_options: new sdk.io.SocketOptions() };
        const connection = new sdk.mqtt.MqttClient().new_connection(config);
        connection.on('error', () => { });
        await connection.connect();
        closers.push(() => connection.disconnect());
        return connection;
    }
    test('connects with static credentials, subscribes to $aws/events and receives a device presence event', async () => {
        const connection = await connect(`appmqtt-sdk-app-${tag}`, CREDENTIALS);
        const thing = `appmqtt-sdkdev-${tag}`;
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        const got = new Promise((resolve) => connection.subscribe(`$aws/events/presence/+/${thing}`, sdk.mqtt.QoS.AtLeastOnce, (topic, payload) => resolve({ topic, body: JSON.parse(Buffer.from(payload).toString('utf8')) })));
        // subscribe() resolves on the SUBACK.
        await new Promise((r) => setTimeout(r, 100));
        const dev = await Device.connect(s.app.mqttUrl, thing, {}, false);
        closers.push(() => dev.client.endAsync());
        const event = await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('no presence event')), 5000))]);
        assert.equal(event.topic, `$aws/events/presence/connected/${thing}`);
        assert.equal(event.body.clientId, thing);
        assert.equal(event.body.eventType, 'connected');
    });
    test('a session token is sent beside the signature and accepted; a wrong secret is refused', async () => {
        await connect(`appmqtt-sdk-token-${tag}`, { ...CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjE+token/=' });
        await assert.rejects(connect(`appmqtt-sdk-bad-${tag}`, { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: 'wrong' }));
    });
});
//# sourceMappingURL=device-sdk-websocket.test.js.map