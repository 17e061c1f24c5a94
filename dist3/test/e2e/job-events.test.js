/**
 * JOB and JOB_EXECUTION events ($aws/events/job/..., $aws/events/jobExecution/...), end to end:
 * an application subscribed on the broker, transitions caused through the real SDKs, and each
 * topic and payload checked against perimeter.md §1.3-1.4.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand, DeleteJobExecutionCommand, DeleteThingCommand, UpdateEventConfigurationsCommand, } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { ACCOUNT, BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, eventually, startServer, thingArn } from '../support/harness.js';
import { clockRequest } from '../../src/cli/clock-client.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export function jobEventTests(broker, subscriber) {
    for (const backend of BACKENDS)
        describe(`job events [${backend}, ${broker} broker]`, () => {
            const run = randomBytes(3).toString('hex');
            const name = (n) => `ev-${n}-${run}`;
            let s;
            let sub;
            const seen = [];
            const advance = async (seconds) => {
                const r = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: seconds });
                assert.equal(r.status, 200);
            };
            const things = async (n, prefix) => {
                const out = Array.from({ length: n }, (_, i) => name(`${prefix}${i}`));
                for (const t of out)
                    await s.iot.send(new CreateThingCommand({ thingName: t }));
                return out;
            };
            const eventsOf = (jobId) => seen.filter((e) => e.topic.includes(`/${jobId}/`));
            const waitFor = (what, check) => eventually(async () => check(), 10_000, what);
            before(async () => {
                s = await startServer(backend, { clock: 'manual', ...(broker === 'external' ? { mqttUrl: MOSQUITTO_URL } : { mqttPort: 0 }) });
                await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: true }, JOB_EXECUTION: { Enabled: true } } }));
                sub = await subscriber(s);
                sub.on('message', (topic, payload) => {
                    if (topic.includes(run))
                        seen.push({ topic, body: JSON.parse(payload.toString()) });
                });
                await sub.subscribeAsync(['$aws/events/job/#', '$aws/events/jobExecution/#'], { qos: 1 });
            });
            after(async () => {
                await sub?.endAsync();
                await s.close();
            });
            test('succeeded, failed, rejected, then the job completed: topics and payloads', async () => {
                const jobId = name('done');
                const ts = await things(3, 'd');
                await s.iot.send(new CreateJobCommand({ jobId, targets: ts.map(thingArn), document: '{}', description: 'three things' }));
                for (const [i, status] of ['SUCCEEDED', 'FAILED', 'REJECTED'].entries()) {
                    await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[i] }));
                    await s.data.send(new UpdateJobExecutionCommand({ thingName: ts[i], jobId, status, statusDetails: i === 0 ? { progress: 'all' } : undefined }));
                }
                await waitFor('four events', () => eventsOf(jobId).length >= 4);
                const byTopic = new Map(eventsOf(jobId).map((e) => [e.topic, e.body]));
                const ok = byTopic.get(`$aws/events/jobExecution/${jobId}/succeeded`);
                assert.ok(ok, [...byTopic.keys()].join(', '));
                assert.equal(ok.eventType, 'JOB_EXECUTION');
                assert.match(ok.eventId, UUID);
                assert.equal(ok.operation, 'succeeded');
                assert.equal(ok.status, 'SUCCEEDED');
                assert.equal(ok.jobId, jobId);
                assert.equal(ok.thingArn, `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${ts[0]}`);
                assert.deepEqual(ok.statusDetails, { progress: 'all' });
                assert.ok(Number.isInteger(ok.timestamp) && String(ok.timestamp).length === 10, 'timestamp in seconds');
                assert.equal(byTopic.get(`$aws/events/jobExecution/${jobId}/failed`).status, 'FAILED');
                assert.equal('statusDetails' in byTopic.get(`$aws/events/jobExecution/${jobId}/failed`), false, 'no statusDetails when the device sent none');
                assert.equal(byTopic.get(`$aws/events/jobExecution/${jobId}/rejected`).status, 'REJECTED');
                const done = byTopic.get(`$aws/events/job/${jobId}/completed`);
                assert.equal(done.eventType, 'JOB');
                assert.equal(done.status, 'COMPLETED');
                assert.equal(done.operation, 'completed');
                assert.equal(done.targetSelection, 'SNAPSHOT');
                assert.deepEqual(done.targets, ts.map(thingArn));
                assert.equal(done.description, 'three things');
                assert.equal(String(done.createdAt).length, 13, 'createdAt in milliseconds');
                assert.equal(typeof done.completedAt, 'number');
                assert.deepEqual(done.jobProcessDetails, { numberOfCanceledThings: 0, numberOfRejectedThings: 1, numberOfFailedThings: 1, numberOfRemovedThings: 0, numberOfSucceededThings: 1 });
            });
            test('CancelJob --force publishes the pair with its comment, and canceled for each execution', async () => {
                const jobId = name('cancel');
                const ts = await things(3, 'c');
                await s.iot.send(new CreateJobCommand({ jobId, targets: ts.map(thingArn), document: '{}' }));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
                await s.iot.send(new CancelJobCommand({ jobId, force: true, comment: 'wrong build', reasonCode: 'BAD_BUILD' }));
                await waitFor('pair and three executions', () => eventsOf(jobId).length >= 5);
                const ops = eventsOf(jobId).map((e) => e.topic.split('/').slice(2).join('/'));
                assert.deepEqual(ops.filter((o) => o.startsWith('job/')).sort(), [`job/${jobId}/canceled`, `job/${jobId}/cancellation_in_progress`]);
                assert.equal(ops.filter((o) => o === `jobExecution/${jobId}/canceled`).length, 3);
                const started = eventsOf(jobId).find((e) => e.topic.endsWith('/cancellation_in_progress')).body;
                assert.equal(started.status, 'CANCELLATION_IN_PROGRESS');
                assert.equal(started.comment, 'wrong build');
                const ended = eventsOf(jobId).find((e) => e.topic === `$aws/events/job/${jobId}/canceled`).body;
                assert.equal(ended.status, 'CANCELED');
                const arns = eventsOf(jobId).filter((e) => e.topic.startsWith("$aws/events/jobExecution/")).map((e) => e.body.thingArn).sort();
                assert.deepEqual(arns, ts.map(thingArn).sort());
                const ids = new Set(eventsOf(jobId).map((e) => e.body.eventId));
                assert.equal(ids.size, eventsOf(jobId).length, 'every event has its own eventId');
            });
            test('timed_out (and its retry), removed, DeleteJobExecution deleted with the last status, DeleteJob pair', async () => {
                const jobId = name('misc');
                const ts = await things(3, 'm');
                await s.iot.send(new CreateJobCommand({
                    jobId,
                    targets: ts.map(thingArn),
                    document: '{}',
                    timeoutConfig: { inProgressTimeoutInMinutes: 1 },
                    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] },
                }));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
                await advance(90);
                await waitFor('timed_out', () => eventsOf(jobId).some((e) => e.topic.endsWith('/timed_out')));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
                await advance(90);
                await waitFor('the retry timed out too', () => eventsOf(jobId).filter((e) => e.topic.endsWith('/timed_out')).length === 2);
                await s.iot.send(new DeleteThingCommand({ thingName: ts[1] }));
                await waitFor('removed', () => eventsOf(jobId).some((e) => e.topic.endsWith('/removed')));
                assert.equal(eventsOf(jobId).find((e) => e.topic.endsWith('/removed')).body.status, 'REMOVED');
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[2] }));
                await s.data.send(new UpdateJobExecutionCommand({ thingName: ts[2], jobId, status: 'SUCCEEDED' }));
                await s.iot.send(new DeleteJobExecutionCommand({ jobId, thingName: ts[2], executionNumber: 1 }));
                await waitFor('deleted', () => eventsOf(jobId).some((e) => e.topic === `$aws/events/jobExecution/${jobId}/deleted`));
                const deleted = eventsOf(jobId).find((e) => e.topic === `$aws/events/jobExecution/${jobId}/deleted`).body;
                assert.equal(deleted.operation, 'deleted');
                assert.equal(deleted.status, 'SUCCEEDED', 'a deleted execution carries its last status');
                const before = eventsOf(jobId).length;
                await s.iot.send(new DeleteJobCommand({ jobId, force: true }));
                await waitFor('deletion pair', () => eventsOf(jobId).some((e) => e.topic === `$aws/events/job/${jobId}/deleted`));
                const after = eventsOf(jobId).slice(before).map((e) => e.topic);
                assert.deepEqual(after.sort(), [`$aws/events/job/${jobId}/deleted`, `$aws/events/job/${jobId}/deletion_in_progress`], 'DeleteJob publishes its pair, not one event per execution');
            });
            test('an abort publishes the same pair as CancelJob', async () => {
                const jobId = name('abort');
                const ts = await things(3, 'a');
                await s.iot.send(new CreateJobCommand({
                    jobId,
                    targets: ts.map(thingArn),
                    document: '{}',
                    abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] },
                }));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: ts[0] }));
                await s.data.send(new UpdateJobExecutionCommand({ thingName: ts[0], jobId, status: 'FAILED' }));
                await advance(1);
                await waitFor('abort pair', () => eventsOf(jobId).some((e) => e.topic === `$aws/events/job/${jobId}/canceled`));
                const topics = eventsOf(jobId).map((e) => e.topic);
                assert.ok(topics.includes(`$aws/events/job/${jobId}/cancellation_in_progress`));
                assert.equal(topics.filter((t) => t === `$aws/events/jobExecution/${jobId}/canceled`).length, 2);
                assert.match(eventsOf(jobId).find((e) => e.topic.endsWith('/cancellation_in_progress')).body.comment, /FAILED/);
            });
            test('events off: nothing is published', async () => {
                await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB_EXECUTION: { Enabled: false } } }));
                const jobId = name('off');
                const [t] = await things(1, 'o');
                await s.iot.send(new CreateJobCommand({ jobId, targets: [thingArn(t)], document: '{}' }));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
                await s.data.send(new UpdateJobExecutionCommand({ thingName: t, jobId, status: 'SUCCEEDED' }));
                await waitFor('the job event', () => eventsOf(jobId).some((e) => e.topic.endsWith('/completed')));
                await advance(1);
                assert.deepEqual(eventsOf(jobId).map((e) => e.topic), [`$aws/events/job/${jobId}/completed`], 'JOB on, JOB_EXECUTION off');
                await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB_EXECUTION: { Enabled: true } } }));
            });
        });
}
jobEventTests('external', async () => mqtt.connectAsync(MOSQUITTO_URL, { clientId: `ev-app-${randomBytes(4).toString('hex')}`, protocolVersion: 5 }));
// The embedded broker: the application connects over MQTT over WebSocket signed with SigV4, as on AWS.
jobEventTests('embedded', async (s) => mqtt.connectAsync(await presignMqttUrl({ url: s.app.mqttWsUrl, region: REGION, credentials: CREDENTIALS }), {
    clientId: `ev-app-${randomBytes(4).toString('hex')}`,
    protocolVersion: 5,
}));
//# sourceMappingURL=job-events.test.js.map