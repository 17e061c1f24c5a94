import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent } from 'node:http';
import { DescribeEventConfigurationsCommand, UpdateEventConfigurationsCommand } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, pgNodes, startServer } from '../support/harness.js';
import { awsEnv } from '../support/cli.js';
import { send } from '../support/bad-input.js';
import { EVENT_CONFIG_POLL_MS } from '../../src/store/event-config.js';
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const AWS = '/usr/bin/aws';
const ALL = ['THING', 'THING_GROUP', 'THING_TYPE', 'THING_GROUP_MEMBERSHIP', 'THING_GROUP_HIERARCHY', 'THING_TYPE_ASSOCIATION', 'JOB', 'JOB_EXECUTION', 'POLICY', 'CERTIFICATE', 'CA_CERTIFICATE'];
const BOTO3 = String.raw `
import json, os, boto3, botocore
kw = dict(endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
iot.update_event_configurations(eventConfigurations={"THING": {"Enabled": True}})
d = iot.describe_event_configurations()
print(json.dumps({"configs": d["eventConfigurations"], "created": d["creationDate"].timestamp(), "modified": d["lastModifiedDate"].timestamp()}))
`;
const enabledOf = (configs) => Object.entries(configs ?? {}).filter(([, c]) => c.Enabled === true).map(([k]) => k).sort();
for (const backend of BACKENDS) {
    describe(`event configurations [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(() => s.close());
        test('a fresh server describes the 11 EventType keys, all off, with both dates', async () => {
            const d = await s.iot.send(new DescribeEventConfigurationsCommand({}));
            assert.deepEqual(Object.keys(d.eventConfigurations ?? {}).sort(), [...ALL].sort());
            for (const k of ALL)
                assert.deepEqual(d.eventConfigurations[k], { Enabled: false }, k);
            assert.ok(d.creationDate instanceof Date && d.lastModifiedDate instanceof Date);
            assert.ok(Math.abs(d.creationDate.getTime() - Date.now()) < 60_000);
            for (const k of ALL)
                assert.equal(s.app.eventConfig.isEnabled(k), false);
        });
        test('SDK v3, boto3 and the AWS CLI turn keys on and off; keys left out keep their value', async () => {
            const before = await s.iot.send(new DescribeEventConfigurationsCommand({}));
            await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: true }, JOB_EXECUTION: { Enabled: true } } }));
            assert.equal(s.app.eventConfig.isEnabled('JOB'), true, 'at once on the node that changed it');
            assert.equal(s.app.eventConfig.isEnabled('THING'), false);
            const { stdout } = await run(PYTHON, ['-c', BOTO3], { env: { ...process.env, ENDPOINT: s.url } });
            const py = JSON.parse(stdout);
            assert.deepEqual(enabledOf(py.configs), ['JOB', 'JOB_EXECUTION', 'THING']);
            assert.equal(Object.keys(py.configs).length, 11);
            assert.equal(Math.floor(py.created), Math.floor(before.creationDate.getTime() / 1000), 'creationDate does not move');
            assert.ok(py.modified >= py.created);
            const env = awsEnv(s.url);
            const aws = (...args) => run(AWS, ['--endpoint-url', s.url, '--output', 'json', ...args], { env });
            await aws('iot', 'update-event-configurations', '--event-configurations', '{"JOB":{"Enabled":false},"THING_GROUP":{"Enabled":true}}');
            const cli = JSON.parse((await aws('iot', 'describe-event-configurations')).stdout);
            assert.deepEqual(enabledOf(cli.eventConfigurations), ['JOB_EXECUTION', 'THING', 'THING_GROUP']);
            assert.ok(cli.creationDate !== undefined && cli.lastModifiedDate !== undefined);
            assert.equal(s.app.eventConfig.isEnabled('JOB'), false);
            assert.equal(s.app.eventConfig.isEnabled('THING_GROUP'), true);
            // An empty update, and a key without a value, change nothing.
            await s.iot.send(new UpdateEventConfigurationsCommand({}));
            await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { THING: {} } }));
            const d = await s.iot.send(new DescribeEventConfigurationsCommand({}));
            assert.deepEqual(enabledOf(d.eventConfigurations), ['JOB_EXECUTION', 'THING', 'THING_GROUP']);
        });
        test('unknown keys and malformed bodies are 400 InvalidRequestException, and change nothing', async () => {
            const agent = new Agent({ keepAlive: true });
            const patch = (body) => send(s.url, { kind: 'wrongtype', service: 'iot', operation: 'UpdateEventConfigurations', method: 'PATCH', path: '/event-configurations', query: '', body: Buffer.from(body) }, agent);
            const bodies = [
                '{"eventConfigurations":{"THINGS":{"Enabled":true}}}',
                '{"eventConfigurations":{"thing":{"Enabled":true}}}',
                '{"eventConfigurations":{"THING":{"Enabled":"yes"}}}',
                '{"eventConfigurations":{"THING":true}}',
                '{"eventConfigurations":{"THING":null}}',
                '{"eventConfigurations":[]}',
            ];
            // Bytes that are no JSON at all: 400 SerializationException, as for every operation (codec.ts).
            for (const body of ['{"eventConfigurations":', 'not json', '[]']) {
                const a = await patch(body);
                assert.equal(a.status, 400, `${body}: ${a.body}`);
                assert.equal(a.errorType, 'SerializationException', `${body}: ${a.body}`);
            }
            const was = enabledOf((await s.iot.send(new DescribeEventConfigurationsCommand({}))).eventConfigurations);
            for (const body of bodies) {
                const a = await patch(body);
                assert.equal(a.status, 400, `${body}: ${a.body}`);
                assert.equal(a.errorType, 'InvalidRequestException', `${body}: ${a.body}`);
                assert.ok(typeof JSON.parse(a.body).message === 'string', a.body);
            }
            await assert.rejects(s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { NOPE: { Enabled: true } } })), (e) => e.name === 'InvalidRequestException' && e.$metadata?.httpStatusCode === 400);
            assert.deepEqual(enabledOf((await s.iot.send(new DescribeEventConfigurationsCommand({}))).eventConfigurations), was);
            agent.destroy();
        });
        test('the settings survive a restart', async () => {
            const was = await s.iot.send(new DescribeEventConfigurationsCommand({}));
            s = await s.restart();
            const d = await s.iot.send(new DescribeEventConfigurationsCommand({}));
            assert.deepEqual(enabledOf(d.eventConfigurations), enabledOf(was.eventConfigurations));
            assert.equal(d.creationDate.getTime(), was.creationDate.getTime());
            assert.equal(d.lastModifiedDate.getTime(), was.lastModifiedDate.getTime());
            assert.equal(s.app.eventConfig.isEnabled('JOB_EXECUTION'), true, 'loaded at start');
            assert.equal(s.app.eventConfig.isEnabled('JOB'), false);
        });
    });
}
if (BACKENDS.includes('postgres')) {
    describe('event configurations across two PostgreSQL nodes', () => {
        test('a change on one node is described at once and followed by the other node within a poll', async () => {
            const c = await pgNodes(2);
            try {
                const [a, b] = c.nodes;
                assert.equal(b.app.eventConfig.isEnabled('JOB'), false);
                await a.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: true } } }));
                const changedAt = Date.now();
                assert.equal(a.app.eventConfig.isEnabled('JOB'), true);
                const d = await b.iot.send(new DescribeEventConfigurationsCommand({}));
                assert.equal(d.eventConfigurations.JOB.Enabled, true, 'described from the store');
                await eventually(async () => b.app.eventConfig.isEnabled('JOB'), 5000, 'node b follows');
                // One poll period, plus the time a busy shared machine takes to run it.
                assert.ok(Date.now() - changedAt < EVENT_CONFIG_POLL_MS + 1500, `followed after ${Date.now() - changedAt} ms`);
                await b.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: { JOB: { Enabled: false } } }));
                await eventually(async () => !a.app.eventConfig.isEnabled('JOB'), 5000, 'node a follows back');
            }
            finally {
                await c.close();
            }
        });
    });
}
//# sourceMappingURL=event-config.test.js.map