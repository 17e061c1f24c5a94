import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { randomBytes, randomUUID } from 'node:crypto';
import { CreateJobCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, pgNodes, startServer, thingArn } from '../support/harness.js';
import { jobsSamplePolicy, policyDocument, provision } from '../support/provision.js';
import { runSdkDevice, step } from '../support/sdk-device-run.js';
const run = promisify(execFile);
/**
 * A device provisioned as on AWS (the four CLI commands of the getting-started guide, with
 * /usr/bin/aws), then AWS's device SDKs and paho-mqtt connecting with those files: the
 * certificate, its key, ca.pem from /_iot-jobs/ca.pem and the endpoint from describe-endpoint.
 * The policy is the minimal one of AWS's jobs sample, verbatim (client ids test-*).
 */
const awsIot = createRequire(import.meta.url)('aws-iot-device-sdk');
/** paho-mqtt (Debian's python3-paho-mqtt) with the same files: get, then print the reply. */
const PAHO = String.raw `
import json, os, queue, ssl
import paho.mqtt.client as mqtt
thing = os.environ["THING"]
prefix = f"$aws/things/{thing}/jobs"
inbox = queue.Queue()
c = mqtt.Client(client_id=thing, protocol=mqtt.MQTTv311)
c.tls_set(ca_certs=os.environ["CA"], certfile=os.environ["CERT"], keyfile=os.environ["KEY"], tls_version=ssl.PROTOCOL_TLS_CLIENT)
c.on_message = lambda cl, u, m: inbox.put((m.topic, json.loads(m.payload)))
c.connect(os.environ["MQTT_HOST"], int(os.environ["MQTT_PORT"]))
c.loop_start()
c.subscribe(prefix + "/get/+", qos=1)
c.publish(prefix + "/get", json.dumps({"clientToken": "certs-1"}), qos=1)
topic, msg = inbox.get(timeout=10)
c.loop_stop()
c.disconnect()
print(json.dumps({"topic": topic, "queued": [j["jobId"] for j in msg.get("queuedJobs", [])]}))
`;
const tag = randomBytes(3).toString('hex');
const samplePolicy = (thing) => policyDocument(Object.values(jobsSamplePolicy(thing)));
for (const backend of BACKENDS) {
    describe(`devices provisioned with the AWS CLI [${backend}]`, () => {
        let s;
        before(async () => {
            // No server certificate given: the TLS listener's comes from the own CA.
            s = await startServer(backend, { mqttPort: 0, mqttTls: { port: 0 } });
        });
        after(async () => {
            await s.close();
        });
        test('AWS IoT Device SDK v2: Mqtt5Client with cert, key and ca.pem runs IotJobsClientv2 notify-next, start-next, update (client id test-<uuid>, as the sample)', async () => {
            const thing = `test-certs-v2-${backend}-${tag}`;
            const dev = await provision(s.url, thing, `certs-v2-${backend}-${tag}`, samplePolicy(thing));
            assert.equal(`mqtts://${dev.host}:${dev.port}`, s.app.mqttTlsUrl, 'DescribeEndpoint iot:Data-ATS names the TLS listener');
            const jobId = `certs-v2-job-${tag}`;
            const clientId = `test-${randomUUID()}`;
            const steps = await runSdkDevice({ THING: thing, CLIENT_ID: clientId, MQTT_HOST: dev.host, MQTT_PORT: String(dev.port), CERT: dev.certFile, KEY: dev.keyFile, CA: dev.caFile }, () => s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"certs":1}' })));
            assert.equal(step(steps, 'connected').reasonCode, 0);
            assert.deepEqual(step(steps, 'notify-next'), { step: 'notify-next', jobId, status: 'QUEUED', jobDocument: { certs: 1 } });
            assert.deepEqual(step(steps, 'started'), { step: 'started', jobId, status: 'IN_PROGRESS', versionNumber: 2 });
            assert.equal(step(steps, 'stale-update').code, 'VersionMismatch');
            assert.deepEqual(step(steps, 'updated').executionState, { status: 'SUCCEEDED', versionNumber: 3 });
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing }))).execution?.status, 'SUCCEEDED');
        });
        test('AWS IoT device SDK v1 (aws-iot-device-sdk) jobs client with the same kind of files runs a job', async () => {
            const thing = `test-certs-v1-${backend}-${tag}`;
            const dev = await provision(s.url, thing, `certs-v1-${backend}-${tag}`, samplePolicy(thing));
            const jobId = `certs-v1-job-${tag}`;
            await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: JSON.stringify({ operation: 'fw' }) }));
            const jobs = awsIot.jobs({ keyPath: dev.keyFile, certPath: dev.certFile, caPath: dev.caFile, clientId: thing, host: dev.host, port: dev.port, reconnectPeriod: 0 });
            const errors = [];
            jobs.on('error', (e) => errors.push(e));
            try {
                jobs.subscribeToJobs(thing, 'fw', (err, job) => {
                    if (err)
                        return void errors.push(err);
                    job.succeeded({ step: 'done' }, (e) => e && errors.push(e));
                });
                jobs.startJobNotifications(thing, (err) => err && errors.push(err));
                await eventually(async () => (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing }))).execution?.status === 'SUCCEEDED', 20_000, 'the v1 SDK to finish the job');
                assert.deepEqual(errors, []);
            }
            finally {
                await new Promise((r) => jobs.end(true, r));
            }
        });
        test('paho-mqtt with the same kind of files gets its pending jobs', async () => {
            const thing = `test-certs-paho-${backend}-${tag}`;
            const dev = await provision(s.url, thing, `certs-paho-${backend}-${tag}`, samplePolicy(thing));
            await s.iot.send(new CreateJobCommand({ jobId: `certs-paho-job-${tag}`, targets: [thingArn(thing)], document: '{}' }));
            const { stdout } = await run('/usr/bin/python3', ['-c', PAHO], {
                env: { ...process.env, MQTT_HOST: dev.host, MQTT_PORT: String(dev.port), THING: thing, CA: dev.caFile, CERT: dev.certFile, KEY: dev.keyFile },
                timeout: 30_000,
            });
            assert.deepEqual(JSON.parse(stdout), { topic: `$aws/things/${thing}/jobs/get/accepted`, queued: [`certs-paho-job-${tag}`] });
        });
        test('ca.pem is served unsigned, and a restart keeps the CA (devices keep trusting the server)', async () => {
            const before = await (await fetch(`${s.url}/_iot-jobs/ca.pem`)).text();
            assert.match(before, /^-----BEGIN CERTIFICATE-----/);
            s = await s.restart();
            assert.equal(await (await fetch(`${s.url}/_iot-jobs/ca.pem`)).text(), before);
        });
    });
}
describe('certificates on PostgreSQL: provisioned through one node, connected to another', () => {
    test('the SDK v2 device runs its job on node 2 with a certificate made on node 1; both serve the same CA', async () => {
        const pg = await pgNodes(2, { clock: 'system', mqttPort: 0, mqttTls: { port: 0 } });
        try {
            const [a, b] = pg.nodes;
            assert.equal(await (await fetch(`${a.url}/_iot-jobs/ca.pem`)).text(), await (await fetch(`${b.url}/_iot-jobs/ca.pem`)).text());
            const thing = `test-certs-pg-${tag}`;
            const dev = await provision(a.url, thing, `certs-pg-${tag}`, samplePolicy(thing));
            const port = new URL(b.app.mqttTlsUrl).port;
            const jobId = `certs-pg-job-${tag}`;
            // The job through node 2 too: an embedded broker notifies the devices connected to its own node.
            const steps = await runSdkDevice({ THING: thing, MQTT_HOST: '127.0.0.1', MQTT_PORT: port, CERT: dev.certFile, KEY: dev.keyFile, CA: dev.caFile }, () => b.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{}' })));
            assert.deepEqual(step(steps, 'updated').executionState, { status: 'SUCCEEDED', versionNumber: 3 });
        }
        finally {
            await pg.close();
        }
    });
});
//# sourceMappingURL=certs-provision.test.js.map