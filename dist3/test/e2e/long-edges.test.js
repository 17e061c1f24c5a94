import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { CreateJobCommand, CreateThingCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, startServer, thingArn } from '../support/harness.js';
import { send } from '../support/bad-input.js';
import { Device } from '../support/device.js';
/**
 * `long` members at the edges of a 64-bit long, checked on their decimal text (issue 26 §2): a
 * value outside it is a 400 on both backends (not a 500 from PostgreSQL's bigint, nor a wrong
 * 404 or 409 from a double rounded into range); a value inside it but past 2^53 reaches the store
 * and the messages exactly, in the path, the query, a JSON body and an MQTT payload.
 */
const THING = 'hardening-long-thing';
const JOB = 'hardening-long-job';
const OUTSIDE = ['-9223372036854775809', '9223372036854775808', '-9223372036854775810', '99999999999999999999999', '-1e19', '9.3e18'];
const INSIDE = ['-9223372036854775808', '9223372036854775807', '9007199254740993', '-9007199254740993', '9.2e18'];
for (const backend of BACKENDS) {
    describe(`64-bit long edges [${backend}]`, () => {
        let s;
        let agent;
        const call = (service, method, path, query = '', body) => send(s.url, { kind: 'bignum', service, operation: '', method, path, query, body: body === undefined ? undefined : Buffer.from(body) }, agent);
        const errorOf = (a) => JSON.parse(a.body);
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
            agent = new Agent({ keepAlive: true });
            await s.iot.send(new CreateThingCommand({ thingName: THING }));
            await s.iot.send(new CreateJobCommand({ jobId: JOB, targets: [thingArn(THING)], document: '{"op":"x"}' }));
            await eventually(async () => ((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: JOB }))).executionSummaries?.length ?? 0) === 1);
        });
        after(async () => {
            agent?.destroy();
            await s?.close();
        });
        test('query: outside the long range is 400, inside is looked up exactly (404), 1 in any spelling is found', async () => {
            for (const [service, path] of [['iot', `/things/${THING}/jobs/${JOB}`], ['iot-jobs-data', `/things/${THING}/jobs/${JOB}`]]) {
                for (const v of OUTSIDE.filter((x) => /^-?\d+$/.test(x))) {
                    const a = await call(service, 'GET', path, `executionNumber=${v}`);
                    assert.equal(a.status, 400, `${service} ${v}: ${a.body}`);
                    assert.match(errorOf(a).message, new RegExp(`Value '${v}' at 'executionNumber' failed to satisfy constraint: Member must fit in a 64-bit long`));
                }
                for (const v of INSIDE.filter((x) => /^-?\d+$/.test(x))) {
                    const a = await call(service, 'GET', path, `executionNumber=${v}`);
                    assert.equal(a.status, 404, `${service} ${v}: ${a.body}`);
                }
                for (const v of ['1', '0000000000000000000000001'])
                    assert.equal((await call(service, 'GET', path, `executionNumber=${v}`)).status, 200, `${service} ${v}`);
            }
            // A thing's expectedVersion on DeleteThing, in the query.
            const a = await call('iot', 'DELETE', `/things/${THING}`, 'expectedVersion=-9223372036854775809');
            assert.equal(a.status, 400, a.body);
        });
        test('path: DeleteJobExecution with an executionNumber outside the range is 400, inside it 404', async () => {
            for (const v of OUTSIDE.filter((x) => /^-?\d+$/.test(x))) {
                const a = await call('iot', 'DELETE', `/things/${THING}/jobs/${JOB}/executionNumber/${v}`);
                assert.equal(a.status, 400, `${v}: ${a.body}`);
            }
            for (const v of INSIDE.filter((x) => /^-?\d+$/.test(x))) {
                const a = await call('iot', 'DELETE', `/things/${THING}/jobs/${JOB}/executionNumber/${v}`);
                assert.equal(a.status, 404, `${v}: ${a.body}`);
                assert.match(errorOf(a).message, new RegExp(`Job execution ${v} `), 'the message names the number as sent');
            }
        });
        test('JSON body: outside the range is 400, inside it a version conflict or not found with the exact number', async () => {
            const path = `/things/${THING}/jobs/${JOB}`;
            for (const v of OUTSIDE) {
                for (const member of ['expectedVersion', 'executionNumber']) {
                    const a = await call('iot-jobs-data', 'POST', path, '', `{"status":"IN_PROGRESS","${member}":${v}}`);
                    assert.equal(a.status, 400, `${member} ${v}: ${a.body}`);
                    assert.match(errorOf(a).message, new RegExp(`at '${member}' failed to satisfy constraint: Member must fit in a 64-bit long`));
                }
                const t = await call('iot', 'PATCH', `/things/${THING}`, '', `{"expectedVersion":${v}}`);
                assert.equal(t.status, 400, `UpdateThing ${v}: ${t.body}`);
            }
            for (const v of INSIDE) {
                const exact = BigInt(/e/.test(v) ? Number(v) : v).toString();
                const conflict = await call('iot-jobs-data', 'POST', path, '', `{"status":"IN_PROGRESS","expectedVersion":${v}}`);
                assert.equal(conflict.status, 409, `expectedVersion ${v}: ${conflict.body}`);
                assert.match(errorOf(conflict).message, new RegExp(`The expected version ${exact} does not match the current version 1`));
                const missing = await call('iot-jobs-data', 'POST', path, '', `{"status":"IN_PROGRESS","executionNumber":${v}}`);
                assert.equal(missing.status, 404, `executionNumber ${v}: ${missing.body}`);
                const thing = await call('iot', 'PATCH', `/things/${THING}`, '', `{"expectedVersion":${v}}`);
                assert.equal(thing.status, 409, `UpdateThing ${v}: ${thing.body}`);
                assert.match(errorOf(thing).message, new RegExp(`The expected version ${exact} does not match`));
            }
            // Fractions and floats of a long stay refused; the same value in another spelling is accepted.
            for (const v of ['1.5', '9007199254740991.5', '1e400']) {
                const a = await call('iot-jobs-data', 'POST', path, '', `{"status":"IN_PROGRESS","expectedVersion":${v}}`);
                assert.equal(a.status, 400, `${v}: ${a.body}`);
            }
            // The execution is untouched by all of the above, at version 1.
            const d = await call('iot-jobs-data', 'GET', path);
            assert.equal(JSON.parse(d.body).execution.versionNumber, 1);
        });
        test('MQTT payload: outside the range is InvalidRequest, inside it ResourceNotFound or VersionMismatch, never InternalError', async () => {
            const d = await Device.connect(s.app.mqttUrl, THING);
            let seq = 0;
            // The payload as raw text (JSON.stringify cannot write these numbers), matched by its clientToken.
            const request = async (path, members) => {
                const topic = `${d.prefix}/${path}`;
                const clientToken = `hl-${++seq}`;
                const reply = d.waitFor((m) => m.topic.startsWith(`${topic}/`) && m.body.clientToken === clientToken, 5000, `reply to ${path}`);
                await d.client.publishAsync(topic, `{"clientToken":"${clientToken}",${members}}`, { qos: 1 });
                const m = await reply;
                return { accepted: m.topic.endsWith('/accepted'), body: m.body };
            };
            try {
                for (const v of OUTSIDE) {
                    const r = await request(`${JOB}/update`, `"status":"IN_PROGRESS","executionNumber":${v}`);
                    assert.equal(r.accepted, false);
                    assert.equal(r.body.code, 'InvalidRequest', `${v}: ${String(r.body.message)}`);
                }
                for (const v of INSIDE) {
                    const n = await request(`${JOB}/get`, `"executionNumber":${v}`);
                    assert.equal(n.body.code, 'ResourceNotFound', `${v}: ${String(n.body.message)}`);
                    const c = await request(`${JOB}/update`, `"status":"IN_PROGRESS","expectedVersion":${v}`);
                    assert.equal(c.body.code, 'VersionMismatch', `${v}: ${String(c.body.message)}`);
                }
            }
            finally {
                await d.close();
            }
        });
    });
}
//# sourceMappingURL=long-edges.test.js.map