import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateThingCommand, DescribeJobExecutionCommand } from '@aws-sdk/client-iot';
import { startServer, thingArn } from '../support/harness.js';
/**
 * AWS's own device SDK for JavaScript v2 (aws-iot-device-sdk-v2 over the native aws-crt) as a
 * device: MQTT 3.1.1 over plain TCP to the embedded broker, client id = thing name, driving the
 * jobs topics with the SDK's job clients, which build the topics, serialize the requests and parse
 * the replies themselves.
 *
 * The older aws-iot-device-sdk (v1 line) only speaks 'mqtts' or 'wss': it is tested over the TLS
 * listener with a device certificate in device-sdk-v1.test.ts.
 */
const SDK = 'aws-iot-device-sdk-v2';
async function loadSdk() {
    try {
        const m = (await import(SDK));
        return m.default ?? m;
    }
    catch (err) {
        const e = err;
        if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`'${SDK}'`))
            return `${SDK} is not installed (devDependency ${SDK}@1.28.0)`;
        throw err; // installed but broken (e.g. the aws-crt binary does not load): a failure, not a skip
    }
}
const loaded = await loadSdk();
const skip = typeof loaded === 'string' ? loaded : false;
const isSeconds = (t) => typeof t === 'number' && Number.isInteger(t) && t > 1.6e9 && t < 1e11;
/** Every (error, response) a subscription handler is called with, and a way to wait for the next. */
class Inbox {
    name;
    items = [];
    read = 0;
    wake;
    constructor(name) {
        this.name = name;
    }
    handler = (error, response) => {
        this.items.push({ error, response });
        this.wake?.();
    };
    get count() {
        return this.items.length;
    }
    /** The next response not yet taken; fails on a handler error (a payload the SDK could not parse). */
    async next(ms = 5000) {
        const end = Date.now() + ms;
        while (this.read >= this.items.length) {
            const left = end - Date.now();
            if (left <= 0)
                throw new Error(`no ${this.name} within ${ms} ms`);
            await new Promise((resolve) => {
                const timer = setTimeout(resolve, left);
                this.wake = () => {
                    clearTimeout(timer);
                    resolve();
                };
            });
        }
        const item = this.items[this.read++];
        if (item.error)
            throw new Error(`${this.name}: the SDK reported ${item.error.message}`);
        return item.response;
    }
}
describe(`AWS IoT Device SDK v2 (${SDK}) jobs clients over plain MQTT`, { skip }, () => {
    const sdk = loaded;
    const run = randomBytes(3).toString('hex');
    const name = (n) => `${n}-${run}`;
    let s;
    const connections = [];
    before(async () => {
        s = await startServer('sqlite', { mqttPort: 0 });
    });
    after(async () => {
        for (const c of connections)
            await c.disconnect().catch(() => { });
        await s?.close();
    });
    async function connect(thing) {
        await s.iot.send(new CreateThingCommand({ thingName: thing }));
        const url = new URL(s.app.mqttUrl);
        // No tls_ctx: plain TCP. The client id is the thing name, as the broker requires.
        const connection = new sdk.mqtt.MqttClient().new_connection({
            client_id: thing,
            host_name: url.hostname,
            port: Number(url.port),
            clean_session: true,
            keep_alive: 30,
            socket_options: new sdk.io.SocketOptions(),
        });
        connection.on('error', () => { });
        const sessionPresent = await connection.connect();
        assert.equal(sessionPresent, false, 'a clean session has no session present');
        connections.push(connection);
        return connection;
    }
    test('IotJobsClient: notify-next event, StartNextPendingJobExecution, a rejected and an accepted UpdateJobExecution', async () => {
        const thing = name('sdk-legacy');
        const jobId = name('sdk-job-1');
        const jobs = new sdk.iotjobs.IotJobsClient(await connect(thing));
        const qos = sdk.mqtt.QoS.AtLeastOnce;
        const nextChanged = new Inbox('notify-next event');
        const changed = new Inbox('notify event');
        const startAccepted = new Inbox('start-next accepted');
        const startRejected = new Inbox('start-next rejected');
        const updateAccepted = new Inbox('update accepted');
        const updateRejected = new Inbox('update rejected');
        await jobs.subscribeToNextJobExecutionChangedEvents({ thingName: thing }, qos, nextChanged.handler);
        await jobs.subscribeToJobExecutionsChangedEvents({ thingName: thing }, qos, changed.handler);
        await jobs.subscribeToStartNextPendingJobExecutionAccepted({ thingName: thing }, qos, startAccepted.handler);
        await jobs.subscribeToStartNextPendingJobExecutionRejected({ thingName: thing }, qos, startRejected.handler);
        await jobs.subscribeToUpdateJobExecutionAccepted({ thingName: thing, jobId }, qos, updateAccepted.handler);
        await jobs.subscribeToUpdateJobExecutionRejected({ thingName: thing, jobId }, qos, updateRejected.handler);
        await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"op":"x"}' }));
        const next = await nextChanged.next();
        assert.ok(isSeconds(next.timestamp), `timestamp in epoch seconds: ${JSON.stringify(next)}`);
        const queued = next.execution;
        assert.equal(queued.jobId, jobId);
        assert.equal(queued.thingName, thing);
        assert.equal(queued.status, 'QUEUED');
        assert.deepEqual(queued.jobDocument, { op: 'x' });
        assert.equal(queued.versionNumber, 1);
        assert.equal(queued.executionNumber, 1);
        assert.ok(isSeconds(queued.queuedAt) && isSeconds(queued.lastUpdatedAt));
        const notify = await changed.next();
        assert.deepEqual(notify.jobs.QUEUED.map((j) => j.jobId), [jobId]);
        await jobs.publishStartNextPendingJobExecution({ thingName: thing, clientToken: 'sdk-start-1', statusDetails: { step: 'download' } }, qos);
        const started = await startAccepted.next();
        assert.equal(started.clientToken, 'sdk-start-1');
        assert.ok(isSeconds(started.timestamp));
        const ex = started.execution;
        assert.equal(ex.jobId, jobId);
        assert.equal(ex.thingName, thing);
        assert.equal(ex.status, 'IN_PROGRESS');
        assert.deepEqual(ex.statusDetails, { step: 'download' });
        assert.deepEqual(ex.jobDocument, { op: 'x' });
        assert.equal(ex.versionNumber, 2);
        assert.ok(isSeconds(ex.startedAt));
        await jobs.publishUpdateJobExecution({ thingName: thing, jobId, status: 'SUCCEEDED', expectedVersion: 99, clientToken: 'sdk-stale' }, qos);
        const stale = await updateRejected.next();
        assert.equal(stale.code, 'VersionMismatch');
        assert.equal(stale.clientToken, 'sdk-stale');
        assert.ok(isSeconds(stale.timestamp));
        assert.deepEqual(stale.executionState, { status: 'IN_PROGRESS', statusDetails: { step: 'download' }, versionNumber: 2 });
        await jobs.publishUpdateJobExecution({
            thingName: thing,
            jobId,
            status: 'SUCCEEDED',
            statusDetails: { step: 'done' },
            expectedVersion: 2,
            executionNumber: 1,
            includeJobExecutionState: true,
            includeJobDocument: true,
            clientToken: 'sdk-done',
        }, qos);
        const done = await updateAccepted.next();
        assert.equal(done.clientToken, 'sdk-done');
        assert.ok(isSeconds(done.timestamp));
        assert.deepEqual(done.executionState, { status: 'SUCCEEDED', statusDetails: { step: 'done' }, versionNumber: 3 });
        assert.deepEqual(done.jobDocument, { op: 'x' });
        const none = await nextChanged.next();
        assert.equal(none.execution, undefined, 'no next execution once the only job has succeeded');
        assert.ok(isSeconds(none.timestamp));
        assert.equal(startRejected.count, 0);
        assert.equal(updateRejected.count, 1);
        const described = await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: thing }));
        assert.equal(described.execution?.status, 'SUCCEEDED');
    });
    // Request-response operations only: with aws-crt 1.33.1 on Node 20, an IotJobsClientv2 streaming
    // operation (createNextJobExecutionChangedStream) keeps the process from exiting or aborts it at
    // exit in a native finalizer, whatever the broker; IotJobsClient above covers the events.
    test('IotJobsClientv2: replies correlated by clientToken, modeled VersionMismatch and ResourceNotFound errors', async () => {
        const thing = name('sdk-rr');
        const jobId = name('sdk-job-2');
        const jobs = sdk.iotjobs.IotJobsClientv2.newFromMqtt311(await connect(thing), {
            maxRequestResponseSubscriptions: 4,
            maxStreamingSubscriptions: 1,
            operationTimeoutInSeconds: 10,
        });
        try {
            await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(thing)], document: '{"op":"x"}' }));
            const pending = await jobs.getPendingJobExecutions({ thingName: thing });
            assert.deepEqual(pending.inProgressJobs, []);
            assert.deepEqual(pending.queuedJobs.map((j) => [j.jobId, j.versionNumber, j.executionNumber]), [[jobId, 1, 1]]);
            const described = await jobs.describeJobExecution({ thingName: thing, jobId, includeJobDocument: true });
            assert.equal(described.execution.status, 'QUEUED');
            assert.deepEqual(described.execution.jobDocument, { op: 'x' });
            const started = await jobs.startNextPendingJobExecution({ thingName: thing });
            assert.equal(started.execution.jobId, jobId);
            assert.equal(started.execution.status, 'IN_PROGRESS');
            assert.equal(started.execution.versionNumber, 2);
            await assert.rejects(jobs.updateJobExecution({ thingName: thing, jobId, status: 'SUCCEEDED', expectedVersion: 99 }), (err) => {
                assert.equal(err.modeledError?.code, 'VersionMismatch', JSON.stringify(err.modeledError));
                return true;
            });
            const updated = await jobs.updateJobExecution({ thingName: thing, jobId, status: 'SUCCEEDED', expectedVersion: 2, includeJobExecutionState: true });
            assert.deepEqual(updated.executionState, { status: 'SUCCEEDED', versionNumber: 3 });
            assert.ok(isSeconds(updated.timestamp));
            await assert.rejects(jobs.describeJobExecution({ thingName: thing, jobId: name('no-such-job') }), (err) => {
                assert.equal(err.modeledError?.code, 'ResourceNotFound', JSON.stringify(err.modeledError));
                return true;
            });
        }
        finally {
            jobs.close();
        }
    });
});
//# sourceMappingURL=device-sdk.test.js.map