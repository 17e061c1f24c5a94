import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { checksFor, mqttCheck } from '../../src/iam/actions.js';
import { Iam, accessDenied } from '../../src/iam/iam.js';
/** The operation table (src/iam/actions.ts) and Iam.authorize, the entry point for MQTT clients. */
const scope = { region: 'eu-west-1', accountId: '123456789012' };
const A = 'arn:aws:iot:eu-west-1:123456789012';
const dir = mkdtempSync(join(tmpdir(), 'iam-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
test('checks per operation: several resources, tags at creation, request keys, * without a resource type', () => {
    assert.deepEqual(checksFor('iot', 'CreateJob', { jobId: 'j', targets: [`${A}:thinggroup/g`, `${A}:thing/t`], jobTemplateArn: `${A}:jobtemplate/tp`, tags: [{ Key: 'team', Value: 'fw' }] }, scope), [
        { action: 'iot:CreateJob', resources: [`${A}:job/j`, `${A}:thinggroup/g`, `${A}:thing/t`, `${A}:jobtemplate/tp`], context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'fw' } },
        { action: 'iot:TagResource', resources: [`${A}:job/j`], context: { 'aws:TagKeys': ['team'], 'aws:RequestTag/team': 'fw' } },
    ]);
    assert.deepEqual(checksFor('iot', 'CreateJob', { jobId: 'j', targets: [`${A}:thing/t`] }, scope), [{ action: 'iot:CreateJob', resources: [`${A}:job/j`, `${A}:thing/t`] }]);
    assert.deepEqual(checksFor('iot', 'CancelJobExecution', { jobId: 'j', thingName: 't' }, scope), [{ action: 'iot:CancelJobExecution', resources: [`${A}:job/j`, `${A}:thing/t`] }]);
    assert.deepEqual(checksFor('iot-jobs-data', 'UpdateJobExecution', { jobId: 'j', thingName: 't' }, scope), [{ action: 'iotjobsdata:UpdateJobExecution', resources: [`${A}:thing/t`], context: { 'iot:JobId': 'j' } }]);
    assert.deepEqual(checksFor('iot-jobs-data', 'GetPendingJobExecutions', { thingName: 't' }, scope), [{ action: 'iotjobsdata:GetPendingJobExecutions', resources: [`${A}:thing/t`] }]);
    assert.deepEqual(checksFor('iot', 'ListJobs', {}, scope), [{ action: 'iot:ListJobs', resources: ['*'] }]);
    assert.deepEqual(checksFor('iot', 'UntagResource', { resourceArn: `${A}:job/j`, tagKeys: ['a', 'b'] }, scope), [{ action: 'iot:UntagResource', resources: [`${A}:job/j`], context: { 'aws:TagKeys': ['a', 'b'] } }]);
    assert.deepEqual(checksFor('iot', 'AddThingToThingGroup', { thingGroupArn: `${A}:thinggroup/g`, thingName: 't' }, scope), [{ action: 'iot:AddThingToThingGroup', resources: [`${A}:thinggroup/g`, `${A}:thing/t`] }]);
    assert.deepEqual(checksFor('iot', 'UpdateThingGroupsForThing', { thingName: 't', thingGroupsToAdd: ['a'], thingGroupsToRemove: ['b'] }, scope)[0].resources, [`${A}:thing/t`, `${A}:thinggroup/a`, `${A}:thinggroup/b`]);
    // The perimeter's operations, for when they are served.
    assert.deepEqual(checksFor('iot-jobs-data', 'StartCommandExecution', { commandArn: `${A}:command/c`, targetArn: `${A}:thing/t` }, scope), [{ action: 'iot:StartCommandExecution', resources: [`${A}:command/c`, `${A}:thing/t`] }]);
    assert.deepEqual(checksFor('iot', 'AttachPolicy', { policyName: 'p', target: 'eu-west-1:cognito-id' }, scope), [{ action: 'iot:AttachPolicy', resources: ['*'] }]);
    assert.deepEqual(checksFor('iot', 'SearchIndex', { queryString: 'x' }, scope), [{ action: 'iot:SearchIndex', resources: [`${A}:index/AWS_Things`] }]);
    assert.deepEqual(checksFor('iot', 'GetPolicy', { policyName: 'p' }, scope), [{ action: 'iot:GetPolicy', resources: [`${A}:policy/p`] }]);
    // Not in the table: iot:<Operation> on *.
    assert.deepEqual(checksFor('iot', 'SomeFutureOperation', { x: 1 }, scope), [{ action: 'iot:SomeFutureOperation', resources: ['*'] }]);
});
test('Iam.authorize for MQTT clients: a subscription the policy does not allow is denied, ${iot:ClientId} resolves', () => {
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({
        users: [
            {
                name: 'app',
                accessKeyId: 'AKIDAPP',
                secretAccessKey: 's',
                policies: [
                    {
                        Version: '2012-10-17',
                        Statement: [
                            { Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/app-*` },
                            { Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/events/job/*` },
                            { Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/apps/\${iot:ClientId}/*` },
                        ],
                    },
                ],
            },
        ],
    }));
    const lines = [];
    const iam = new Iam(file, scope.accountId, pino({ level: 'info' }, { write: (l) => lines.push(l) }));
    const ask = (packet, name) => {
        const c = mqttCheck(scope, packet, name);
        return iam.authorize('AKIDAPP', c.action, c.resources, { 'iot:ClientId': 'app-1', 'aws:SourceIp': '127.0.0.1' });
    };
    assert.equal(ask('connect', 'app-1').allowed, true);
    assert.equal(ask('connect', 'other').allowed, false);
    assert.equal(ask('subscribe', '$aws/events/job/#').allowed, true);
    const denied = ask('subscribe', '$aws/things/t1/jobs/notify');
    assert.equal(denied.kind, 'implicitDeny');
    assert.equal(accessDenied(denied.user, denied).message, `User: arn:aws:iam::123456789012:user/app is not authorized to perform: iot:Subscribe on resource: ${A}:topicfilter/$aws/things/t1/jobs/notify because no identity-based policy allows the iot:Subscribe action`);
    assert.equal(ask('publish', 'apps/app-1/status').allowed, true);
    assert.equal(ask('receive', 'apps/app-2/status').allowed, false);
    assert.equal(iam.authorize('AKIDUNKNOWN', 'iot:Connect', [`${A}:client/x`]).allowed, false);
    const all = lines.map((l) => JSON.parse(l));
    const logged = all.filter((l) => l.msg === 'IAM decision');
    assert.equal(logged.length, 6);
    assert.equal(all.filter((l) => l.msg === 'IAM decision: unknown access key' && l.accessKeyId === 'AKIDUNKNOWN').length, 1);
    assert.deepEqual({ ...logged[3], time: undefined, pid: undefined, hostname: undefined }, { level: 30, time: undefined, pid: undefined, hostname: undefined, msg: 'IAM decision', user: 'app', action: 'iot:Subscribe', resources: [`${A}:topicfilter/$aws/things/t1/jobs/notify`], decision: 'implicitDeny', needed: `an Allow statement with Action iot:Subscribe and Resource ${A}:topicfilter/$aws/things/t1/jobs/notify` });
});
//# sourceMappingURL=iam.test.js.map