import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand as ControlDescribe, DescribeThingCommand, IoTClient, ListJobExecutionsForThingCommand, ListThingsInThingGroupCommand, } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand, GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '../../src/auth/sigv4.js';
import { BACKENDS, CREDENTIALS, REGION, groupArn, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
/**
 * The HTTP device plane (service `iot-jobs-data`) through @aws-sdk/client-iot-jobs-data-plane,
 * and the HTTP wire itself (authentication errors, unknown routes, request ids, /health).
 */
const DOC = '{"op":"reboot","delay":5}';
async function thing(iot, name) {
    await iot.send(new CreateThingCommand({ thingName: name }));
    return name;
}
const createJob = (iot, jobId, things, extra = {}) => iot.send(new CreateJobCommand({ jobId, targets: things.map(thingArn), document: DOC, ...extra }));
const nowSeconds = () => Date.now() / 1000;
/** Device-plane timestamps are whole epoch seconds, close to now. */
function assertSeconds(v, what) {
    assert.ok(typeof v === 'number' && Number.isInteger(v), `${what} is whole seconds: ${v}`);
    assert.ok(Math.abs(v - nowSeconds()) < 120, `${what} is epoch seconds close to now: ${v}`);
}
/** Signs a request for this server with the test credentials, as an SDK would. */
async function signedFetch(url, method, path, service) {
    const u = new URL(url);
    const signer = new SignatureV4({ service, region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
    const req = new HttpRequest({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, headers: { host: u.host } });
    const signed = await signer.sign(req);
    return fetch(`${url}${path}`, { method, headers: signed.headers });
}
for (const backend of BACKENDS) {
    describe(`HTTP device plane [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('GetPendingJobExecutions: IN_PROGRESS first, then QUEUED in queue order; terminal and namespaced jobs are not listed', async () => {
            const t = await thing(s.iot, 'gp');
            for (const id of ['gp-1', 'gp-2', 'gp-3', 'gp-4'])
                await createJob(s.iot, id, [t]);
            await createJob(s.iot, 'gp-ns', [t], { namespaceId: 'gg' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'gp-3', thingName: t, status: 'IN_PROGRESS' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'gp-4', thingName: t, status: 'SUCCEEDED' }));
            const p = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t }));
            assert.deepEqual(p.inProgressJobs?.map((j) => j.jobId), ['gp-3']);
            assert.deepEqual(p.queuedJobs?.map((j) => j.jobId), ['gp-1', 'gp-2']);
            const ip = p.inProgressJobs[0];
            assert.equal(ip.versionNumber, 2);
            assert.equal(ip.executionNumber, 1);
            assertSeconds(ip.queuedAt, 'queuedAt');
            assertSeconds(ip.startedAt, 'startedAt');
            assertSeconds(ip.lastUpdatedAt, 'lastUpdatedAt');
            const q = p.queuedJobs[0];
            assert.equal(q.versionNumber, 1);
            assert.equal(q.startedAt, undefined);
            const none = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: await thing(s.iot, 'gp-idle') }));
            assert.deepEqual([none.inProgressJobs ?? [], none.queuedJobs ?? []], [[], []]);
        });
        test('StartNextPendingJobExecution: starts the oldest QUEUED one with statusDetails; nothing pending gives no execution', async () => {
            const t = await thing(s.iot, 'sn');
            await createJob(s.iot, 'sn-1', [t]);
            await createJob(s.iot, 'sn-2', [t]);
            const r = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t, statusDetails: { stage: 'begin' } }));
            const e = r.execution;
            assert.equal(e.jobId, 'sn-1');
            assert.equal(e.thingName, t);
            assert.equal(e.status, 'IN_PROGRESS');
            assert.deepEqual(e.statusDetails, { stage: 'begin' });
            assert.equal(e.versionNumber, 2);
            assert.equal(e.executionNumber, 1);
            assert.equal(e.jobDocument, DOC);
            assertSeconds(e.startedAt, 'startedAt');
            const c = (await s.iot.send(new ControlDescribe({ jobId: 'sn-1', thingName: t }))).execution;
            assert.equal(c.status, 'IN_PROGRESS');
            assert.deepEqual(c.statusDetails?.detailsMap, { stage: 'begin' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'sn-1', thingName: t, status: 'SUCCEEDED' }));
            assert.equal((await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }))).execution?.jobId, 'sn-2');
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'sn-2', thingName: t, status: 'FAILED' }));
            const empty = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            assert.equal(empty.execution, undefined);
            assert.equal(empty.$metadata.httpStatusCode, 200);
            assert.equal((await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: await thing(s.iot, 'sn-idle') }))).execution, undefined);
            assert.equal((await s.iot.send(new DescribeJobCommand({ jobId: 'sn-2' }))).job?.status, 'COMPLETED');
        });
        test('DescribeJobExecution: $next, by jobId, includeJobDocument; terminal is 410 TerminalStateException; unknown 404', async () => {
            const t = await thing(s.iot, 'dn');
            await createJob(s.iot, 'dn-1', [t]);
            await createJob(s.iot, 'dn-2', [t]);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'dn-2', thingName: t, status: 'IN_PROGRESS' }));
            const next = (await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: '$next' }))).execution;
            assert.equal(next.jobId, 'dn-2', 'IN_PROGRESS comes first');
            assert.equal(next.status, 'IN_PROGRESS');
            assert.equal(next.jobDocument, DOC, 'includeJobDocument defaults to true');
            const bare = (await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: '$next', includeJobDocument: false }))).execution;
            assert.equal(bare.jobId, 'dn-2');
            assert.equal(bare.jobDocument, undefined);
            const one = (await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'dn-1', includeJobDocument: true }))).execution;
            assert.deepEqual([one.jobId, one.status, one.versionNumber, one.jobDocument], ['dn-1', 'QUEUED', 1, DOC]);
            assert.equal((await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'dn-1', includeJobDocument: false }))).execution?.jobDocument, undefined);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'dn-2', thingName: t, status: 'SUCCEEDED' }));
            await rejectsWith(s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'dn-2' })), 'TerminalStateException', 410);
            assert.equal((await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: '$next' }))).execution?.jobId, 'dn-1');
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'dn-1', thingName: t, status: 'REJECTED' }));
            const nothing = await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: '$next' }));
            assert.equal(nothing.execution, undefined);
            await rejectsWith(s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'dn-nope' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'bad.id' })), 'InvalidRequestException', 400, /jobId/);
        });
        test('UpdateJobExecution: versionNumber +1 each time, includeJobExecutionState/includeJobDocument, expectedVersion 409 with executionState', async () => {
            const t = await thing(s.iot, 'up');
            await createJob(s.iot, 'up-1', [t]);
            const plain = await s.data.send(new UpdateJobExecutionCommand({ jobId: 'up-1', thingName: t, status: 'IN_PROGRESS', expectedVersion: 1 }));
            assert.equal(plain.executionState, undefined, 'includeJobExecutionState defaults to false');
            assert.equal(plain.jobDocument, undefined, 'includeJobDocument defaults to false');
            const r = await s.data.send(new UpdateJobExecutionCommand({
                jobId: 'up-1',
                thingName: t,
                status: 'IN_PROGRESS',
                statusDetails: { progress: '40' },
                expectedVersion: 2,
                includeJobExecutionState: true,
                includeJobDocument: true,
            }));
            assert.deepEqual(r.executionState, { status: 'IN_PROGRESS', statusDetails: { progress: '40' }, versionNumber: 3 });
            assert.equal(r.jobDocument, DOC);
            const err = await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'up-1', thingName: t, status: 'SUCCEEDED', expectedVersion: 2 })), 'InvalidStateTransitionException', 409);
            assert.deepEqual(err.executionState, { status: 'IN_PROGRESS', statusDetails: { progress: '40' }, versionNumber: 3 });
            assert.equal((await s.iot.send(new ControlDescribe({ jobId: 'up-1', thingName: t }))).execution?.status, 'IN_PROGRESS', 'a refused update changes nothing');
            const done = await s.data.send(new UpdateJobExecutionCommand({ jobId: 'up-1', thingName: t, status: 'SUCCEEDED', expectedVersion: 3, includeJobExecutionState: true }));
            assert.equal(done.executionState?.versionNumber, 4);
            assert.equal(done.executionState?.status, 'SUCCEEDED');
            const c = (await s.iot.send(new ControlDescribe({ jobId: 'up-1', thingName: t }))).execution;
            assert.equal(c.versionNumber, 4);
            assert.equal(c.status, 'SUCCEEDED');
        });
        test('UpdateJobExecution: a device may set only IN_PROGRESS, SUCCEEDED, FAILED, REJECTED; a terminal execution cannot change (409)', async () => {
            const t = await thing(s.iot, 'us');
            await createJob(s.iot, 'us-1', [t]);
            for (const status of ['QUEUED', 'CANCELED', 'TIMED_OUT', 'REMOVED'])
                await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'us-1', thingName: t, status })), 'InvalidRequestException', 400);
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'us-1', thingName: t, status: 'DONE' })), 'InvalidRequestException', 400, /status/);
            const bigDetails = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'us-1', thingName: t, status: 'IN_PROGRESS', statusDetails: bigDetails })), 'InvalidRequestException', 400);
            const c = (await s.iot.send(new ControlDescribe({ jobId: 'us-1', thingName: t }))).execution;
            assert.deepEqual([c.status, c.versionNumber], ['QUEUED', 1], 'refused updates change nothing');
            for (const [job, status] of [['us-s', 'SUCCEEDED'], ['us-f', 'FAILED'], ['us-r', 'REJECTED']]) {
                await createJob(s.iot, job, [t]);
                await s.data.send(new UpdateJobExecutionCommand({ jobId: job, thingName: t, status: 'IN_PROGRESS' }));
                await s.data.send(new UpdateJobExecutionCommand({ jobId: job, thingName: t, status }));
                for (const again of ['IN_PROGRESS', 'SUCCEEDED', 'FAILED']) {
                    const err = await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: job, thingName: t, status: again })), 'InvalidStateTransitionException', 409);
                    assert.deepEqual(err.executionState?.status, status);
                    assert.equal(err.executionState?.versionNumber, 3);
                }
            }
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'us-nope', thingName: t, status: 'IN_PROGRESS' })), 'ResourceNotFoundException', 404);
        });
        test("a thing name with ':' works through both clients", async () => {
            const t = await thing(s.iot, 'site:a:dev-1');
            assert.equal((await s.iot.send(new DescribeThingCommand({ thingName: t }))).thingArn, thingArn(t));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'site:a' }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'site:a', thingName: t }));
            assert.deepEqual((await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'site:a' }))).things, [t]);
            await s.iot.send(new CreateJobCommand({ jobId: 'colon-g', targets: [groupArn('site:a')], document: DOC }));
            await createJob(s.iot, 'colon-t', [t]);
            const pending = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: t }));
            assert.deepEqual(pending.queuedJobs?.map((j) => j.jobId), ['colon-g', 'colon-t']);
            const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: t }));
            assert.deepEqual([started.execution?.jobId, started.execution?.thingName], ['colon-g', t]);
            assert.equal((await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: '$next' }))).execution?.jobId, 'colon-g');
            assert.equal((await s.data.send(new DescribeJobExecutionCommand({ thingName: t, jobId: 'colon-t' }))).execution?.status, 'QUEUED');
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'colon-g', thingName: t, status: 'SUCCEEDED' }));
            const c = (await s.iot.send(new ControlDescribe({ jobId: 'colon-g', thingName: t }))).execution;
            assert.deepEqual([c.status, c.thingArn], ['SUCCEEDED', thingArn(t)]);
            const forThing = await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t }));
            assert.deepEqual(forThing.executionSummaries?.map((e) => [e.jobId, e.jobExecutionSummary?.status]), [['colon-t', 'QUEUED'], ['colon-g', 'SUCCEEDED']]);
        });
    });
    describe(`HTTP wire [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('an unsigned request: 403 MissingAuthenticationTokenException with a JSON message and a request id', async () => {
            const r = await fetch(`${s.url}/jobs`);
            assert.equal(r.status, 403);
            assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
            assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
            assert.ok(r.headers.get('x-amzn-requestid'));
            const body = (await r.json());
            assert.equal(typeof body.message, 'string');
            assert.ok(body.message.length > 0);
            const put = await fetch(`${s.url}/things/x/jobs/$next`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
            assert.equal(put.status, 403);
            assert.equal(put.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
        });
        test('a signed request for an unknown route: 404 UnknownOperationException, on both services', async () => {
            for (const service of ['iot', 'iot-jobs-data']) {
                const r = await signedFetch(s.url, 'GET', '/no/such/operation', service);
                assert.equal(r.status, 404, service);
                assert.equal(r.headers.get('x-amzn-errortype'), 'UnknownOperationException', service);
                assert.ok(r.headers.get('x-amzn-requestid'), service);
                assert.equal(typeof (await r.json()).message, 'string');
            }
            // A path that exists, with a method it does not have.
            const wrong = await signedFetch(s.url, 'DELETE', '/jobs', 'iot');
            assert.equal(wrong.status, 404);
            assert.equal(wrong.headers.get('x-amzn-errortype'), 'UnknownOperationException');
            // Properly signed and routed: it works, so the 404s above are not signature failures.
            const ok = await signedFetch(s.url, 'GET', '/jobs', 'iot');
            assert.equal(ok.status, 200);
            assert.deepEqual(await ok.json(), { jobs: [] });
        });
        test('a wrong secret: 403 InvalidSignatureException through the SDK', async () => {
            const bad = new IoTClient({ endpoint: s.url, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, maxAttempts: 1 });
            try {
                await rejectsWith(bad.send(new DescribeJobCommand({ jobId: 'x' })), 'InvalidSignatureException', 403);
            }
            finally {
                bad.destroy();
            }
        });
        test('every response carries a distinct x-amzn-RequestId, success and error alike', async () => {
            await thing(s.iot, 'rid');
            const ids = [];
            ids.push((await s.iot.send(new DescribeThingCommand({ thingName: 'rid' }))).$metadata.requestId);
            ids.push((await s.data.send(new GetPendingJobExecutionsCommand({ thingName: 'rid' }))).$metadata.requestId);
            const e1 = await rejectsWith(s.iot.send(new DescribeThingCommand({ thingName: 'rid-nope' })), 'ResourceNotFoundException', 404);
            ids.push(e1.$metadata.requestId);
            const e2 = await rejectsWith(s.data.send(new DescribeJobExecutionCommand({ thingName: 'rid', jobId: 'nope' })), 'ResourceNotFoundException', 404);
            ids.push(e2.$metadata.requestId);
            const e3 = await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: 'bad.id', targets: [thingArn('rid')], document: DOC })), 'InvalidRequestException', 400);
            ids.push(e3.$metadata.requestId);
            for (const id of ids)
                assert.match(id ?? '', /\S/, 'a request id');
            assert.equal(new Set(ids).size, ids.length, 'request ids are distinct');
        });
        for (const [method, path] of [['OPTIONS', '/jobs'], ['GET', '/things/%ZZ']])
            test(`a response the router never reaches is AWS-shaped too: ${method} ${path}`, async () => {
                const r = await fetch(`${s.url}${path}`, { method });
                const what = `${method} ${path} (${r.status})`;
                assert.ok(r.status >= 400 && r.status < 500, what);
                assert.ok(r.headers.get('x-amzn-requestid'), `${what}: x-amzn-RequestId`);
                assert.ok(r.headers.get('x-amzn-errortype'), `${what}: x-amzn-ErrorType`);
                assert.equal(typeof (await r.json()).message, 'string', what);
            });
        test('GET /health answers 200', async () => {
            const r = await fetch(`${s.url}/health`);
            assert.equal(r.status, 200);
            assert.deepEqual(await r.json(), { status: 'ok' });
        });
    });
}
//# sourceMappingURL=device-http.test.js.map