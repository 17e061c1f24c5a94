import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, IoTClient, ThrottlingException } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand, GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient, StartNextPendingJobExecutionCommand, ThrottlingException as DataThrottlingException, } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, REGION, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
/**
 * `--quotas FILE` with tiny limits, driven by the AWS SDK for JavaScript v3 and an MQTT device:
 * the wire form of a throttled request on each plane, groups and per-thing buckets, the SDK's own
 * retry, the MQTT RequestThrottled rejection from the same buckets, and the metrics.
 */
// Rates of 4/s: a token comes back every 250 ms, so back-to-back calls see an empty bucket.
export const TINY = {
    rates: {
        'iot:DescribeJob': { rate: 4, burst: 1 },
        'iot-jobs-data:read': { rate: 4, burst: 1, operations: ['iot-jobs-data:DescribeJobExecution', 'iot-jobs-data:GetPendingJobExecutions'] },
        'iot-jobs-data:start-per-thing': { rate: 4, burst: 1, per: 'thing', operations: ['iot-jobs-data:StartNextPendingJobExecution'] },
    },
    jobs: {},
};
const P = 'quotas-';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function throttledCount(url, operation) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('iot_jobs_throttled_requests_total{') && l.includes(`operation="${operation}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
for (const backend of BACKENDS) {
    describe(`--quotas FILE with tiny limits (${backend})`, () => {
        let s;
        const clientsWith = (maxAttempts) => {
            const cfg = { endpoint: s.url, region: REGION, credentials: CREDENTIALS, maxAttempts };
            return { iot: new IoTClient(cfg), data: new IoTJobsDataPlaneClient(cfg) };
        };
        const thing = `${P}${backend}-t1`;
        const other = `${P}${backend}-t2`;
        const job = `${P}${backend}-job`;
        before(async () => {
            s = await startServer(backend, { quotas: TINY, mqttPort: 0 });
            for (const t of [thing, other])
                await s.iot.send(new CreateThingCommand({ thingName: t }));
            await s.iot.send(new CreateJobCommand({ jobId: job, targets: [thingArn(thing), thingArn(other)], document: '{"op":"x"}' }));
        });
        after(() => s?.close());
        test('control plane: ThrottlingException, HTTP 400, once retries are off (maxAttempts 1)', async () => {
            const { iot } = clientsWith(1);
            await sleep(300);
            await iot.send(new DescribeJobCommand({ jobId: job }));
            const err = await iot.send(new DescribeJobCommand({ jobId: job })).then(() => assert.fail('the second DescribeJob in a row should be throttled'), (e) => e);
            assert.ok(err instanceof ThrottlingException, `got ${String(err)}`);
            assert.equal(err.$metadata.httpStatusCode, 400);
            assert.equal(err.$metadata.attempts, 1);
            assert.equal(err.message, 'Rate exceeded');
            assert.equal(err.$response?.headers['x-amzn-errortype'], 'ThrottlingException');
            assert.equal(err.$response?.headers['retry-after'], undefined, 'AWS sends no Retry-After');
            // Other operations have no bucket in this file: never throttled.
            for (let i = 0; i < 5; i++)
                await iot.send(new CreateThingCommand({ thingName: `${P}${backend}-free-${i}` }));
            iot.destroy();
        });
        test('data plane: a group shares one bucket; ThrottlingException, HTTP 429', async () => {
            const { data } = clientsWith(1);
            await sleep(300);
            await data.send(new GetPendingJobExecutionsCommand({ thingName: thing }));
            const err = await data.send(new DescribeJobExecutionCommand({ thingName: thing, jobId: job })).then(() => assert.fail('DescribeJobExecution right after GetPendingJobExecutions should be throttled (one bucket)'), (e) => e);
            assert.ok(err instanceof DataThrottlingException, `got ${String(err)}`);
            assert.equal(err.$metadata.httpStatusCode, 429);
            assert.equal(err.$metadata.attempts, 1);
            data.destroy();
        });
        test('per-thing bucket: one thing throttled, another thing served at the same moment', async () => {
            const { data } = clientsWith(1);
            await sleep(300);
            await data.send(new StartNextPendingJobExecutionCommand({ thingName: thing }));
            await data.send(new StartNextPendingJobExecutionCommand({ thingName: other }));
            await assert.rejects(data.send(new StartNextPendingJobExecutionCommand({ thingName: thing })), (e) => e.name === 'ThrottlingException');
            data.destroy();
        });
        test("the SDK's own retry (standard mode) gets through: attempts > 1 on the second call", async () => {
            const { iot, data } = clientsWith(8);
            await sleep(300);
            const before = await throttledCount(s.url, 'DescribeJob');
            await iot.send(new DescribeJobCommand({ jobId: job }));
            const second = await iot.send(new DescribeJobCommand({ jobId: job }));
            assert.ok(second.$metadata.attempts > 1, `attempts ${second.$metadata.attempts}`);
            assert.ok(second.$metadata.totalRetryDelay > 0);
            assert.ok((await throttledCount(s.url, 'DescribeJob')) > before, '/metrics counts the throttled attempts');
            await sleep(300);
            await data.send(new GetPendingJobExecutionsCommand({ thingName: other }));
            const again = await data.send(new GetPendingJobExecutionsCommand({ thingName: other }));
            assert.ok(again.$metadata.attempts > 1, `data plane attempts ${again.$metadata.attempts}`);
            iot.destroy();
            data.destroy();
        });
        test('MQTT draws from the same data-plane bucket: RequestThrottled on the rejected topic', async () => {
            const d = await Device.connect(s.app.mqttUrl, other);
            try {
                await sleep(300);
                // HTTP takes the read bucket's token; the device's get right after it is refused.
                const { data } = clientsWith(1);
                await data.send(new GetPendingJobExecutionsCommand({ thingName: other }));
                const r = await d.request('get');
                assert.equal(r.accepted, false);
                assert.equal(r.body.code, 'RequestThrottled');
                // Device.request matched the reply by its clientToken: the rejection carries it back.
                assert.equal(typeof r.body.clientToken, 'string');
                assert.equal(typeof r.body.timestamp, 'number');
                await sleep(300);
                const ok = await d.request('get');
                assert.equal(ok.accepted, true, JSON.stringify(ok.body));
                assert.ok((await throttledCount(s.url, 'GetPendingJobExecutions')) >= 1);
                data.destroy();
            }
            finally {
                await d.client.endAsync();
            }
        });
        test('/metrics names the bucket that refused', async () => {
            const text = await (await fetch(`${s.url}/metrics`)).text();
            assert.match(text, /iot_jobs_throttled_requests_total\{operation="DescribeJob",bucket="iot:DescribeJob"\} [1-9]/);
            assert.match(text, /iot_jobs_throttled_requests_total\{operation="DescribeJobExecution",bucket="iot-jobs-data:read"\} [1-9]/);
            assert.match(text, /iot_jobs_throttled_requests_total\{operation="StartNextPendingJobExecution",bucket="iot-jobs-data:start-per-thing"\} [1-9]/);
        });
    });
}
describe('--quotas off (the default) throttles nothing', () => {
    let s;
    before(async () => {
        s = await startServer('sqlite');
        await s.iot.send(new CreateThingCommand({ thingName: `${P}off-t` }));
        await s.iot.send(new CreateJobCommand({ jobId: `${P}off-job`, targets: [thingArn(`${P}off-t`)], document: '{}' }));
    });
    after(() => s?.close());
    test('40 DescribeJob in a burst all answer 200', async () => {
        const out = await Promise.all(Array.from({ length: 40 }, () => s.iot.send(new DescribeJobCommand({ jobId: `${P}off-job` }))));
        assert.equal(out.length, 40);
        assert.equal(await throttledCount(s.url, 'DescribeJob'), 0);
    });
});
//# sourceMappingURL=quotas.test.js.map