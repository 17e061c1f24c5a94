import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { models } from '../../src/model/index.js';
import { BACKENDS, ACCOUNT, REGION, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { generateAll, generateEdges, KINDS, numericMembers, operations, payloadEdges, plantedBody, rng, send } from '../support/bad-input.js';
/**
 * The bad-input suite: thousands of malformed but correctly signed requests over every operation
 * of both models (generated from src/model/*.json, seeded), then a share over the MQTT device API.
 * Nothing may answer 5xx, drop the connection or change data. IOT_JOBS_BAD_INPUT_COUNT and
 * IOT_JOBS_BAD_INPUT_SEED change the run; a failure prints the seed and the requests.
 */
const COUNT = Number(process.env.IOT_JOBS_BAD_INPUT_COUNT ?? 5000);
const SEED = Number(process.env.IOT_JOBS_BAD_INPUT_SEED ?? 20261202);
const MQTT_COUNT = Number(process.env.IOT_JOBS_BAD_INPUT_MQTT_COUNT ?? 500);
const CONCURRENCY = 8;
const fx = {
    thingName: 'bi-thing',
    thingGroupName: 'bi-group',
    jobId: 'bi-job',
    thingArn: thingArn('bi-thing'),
    thingGroupArn: groupArn('bi-group'),
    jobArn: `arn:aws:iot:${REGION}:${ACCOUNT}:job/bi-job`,
};
const TABLES = ['things', 'thing_groups', 'group_members', 'jobs', 'job_targets', 'job_executions', 'tags'];
/** Every row of the tables that hold user data, in a stable order. */
async function snapshot(s) {
    const out = {};
    for (const t of TABLES) {
        const rows = await s.app.store.db.selectFrom(t).selectAll().execute();
        out[t] = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
    }
    return out;
}
const describeReq = (r) => `${r.kind} ${r.operation} ${r.method} ${r.path.slice(0, 120)}?${r.query.slice(0, 120)} ${r.body ? r.body.toString('utf8').slice(0, 160) : ''}`;
/** The model's error for bad input: ValidationException where an operation lists it and not InvalidRequestException (the commands). */
function invalidInputError(service, operation) {
    const errors = models[service].operations[operation]?.errors ?? [];
    return errors.some((e) => e.shape === 'ValidationException') && !errors.some((e) => e.shape === 'InvalidRequestException') ? 'ValidationException' : 'InvalidRequestException';
}
for (const backend of BACKENDS) {
    describe(`bad input [${backend}]`, () => {
        let s;
        let before_;
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
            await s.iot.send(new CreateThingCommand({ thingName: fx.thingName, attributePayload: { attributes: { a: '1' } } }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: fx.thingGroupName }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: fx.thingGroupName, thingName: fx.thingName }));
            await s.iot.send(new CreateJobCommand({ jobId: fx.jobId, targets: [fx.thingArn], document: '{"op":"x"}', tags: [{ Key: 'k', Value: 'v' }] }));
            await eventually(async () => ((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: fx.jobId }))).executionSummaries?.length ?? 0) === 1);
            before_ = await snapshot(s);
        });
        after(async () => s?.close());
        test(`${COUNT} malformed signed requests over every operation: no 5xx, no dropped connection, data unchanged (seed ${SEED})`, async () => {
            const requests = generateAll(COUNT, SEED, fx);
            assert.ok(requests.length >= COUNT, `generated ${requests.length} of ${COUNT}`);
            // Every operation of both models is covered, and every kind.
            const ops = new Set(requests.map((r) => `${r.service}:${r.operation}`));
            // (An operation without input members, such as GetIndexingConfiguration, has nothing to malform.)
            for (const op of operations().filter((o) => o.members.length > 0))
                assert.ok(ops.has(`${op.service}:${op.operation}`), `no request for ${op.service} ${op.operation}`);
            for (const k of KINDS)
                assert.ok(requests.some((r) => r.kind === k), `no request of kind ${k}`);
            const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
            const bad = [];
            const byKind = new Map();
            let next = 0;
            const worker = async () => {
                while (next < requests.length) {
                    const req = requests[next++];
                    const a = await send(s.url, req, agent);
                    const k = byKind.get(req.kind) ?? { sent: 0, fivexx: 0, dropped: 0 };
                    byKind.set(req.kind, k);
                    k.sent++;
                    if (a.status === undefined) {
                        k.dropped++;
                        bad.push(`dropped (${a.error}): ${describeReq(req)}`);
                    }
                    else if (a.status >= 500) {
                        k.fivexx++;
                        bad.push(`${a.status} ${a.body.slice(0, 200)}: ${describeReq(req)}`);
                    }
                    else if (a.status < 300 && req.kind !== 'token') {
                        // Only a list with a forged token may answer 2xx (an empty page): everything else carries a value the codec must refuse.
                        bad.push(`accepted ${a.status}: ${describeReq(req)}`);
                    }
                    else if (a.status >= 300 && !a.body.includes('"message"')) {
                        bad.push(`not AWS-shaped ${a.status} ${a.body.slice(0, 200)}: ${describeReq(req)}`);
                    }
                }
            };
            await Promise.all(Array.from({ length: CONCURRENCY }, worker));
            agent.destroy();
            const table = [...byKind].map(([k, v]) => `${k}: ${v.sent} sent, ${v.fivexx} 5xx, ${v.dropped} dropped`).join('; ');
            console.log(`bad input [${backend}] seed ${SEED}: ${requests.length} requests; ${table}`);
            assert.deepEqual(bad.slice(0, 30), [], `${bad.length} bad answers (seed ${SEED}); ${table}`);
            assert.deepEqual(await snapshot(s), before_, 'the data changed');
        });
        test(`${MQTT_COUNT} malformed MQTT device requests: every one rejected as the client's fault, the connection kept`, async () => {
            const device = await Device.connect(s.app.mqttUrl, fx.thingName);
            try {
                const r = rng(SEED + 1);
                const shapes = models['iot-jobs-data'].shapes;
                // The MQTT topics of the device API (not in the model); the payloads come from the model.
                const topics = {
                    StartNextPendingJobExecution: `$aws/things/${fx.thingName}/jobs/start-next`,
                    DescribeJobExecution: `$aws/things/${fx.thingName}/jobs/${fx.jobId}/get`,
                    UpdateJobExecution: `$aws/things/${fx.thingName}/jobs/${fx.jobId}/update`,
                };
                const kinds = ['deep', 'bignum', 'nul', 'surrogate', 'wrongtype'];
                const bad = [];
                let sent = 0;
                for (let i = 0; sent < MQTT_COUNT && i < MQTT_COUNT * 4; i++) {
                    const api = Object.keys(topics)[i % 3];
                    const payload = plantedBody(shapes, models['iot-jobs-data'].operations[api].input.shape, kinds[Math.floor(r() * kinds.length)], fx, r);
                    if (!payload)
                        continue;
                    const clientToken = `bi-${i}`;
                    const text = `{"clientToken":"${clientToken}",${payload.slice(1)}`;
                    const reply = device.waitFor((m) => /\/(accepted|rejected)$/.test(m.topic) && m.body.clientToken === clientToken, 10_000);
                    await device.client.publishAsync(topics[api], text, { qos: 0 });
                    const m = await reply;
                    sent++;
                    if (!m.topic.endsWith('/rejected') || m.body.code === 'InternalError')
                        bad.push(`${m.topic} ${String(m.body.code)} ${String(m.body.message).slice(0, 200)}: ${api} ${text.slice(0, 160)}`);
                }
                assert.ok(sent >= MQTT_COUNT, `sent ${sent}`);
                assert.ok(device.client.connected, 'the device is still connected');
                assert.deepEqual(bad.slice(0, 20), [], `${bad.length} bad MQTT answers (seed ${SEED})`);
                assert.deepEqual(await snapshot(s), before_, 'the data changed');
            }
            finally {
                await device.close();
            }
        });
        // Last: some of these values are valid, so requests here may change data.
        test('every numeric member at the edges of its type and model range, in every place: 400 when outside, never a 5xx', async () => {
            const requests = generateEdges(fx);
            const covered = new Set(requests.map((r) => `${r.service}:${r.operation} ${r.where}`));
            for (const m of numericMembers())
                assert.ok(covered.has(m), `no edge request for ${m}`);
            const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
            const bad = [];
            let refused = 0;
            let next = 0;
            const worker = async () => {
                while (next < requests.length) {
                    const req = requests[next++];
                    const a = await send(s.url, req, agent);
                    const what = `${req.operation} ${req.where} = ${req.value.slice(0, 40)}`;
                    if (a.status === undefined)
                        bad.push(`dropped (${a.error}): ${what}`);
                    else if (a.status >= 500)
                        bad.push(`${a.status} ${a.body.slice(0, 200)}: ${what}`);
                    else if (req.refused && (a.status !== 400 || a.errorType !== invalidInputError(req.service, req.operation)))
                        bad.push(`not refused: ${a.status} ${a.errorType} ${a.body.slice(0, 200)}: ${what}`);
                    else if (a.status >= 300 && (!a.errorType || !a.body.includes('"message"')))
                        bad.push(`not AWS-shaped ${a.status} ${a.body.slice(0, 200)}: ${what}`);
                    if (req.refused)
                        refused++;
                }
            };
            await Promise.all(Array.from({ length: CONCURRENCY }, worker));
            agent.destroy();
            // The device API's payloads over MQTT: refused as InvalidRequest, never an InternalError.
            const device = await Device.connect(s.app.mqttUrl, fx.thingName);
            const edges = payloadEdges({ DescribeJobExecution: ['executionNumber'], UpdateJobExecution: ['expectedVersion', 'executionNumber', 'stepTimeoutInMinutes'], StartNextPendingJobExecution: ['stepTimeoutInMinutes'] });
            const topics = {
                StartNextPendingJobExecution: `$aws/things/${fx.thingName}/jobs/start-next`,
                DescribeJobExecution: `$aws/things/${fx.thingName}/jobs/${fx.jobId}/get`,
                UpdateJobExecution: `$aws/things/${fx.thingName}/jobs/${fx.jobId}/update`,
            };
            try {
                for (const [i, e] of edges.entries()) {
                    const clientToken = `bi-edge-${i}`;
                    // QUEUED back to QUEUED is refused after the codec: only the number decides a 400.
                    const status = e.api === 'UpdateJobExecution' ? '"status":"QUEUED",' : '';
                    const reply = device.waitFor((m) => /\/(accepted|rejected)$/.test(m.topic) && m.body.clientToken === clientToken, 10_000);
                    await device.client.publishAsync(topics[e.api], `{"clientToken":"${clientToken}",${status}"${e.member}":${e.value}}`, { qos: 0 });
                    const m = await reply;
                    const what = `MQTT ${e.api} ${e.member} = ${e.value.slice(0, 40)}: ${m.topic} ${String(m.body.code)} ${String(m.body.message).slice(0, 160)}`;
                    if (m.body.code === 'InternalError')
                        bad.push(what);
                    else if (e.refused && m.body.code !== 'InvalidRequest')
                        bad.push(`not refused: ${what}`);
                }
            }
            finally {
                await device.close();
            }
            console.log(`numeric edges [${backend}]: ${requests.length} HTTP requests over ${covered.size} numeric members, ${refused} of them refused (400); ${edges.length} MQTT payloads`);
            assert.deepEqual(bad.slice(0, 30), [], `${bad.length} bad answers`);
        });
    });
}
//# sourceMappingURL=bad-input.test.js.map