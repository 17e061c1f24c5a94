/**
 * Command execution events ($aws/events/commandExecution/<commandId>/<status>): published for
 * every status change, CREATED included, through the same outbox as the job events (always on:
 * no event configuration key covers them, perimeter.md §6.8).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { CreateCommandCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ACCOUNT, BACKENDS, CREDENTIALS, REGION, eventually, startServer, thingArn } from '../support/harness.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';
import { clockRequest } from '../../src/cli/clock-client.js';
for (const backend of BACKENDS)
    describe(`command execution events [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        let s;
        let sub;
        const seen = [];
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
            sub = await mqtt.connectAsync(await presignMqttUrl({ url: s.app.mqttWsUrl, region: REGION, credentials: CREDENTIALS }), { clientId: `ce-app-${run}`, protocolVersion: 5 });
            sub.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString()) }));
            await sub.subscribeAsync('$aws/events/commandExecution/+/#', { qos: 1 });
        });
        after(async () => {
            await sub?.endAsync();
            await s.close();
        });
        test('CREATED when started, TIMED_OUT ($NO_RESPONSE_FROM_DEVICE) when the device never answers', async () => {
            const commandId = `ce-${run}`;
            const thing = `ce-t-${run}`;
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new CreateCommandCommand({ commandId, payload: { content: new TextEncoder().encode('{"op":"reboot"}'), contentType: 'application/json' } }));
            const commandArn = `arn:aws:iot:${REGION}:${ACCOUNT}:command/${commandId}`;
            const { executionId } = await s.data.send(new StartCommandExecutionCommand({ commandArn, targetArn: thingArn(thing), executionTimeoutSeconds: 10 }));
            const created = await eventually(async () => seen.find((e) => e.topic === `$aws/events/commandExecution/${commandId}/CREATED`), 10_000, 'CREATED');
            assert.deepEqual(created.body, { executionId, status: 'CREATED', eventType: 'COMMAND_EXECUTION', commandArn, targetArn: thingArn(thing), timestamp: created.body.timestamp });
            assert.equal(String(created.body.timestamp).length, 13, 'timestamp in milliseconds');
            const r = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: 11 });
            assert.equal(r.status, 200);
            const timedOut = await eventually(async () => seen.find((e) => e.topic === `$aws/events/commandExecution/${commandId}/TIMED_OUT`), 10_000, 'TIMED_OUT');
            assert.equal(timedOut.body.executionId, executionId);
            assert.deepEqual(timedOut.body.statusReason, { reasonCode: '$NO_RESPONSE_FROM_DEVICE', reasonDescription: '' });
        });
    });
//# sourceMappingURL=command-events.test.js.map