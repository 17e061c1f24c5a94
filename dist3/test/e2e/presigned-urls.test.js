import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from '@20minutes/s3rver';
import { CreateJobCommand, CreateJobTemplateCommand, CreateThingCommand, DescribeJobCommand, GetJobDocumentCommand } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand, StartNextPendingJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ManualClock } from '../../src/clock.js';
import { BACKENDS, CREDENTIALS, REGION, ACCOUNT, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { CLI } from '../support/process.js';
const run = promisify(execFile);
/**
 * ${aws:iot:s3-presigned-url:...} placeholders and documentSource, both ways: iot-jobs serving the
 * objects itself (the default; objects put with a signed PUT or `iot-jobs files put`), and a real
 * S3-compatible server (@20minutes/s3rver) behind --s3-endpoint. Devices GET the URLs they are
 * given; expiry is measured on the server's injected clock.
 */
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iot-s3`;
const placeholder = (bucket, key) => `\${aws:iot:s3-presigned-url:https://s3.${REGION}.amazonaws.com/${bucket}/${key}}`;
const firmwareDoc = (bucket, key) => JSON.stringify({ op: 'update', url: placeholder(bucket, key) });
/** The URL a device was given in a document (string or object form). */
const urlIn = (doc) => JSON.parse(typeof doc === 'string' ? doc : JSON.stringify(doc)).url;
async function get(url) {
    const res = await fetch(url);
    return { status: res.status, body: await res.text() };
}
for (const backend of BACKENDS) {
    describe(`presigned URLs served by iot-jobs [${backend}]`, () => {
        const runId = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${runId}`;
        // Behind the wall clock, so that moving it on keeps API signatures within AWS's 5-minute skew.
        const clock = new ManualClock(Date.now() - 3 * 60_000);
        let s;
        let s3;
        const devices = [];
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 }, { clock });
            s3 = new S3Client({ endpoint: `${s.url}/_iot-jobs/s3`, forcePathStyle: true, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            s3.destroy();
            await s.close();
        });
        test('a signed PUT stores an object; every device-facing copy carries a URL that works for expiresInSec on the clock and not after; GetJobDocument keeps the placeholder', async () => {
            const bucket = 'firmware';
            const key = `${name('app')}/v 2.bin`;
            const bytes = `firmware ${runId} ${'x'.repeat(1000)}`;
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentType: 'application/octet-stream' }));
            const t = name('dev');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const device = await Device.connect(s.app.mqttUrl, t);
            devices.push(device);
            const mark = device.mark();
            const jobId = name('fw');
            const doc = firmwareDoc(bucket, key);
            await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(t)], document: doc, presignedUrlConfig: { roleArn: ROLE, expiresInSec: 120 } }));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId }))).document, doc);
            const next = await device.waitFor((m) => m.topic === `${device.prefix}/notify-next` && m.i >= mark && m.body.execution?.jobId === jobId);
            const fromNotify = urlIn(next.body.execution.jobDocument);
            const http = await s.data.send(new DescribeJobExecutionCommand({ jobId, thingName: t }));
            const fromHttp = urlIn(http.execution.jobDocument);
            const got = await device.request(`${jobId}/get`, {});
            const fromMqtt = urlIn(got.body.execution.jobDocument);
            for (const url of [fromNotify, fromHttp, fromMqtt]) {
                assert.ok(url.startsWith(`${s.url}/_iot-jobs/s3/${bucket}/`), url);
                assert.match(url, /X-Amz-Expires=120&/);
                assert.deepEqual(await get(url), { status: 200, body: bytes });
            }
            // Tampered: one hex digit of the signature changed (to a digit it is not, or the URL would be the same).
            assert.equal((await get(fromHttp.replace(/X-Amz-Signature=(.)/, (_, c) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`))).status, 403);
            // Still valid just before expiresInSec, on the server's clock; not after.
            clock.advance(119_000);
            assert.equal((await get(fromHttp)).status, 200);
            clock.advance(2_000);
            const expired = await get(fromHttp);
            assert.equal(expired.status, 403);
            assert.match(expired.body, /<Code>AccessDenied<\/Code><Message>Request has expired/);
            // A device asking again gets a fresh URL that works.
            const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            assert.equal((await get(urlIn(started.execution.jobDocument))).status, 200);
            // An unknown object is S3's 404 NoSuchKey.
            await assert.rejects(s3.send(new GetObjectCommand({ Bucket: bucket, Key: name('missing') })), (e) => {
                assert.equal(e.name, 'NoSuchKey');
                assert.equal(e.$metadata?.httpStatusCode, 404);
                return true;
            });
        });
        test('documentSource at CreateJob: the object is fetched and stored; a missing object gets 400; templates resolve the same way', async () => {
            const doc = JSON.stringify({ op: 'from-s3', n: runId });
            await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: `${runId}/job.json`, Body: doc }));
            const t = name('ds');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const source = `https://s3.${REGION}.amazonaws.com/docs/${runId}/job.json`;
            await s.iot.send(new CreateJobCommand({ jobId: name('ds'), targets: [thingArn(t)], documentSource: source }));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: name('ds') }))).document, doc);
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId: name('ds') }))).documentSource, source);
            const http = await s.data.send(new DescribeJobExecutionCommand({ jobId: name('ds'), thingName: t }));
            assert.equal(http.execution.jobDocument, doc);
            // Virtual-hosted style names the same object.
            await s.iot.send(new CreateJobCommand({ jobId: name('ds-vh'), targets: [thingArn(t)], documentSource: `https://docs.s3.${REGION}.amazonaws.com/${runId}/job.json` }));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: name('ds-vh') }))).document, doc);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('ds-missing'), targets: [thingArn(t)], documentSource: `https://s3.${REGION}.amazonaws.com/docs/${runId}/none.json` })), 'InvalidRequestException', 400, /documentSource/);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('ds-bad'), targets: [thingArn(t)], documentSource: 'https://example.com/job.json' })), 'InvalidRequestException', 400, /documentSource/);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('ds-tpl-bad'), description: 'x', documentSource: 'ftp://nowhere/x' })), 'InvalidRequestException', 400, /documentSource/);
            await s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('ds-tpl'), description: 'from s3', documentSource: source }));
            await s.iot.send(new CreateJobCommand({ jobId: name('ds-tpl-job'), targets: [thingArn(t)], jobTemplateArn: `arn:aws:iot:${REGION}:${ACCOUNT}:jobtemplate/${name('ds-tpl')}` }));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: name('ds-tpl-job') }))).document, doc);
        });
        if (backend === 'sqlite')
            test('`iot-jobs files put bucket/key file` stores an object the server serves', async () => {
                const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-files-'));
                try {
                    const file = join(dir, 'blob.bin');
                    writeFileSync(file, `from the cli ${runId}`);
                    const { stdout } = await run(process.execPath, [CLI, 'files', 'put', `cli/${runId}/blob.bin`, file, '--data-dir', s.config.dataDir]);
                    assert.match(stdout, /stored s3:\/\/cli\//);
                    const t = name('cli');
                    await s.iot.send(new CreateThingCommand({ thingName: t }));
                    await s.iot.send(new CreateJobCommand({ jobId: name('cli'), targets: [thingArn(t)], document: firmwareDoc('cli', `${runId}/blob.bin`), presignedUrlConfig: { roleArn: ROLE } }));
                    const e = await s.data.send(new DescribeJobExecutionCommand({ jobId: name('cli'), thingName: t }));
                    const url = urlIn(e.execution.jobDocument);
                    assert.match(url, /X-Amz-Expires=3600&/, 'the default lifetime');
                    assert.deepEqual(await get(url), { status: 200, body: `from the cli ${runId}` });
                    await assert.rejects(run(process.execPath, [CLI, 'files', 'put', 'no-key', file, '--data-dir', s.config.dataDir]), (err) => {
                        assert.equal(err.code, 2);
                        assert.match(err.stderr, /bucket\/key/);
                        return true;
                    });
                }
                finally {
                    rmSync(dir, { recursive: true, force: true });
                }
            });
    });
    describe(`presigned URLs with --s3-endpoint (s3rver) [${backend}]`, () => {
        const runId = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${runId}`;
        const clock = new ManualClock(Date.now());
        const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-s3rver-'));
        const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: 'firmware' }] });
        const S3RVER_KEYS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
        let s;
        let s3;
        let endpoint;
        before(async () => {
            const { port } = await s3rver.run();
            endpoint = `http://127.0.0.1:${port}`;
            s3 = new S3Client({ endpoint, forcePathStyle: true, region: REGION, credentials: S3RVER_KEYS, maxAttempts: 1 });
            s = await startServer(backend, { s3Endpoint: endpoint, s3Credentials: S3RVER_KEYS }, { clock });
        });
        after(async () => {
            s3?.destroy();
            await s?.close();
            await s3rver.close();
            rmSync(dir, { recursive: true, force: true });
        });
        test('devices get URLs presigned for the S3 endpoint by the SDK presigner; they work, and expire counted from the injected clock; documentSource reads from it', async () => {
            const key = `${runId}/app.bin`;
            await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: key, Body: `s3rver ${runId}` }));
            await s3.send(new PutObjectCommand({ Bucket: 'firmware', Key: `${runId}/job.json`, Body: firmwareDoc('firmware', key) }));
            const t = name('dev');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const jobId = name('fw');
            await s.iot.send(new CreateJobCommand({
                jobId,
                targets: [thingArn(t)],
                documentSource: `https://s3.${REGION}.amazonaws.com/firmware/${runId}/job.json`,
                presignedUrlConfig: { roleArn: ROLE, expiresInSec: 60 },
            }));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId }))).document, firmwareDoc('firmware', key));
            const url = urlIn((await s.data.send(new DescribeJobExecutionCommand({ jobId, thingName: t }))).execution.jobDocument);
            assert.ok(url.startsWith(`${endpoint}/firmware/${runId}/app.bin?`), url);
            assert.deepEqual(await get(url), { status: 200, body: `s3rver ${runId}` });
            // s3rver checks expiry on the wall clock: a URL signed when the injected clock says 61 s ago is expired.
            clock.set(Date.now() - 61_000);
            const old = urlIn((await s.data.send(new DescribeJobExecutionCommand({ jobId, thingName: t }))).execution.jobDocument);
            assert.equal((await get(old)).status, 403);
            clock.set(Date.now());
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('missing'), targets: [thingArn(t)], documentSource: `https://s3.${REGION}.amazonaws.com/firmware/${runId}/none.json` })), 'InvalidRequestException', 400, /documentSource/);
        });
    });
}
//# sourceMappingURL=presigned-urls.test.js.map