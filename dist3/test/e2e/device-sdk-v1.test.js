import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, startServer, thingArn } from '../support/harness.js';
import { makePki } from '../support/certs.js';
const awsIot = createRequire(import.meta.url)('aws-iot-device-sdk');
for (const backend of BACKENDS) {
    describe(`AWS IoT device SDK (v1 line) jobs client over TLS with a device certificate [${backend}]`, () => {
        let pki;
        let s;
        before(async () => {
            pki = makePki();
            s = await startServer(backend, { mqttPort: 0, mqttTls: { port: 0, cert: Buffer.from(pki.server.cert), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca.cert) } });
        });
        after(async () => {
            await s.close();
        });
        test('runs a job queued before it connected, then one queued while connected, each exactly once', async () => {
            const thing = `v1-dev-${backend}`;
            await s.iot.send(new CreateThingCommand({ thingName: thing }));
            await s.iot.send(new CreateJobCommand({ jobId: `${thing}-a`, targets: [thingArn(thing)], document: JSON.stringify({ operation: 'fw', url: 'https://example.com/a.bin' }) }));
            const dev = pki.device(thing);
            const url = new URL(s.app.mqttTlsUrl);
            const jobs = awsIot.jobs({ keyPath: dev.keyFile, certPath: dev.certFile, caPath: pki.ca.certFile, clientId: thing, host: url.hostname, port: Number(url.port), reconnectPeriod: 0 });
            const seen = [];
            const errors = [];
            jobs.on('error', (err) => errors.push(err));
            try {
                jobs.subscribeToJobs(thing, 'fw', (err, job) => {
                    if (err)
                        return void errors.push(err);
                    seen.push(job.id);
                    job.inProgress({ step: 'download' }, (e1) => {
                        if (e1)
                            return void errors.push(e1);
                        job.succeeded({ step: 'done', url: String(job.document.url) }, (e2) => e2 && errors.push(e2));
                    });
                });
                await new Promise((resolve, reject) => jobs.startJobNotifications(thing, (err) => (err ? reject(err) : resolve())));
                const done = async (jobId, url) => eventually(async () => {
                    const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing }));
                    assert.equal(e.execution?.status, 'SUCCEEDED');
                    assert.deepEqual(e.execution?.statusDetails?.detailsMap, { step: 'done', url });
                    return true;
                });
                await done(`${thing}-a`, 'https://example.com/a.bin');
                await s.iot.send(new CreateJobCommand({ jobId: `${thing}-b`, targets: [thingArn(thing)], document: JSON.stringify({ operation: 'fw', url: 'https://example.com/b.bin' }) }));
                await done(`${thing}-b`, 'https://example.com/b.bin');
                await new Promise((r) => setTimeout(r, 500));
                assert.deepEqual(seen, [`${thing}-a`, `${thing}-b`], 'each job handed to the SDK once');
                assert.deepEqual(errors, []);
            }
            finally {
                await new Promise((resolve) => jobs.end(true, () => resolve()));
            }
        });
    });
}
//# sourceMappingURL=device-sdk-v1.test.js.map