import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, MOSQUITTO_URL, startServer, thingArn } from '../support/harness.js';
import { makePki } from '../support/certs.js';
import { runSdkDevice as runDevice, step } from '../support/sdk-device-run.js';
/**
 * AWS's current device SDK as a device: aws-iot-device-sdk-v2's Mqtt5Client with IotJobsClientv2,
 * its request-response operations and its streaming notify-next, over plain TCP and over mutual
 * TLS built the way AWS's samples build it. The device runs in its own process
 * (test/support/sdk-mqtt5-device.ts).
 */
const sdkInstalled = await import('aws-iot-device-sdk-v2').then(() => true, () => false);
for (const backend of BACKENDS) {
    for (const broker of ['embedded', 'mosquitto']) {
        describe(`AWS IoT Device SDK v2 Mqtt5Client + IotJobsClientv2 [${backend}, ${broker} broker]`, { skip: sdkInstalled ? false : 'aws-iot-device-sdk-v2 is not installed' }, () => {
            const run = randomBytes(3).toString('hex');
            let pki;
            let s;
            before(async () => {
                pki = makePki();
                s = await startServer(backend, broker === 'embedded'
                    ? { mqttPort: 0, mqttTls: { port: 0, cert: Buffer.from(pki.server.cert), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca.cert) } }
                    : { mqttUrl: MOSQUITTO_URL });
            });
            after(async () => {
                await s.close();
            });
            const transports = broker === 'embedded' ? ['tcp', 'mtls'] : ['tcp'];
            for (const transport of transports) {
                test(`notify-next stream, start-next, a rejected and an accepted update [${transport}]`, async () => {
                    const thing = `sdk5-${transport}-${run}`;
                    const jobId = `sdk5-job-${transport}-${run}`;
                    await s.iot.send(new CreateThingCommand({ thingName: thing }));
                    const url = new URL(transport === 'mtls' ? s.app.mqttTlsUrl : (s.app.mqttUrl ?? MOSQUITTO_URL));
                    const env = { THING: thing, MQTT_HOST: url.hostname, MQTT_PORT: url.port };
                    if (transport === 'mtls') {
                        const cert = pki.device(thing);
                        Object.assign(env, { CERT: cert.certFile, KEY: cert.keyFile, CA: pki.ca.certFile });
                    }
                    const steps = await runDevice(env, () => s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"sdk":"v2-mqtt5"}' })));
                    const connected = step(steps, 'connected');
                    assert.equal(connected.reasonCode, 0);
                    if (broker === 'embedded') {
                        assert.equal(connected.maximumQos, 1, 'the embedded broker says it serves QoS 0 and 1');
                        assert.equal(connected.maximumPacketSize, 128 * 1024 + 1024);
                    }
                    assert.deepEqual(step(steps, 'notify-next'), { step: 'notify-next', jobId, status: 'QUEUED', jobDocument: { sdk: 'v2-mqtt5' } });
                    assert.deepEqual(step(steps, 'started'), { step: 'started', jobId, status: 'IN_PROGRESS', versionNumber: 2 });
                    assert.equal(step(steps, 'stale-update').code, 'VersionMismatch');
                    assert.deepEqual(step(steps, 'updated').executionState, { status: 'SUCCEEDED', versionNumber: 3 });
                    step(steps, 'done');
                    const described = await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing }));
                    assert.equal(described.execution?.status, 'SUCCEEDED');
                });
            }
        });
    }
}
//# sourceMappingURL=device-sdk-mqtt5.test.js.map