import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { sql } from 'kysely';
import { CreateJobCommand, CreateThingCommand, DeleteJobCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, startServer, thingArn } from '../support/harness.js';
/** The Prometheus text format's sample lines (no HELP/TYPE comments). */
function parse(text) {
    const out = [];
    for (const line of text.split('\n')) {
        if (line === '' || line.startsWith('#'))
            continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        assert.ok(m, `not a sample line: ${line}`);
        const labels = {};
        for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
            labels[l[1]] = l[2];
        out.push({ name: m[1], labels, value: Number(m[3]) });
    }
    return out;
}
function value(samples, name, labels = {}) {
    const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
    if (found.length === 0)
        return undefined;
    return found.reduce((sum, s) => sum + s.value, 0);
}
async function scrape(url) {
    const r = await fetch(`${url}/metrics`);
    const text = await r.text();
    assert.equal(r.status, 200, text);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return { samples: parse(text), text };
}
for (const backend of BACKENDS) {
    describe(`GET /metrics (${backend})`, () => {
        let s;
        before(async () => {
            // A slow deletion, so that it is still in progress when scraped.
            s = await startServer(backend, { mqttPort: 0, deletionRate: 2 });
        });
        after(async () => {
            await s.close();
        });
        test('is unsigned like /health, and lists the process metrics', async () => {
            const { samples } = await scrape(s.url);
            for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes'])
                assert.ok(value(samples, name) !== undefined, `${name} is missing`);
            for (const name of ['iot_jobs_job_executions', 'iot_jobs_jobs', 'iot_jobs_worker_backlog_jobs', 'iot_jobs_deletions_in_progress', 'iot_jobs_deletion_executions_left', 'iot_jobs_mqtt_connections', 'iot_jobs_mqtt_connections_total'])
                assert.ok(value(samples, name) !== undefined, `${name} is missing`);
        });
        test("the dashboard's static files are counted as operation ui, not none", async () => {
            for (const path of ['/ui/', '/ui/index.html']) {
                const res = await fetch(`${s.url}${path}`);
                assert.equal(res.status, 200, path);
                await res.text();
            }
            const { samples } = await scrape(s.url);
            assert.ok((value(samples, 'iot_jobs_http_requests_total', { operation: 'ui', status: '200' }) ?? 0) >= 2, 'ui requests');
            assert.equal(value(samples, 'iot_jobs_http_requests_total', { operation: 'none', status: '200' }), undefined);
        });
        test('counts HTTP requests, MQTT traffic and executions as they happen; no label carries an id', async () => {
            const things = ['met-thing-a', 'met-thing-b', 'met-thing-c'];
            for (const thingName of things)
                await s.iot.send(new CreateThingCommand({ thingName }));
            await s.iot.send(new CreateJobCommand({ jobId: 'met-job-1', targets: things.map(thingArn), document: '{"v":1}' }));
            await assert.rejects(s.iot.send(new DescribeJobCommand({ jobId: 'met-missing' })), { name: 'ResourceNotFoundException' });
            await assert.rejects(s.iot.send(new DescribeJobCommand({ jobId: 'met-missing' })), { name: 'ResourceNotFoundException' });
            // One device works its job over MQTT: start-next, then SUCCEEDED.
            const device = await mqtt.connectAsync(s.app.mqttUrl, { clientId: 'met-thing-a', reconnectPeriod: 0 });
            const base = '$aws/things/met-thing-a/jobs';
            await device.subscribeAsync([`${base}/notify-next`, `${base}/start-next/accepted`, `${base}/met-job-1/update/accepted`]);
            const got = (topic) => new Promise((resolve) => device.on('message', (t) => t === topic && resolve()));
            const started = got(`${base}/start-next/accepted`);
            device.publish(`${base}/start-next`, '{}');
            await started;
            const updated = got(`${base}/met-job-1/update/accepted`);
            device.publish(`${base}/met-job-1/update`, JSON.stringify({ status: 'SUCCEEDED' }));
            await updated;
            const during = (await scrape(s.url)).samples;
            assert.equal(value(during, 'iot_jobs_mqtt_connections'), 1);
            assert.equal(value(during, 'iot_jobs_mqtt_connections_total'), 1);
            await device.endAsync();
            const { samples, text } = await scrape(s.url);
            const http = (operation, status) => value(samples, 'iot_jobs_http_requests_total', { operation, status });
            assert.equal(http('CreateThing', '200'), 3);
            assert.equal(http('CreateJob', '200'), 1);
            assert.equal(http('DescribeJob', '404'), 2);
            assert.equal(http('metrics', '200'), 3, 'the earlier scrapes of this test and of the first two tests');
            assert.equal(value(samples, 'iot_jobs_http_request_duration_seconds_count', { operation: 'CreateThing', status: '200' }), 3);
            assert.equal(value(samples, 'iot_jobs_http_request_duration_seconds_bucket', { operation: 'CreateJob', status: '200', le: '+Inf' }), 1);
            assert.ok(value(samples, 'iot_jobs_http_request_duration_seconds_sum', { operation: 'CreateJob', status: '200' }) > 0);
            const inbound = (kind) => value(samples, 'iot_jobs_mqtt_messages_received_total', { kind });
            const outbound = (kind) => value(samples, 'iot_jobs_mqtt_messages_sent_total', { kind });
            assert.equal(inbound('StartNextPendingJobExecution'), 1);
            assert.equal(inbound('UpdateJobExecution'), 1);
            assert.equal(outbound('accepted'), 2);
            assert.ok(outbound('notify-next') >= 1, 'the job that was queued, then none after SUCCEEDED');
            await eventually(async () => value((await scrape(s.url)).samples, 'iot_jobs_mqtt_connections') === 0, 10_000, 'the device gone');
            // From the kept counters: one succeeded, two still queued.
            assert.equal(value(samples, 'iot_jobs_job_executions', { status: 'SUCCEEDED' }), 1);
            assert.equal(value(samples, 'iot_jobs_job_executions', { status: 'QUEUED' }), 2);
            assert.equal(value(samples, 'iot_jobs_job_executions', { status: 'IN_PROGRESS' }), 0);
            assert.equal(value(samples, 'iot_jobs_jobs', { status: 'IN_PROGRESS' }), 1);
            // Ids never appear in labels (they are in no line of the output at all).
            for (const id of [...things, 'met-job-1', 'met-missing'])
                assert.ok(!text.includes(id), `${id} appears in /metrics`);
            const labelNames = new Set(samples.flatMap((x) => Object.keys(x.labels)));
            for (const name of labelNames)
                assert.ok(['operation', 'status', 'kind', 'le', 'quantile', 'type', 'space', 'version', 'major', 'minor', 'patch'].includes(name), `unexpected label ${name}`);
        });
        test('the data gauges come from the counters kept on the job rows, not from a scan of executions', async () => {
            const before = (await scrape(s.url)).samples;
            // Move an execution behind the counters' back: a scan would see it, the counters do not.
            await s.app.store.db.updateTable('job_executions').set({ status: 'FAILED' }).where('job_id', '=', 'met-job-1').where('thing_name', '=', 'met-thing-b').execute();
            const after = (await scrape(s.url)).samples;
            assert.equal(value(after, 'iot_jobs_job_executions', { status: 'FAILED' }), value(before, 'iot_jobs_job_executions', { status: 'FAILED' }));
            assert.equal(value(after, 'iot_jobs_job_executions', { status: 'QUEUED' }), 2);
            await s.app.store.db.updateTable('job_executions').set({ status: 'QUEUED' }).where('job_id', '=', 'met-job-1').where('thing_name', '=', 'met-thing-b').execute();
        });
        test('a deletion in progress: the jobs in DELETION_IN_PROGRESS, the worker backlog and what is left', async () => {
            const things = Array.from({ length: 20 }, (_, i) => `met-del-${i}`);
            for (const thingName of things)
                await s.iot.send(new CreateThingCommand({ thingName }));
            await s.iot.send(new CreateJobCommand({ jobId: 'met-job-del', targets: things.map(thingArn), document: '{}' }));
            await s.iot.send(new DeleteJobCommand({ jobId: 'met-job-del', force: true }));
            // 20 executions at 2 a second: about 10 seconds of deletion.
            const { samples } = await scrape(s.url);
            assert.equal(value(samples, 'iot_jobs_deletions_in_progress'), 1);
            assert.equal(value(samples, 'iot_jobs_worker_backlog_jobs', { kind: 'delete' }), 1);
            assert.equal(value(samples, 'iot_jobs_worker_backlog_jobs', { kind: 'rollout' }), 0);
            assert.equal(value(samples, 'iot_jobs_jobs', { status: 'DELETION_IN_PROGRESS' }), 1);
            const left = value(samples, 'iot_jobs_deletion_executions_left');
            assert.ok(left > 0 && left <= 20, `left: ${left}`);
            const later = await eventually(async () => {
                const v = value((await scrape(s.url)).samples, 'iot_jobs_deletion_executions_left');
                return v < left ? v : undefined;
            }, 30_000, 'the deletion to progress');
            assert.ok(later < left);
        });
    });
}
describe('GET /metrics when the data cannot be read', () => {
    test('503 with a one-line reason, never a 500 or a stack trace', async () => {
        const s = await startServer(BACKENDS[0]);
        try {
            // The jobs table gone from under the server: the data gauges cannot be read.
            await sql `alter table jobs rename to jobs_gone`.execute(s.app.store.db);
            const r = await fetch(`${s.url}/metrics`);
            assert.equal(r.status, 503);
            assert.equal(await r.text(), 'metrics unavailable: the database does not answer\n');
            await sql `alter table jobs_gone rename to jobs`.execute(s.app.store.db);
            assert.equal((await fetch(`${s.url}/metrics`)).status, 200);
        }
        finally {
            await s.close();
        }
    });
});
//# sourceMappingURL=metrics.test.js.map