import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, startServer, thingArn, type TestServer } from '../support/harness.js';
import { makePki, type TestPki } from '../support/certs.js';

/**
 * AWS's older device SDK for JavaScript (aws-iot-device-sdk v2.2, "v1" line, on mqtt.js 4) and
 * its `jobs` class as a device. It only connects over TLS with a client certificate (or SigV4
 * WebSockets), so it talks to the embedded broker's TLS listener with a certificate of its thing.
 * The SDK subscribes to `$next/get/accepted` and `notify-next`, asks `$next/get`, and calls the
 * handler for every execution it is given: it must be given each job once.
 */
interface Job {
  id: string;
  document: Record<string, unknown>;
  operation?: string;
  inProgress(details: Record<string, string>, cb: (err?: Error) => void): void;
  succeeded(details: Record<string, string>, cb: (err?: Error) => void): void;
}
interface JobsClient {
  on(event: 'connect' | 'error', listener: (arg?: unknown) => void): void;
  subscribeToJobs(thing: string, operation: string, cb: (err: Error | null, job: Job) => void): void;
  startJobNotifications(thing: string, cb: (err?: Error) => void): void;
  end(force: boolean, cb: () => void): void;
}
const awsIot = createRequire(import.meta.url)('aws-iot-device-sdk') as { jobs(options: Record<string, unknown>): JobsClient };

for (const backend of BACKENDS) {
  describe(`AWS IoT device SDK (v1 line) jobs client over TLS with a device certificate [${backend}]`, () => {
    let pki: TestPki;
    let s: TestServer;
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
      const url = new URL(s.app.mqttTlsUrl!);
      const jobs = awsIot.jobs({ keyPath: dev.keyFile, certPath: dev.certFile, caPath: pki.ca.certFile, clientId: thing, host: url.hostname, port: Number(url.port), reconnectPeriod: 0 });
      const seen: string[] = [];
      const errors: unknown[] = [];
      jobs.on('error', (err) => errors.push(err));
      try {
        jobs.subscribeToJobs(thing, 'fw', (err, job) => {
          if (err) return void errors.push(err);
          seen.push(job.id);
          job.inProgress({ step: 'download' }, (e1) => {
            if (e1) return void errors.push(e1);
            job.succeeded({ step: 'done', url: String(job.document.url) }, (e2) => e2 && errors.push(e2));
          });
        });
        await new Promise<void>((resolve, reject) => jobs.startJobNotifications(thing, (err) => (err ? reject(err) : resolve())));
        const done = async (jobId: string, url: string) =>
          eventually(async () => {
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
      } finally {
        await new Promise<void>((resolve) => jobs.end(true, () => resolve()));
      }
    });
  });
}
