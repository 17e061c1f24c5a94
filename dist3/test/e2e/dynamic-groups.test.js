import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CreateDynamicThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteDynamicThingGroupCommand, DeleteThingCommand, DeleteThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand, DescribeThingGroupCommand, ListJobExecutionsForJobCommand, ListThingGroupsCommand, ListThingGroupsForThingCommand, ListThingsInThingGroupCommand, RemoveThingFromThingGroupCommand, SearchIndexCommand, UpdateDynamicThingGroupCommand, UpdateIndexingConfigurationCommand, UpdateThingCommand, UpdateThingGroupCommand, UpdateThingGroupsForThingCommand, } from '@aws-sdk/client-iot';
import { BACKENDS, eventually, groupArn, pgNodes, startServer } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
const P = 'fleetindex-dg-';
async function members(iot, group) {
    const out = [];
    let nextToken;
    do {
        const r = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: group, nextToken, maxResults: 250 }));
        out.push(...(r.things ?? []));
        nextToken = r.nextToken;
    } while (nextToken);
    return out;
}
const status = async (iot, group) => (await iot.send(new DescribeThingGroupCommand({ thingGroupName: group }))).status;
const active = (iot, group) => eventually(async () => (await status(iot, group)) === 'ACTIVE', 15_000, `${group} ACTIVE`);
const setModel = (iot, thing, model) => iot.send(new UpdateThingCommand({ thingName: thing, attributePayload: { attributes: { model }, merge: true } }));
for (const backend of BACKENDS) {
    describe(`dynamic thing groups [${backend}]`, () => {
        let s;
        let iot;
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
            iot = s.iot;
            await iot.send(new CreateThingGroupCommand({ thingGroupName: `${P}static` }));
            for (let i = 0; i < 6; i++)
                await iot.send(new CreateThingCommand({ thingName: `${P}t${i}`, attributePayload: { attributes: { model: i < 3 ? 'X2' : 'x1', n: String(i) } } }));
        });
        after(() => s?.close());
        test('indexing must be on; then the group builds to ACTIVE and describes as AWS does', async () => {
            await rejectsWith(iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}x2`, queryString: 'attributes.model:x2' })), 'ResourceNotFoundException', 404, /Index AWS_Things does not exist/);
            await iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS' } }));
            await rejectsWith(iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}bad`, queryString: 'attributes.model:(x2' })), 'InvalidQueryException', 400, /column/);
            await rejectsWith(iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}bad`, queryString: 'x', indexName: 'AWS_ThingGroups' })), 'InvalidRequestException', 400);
            const c = await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}x2`, queryString: 'attributes.model:x2', thingGroupProperties: { thingGroupDescription: 'model X2' }, tags: [{ Key: 'k', Value: 'v' }] }));
            assert.deepEqual([c.thingGroupName, c.thingGroupArn, c.indexName, c.queryString, c.queryVersion], [`${P}x2`, groupArn(`${P}x2`), 'AWS_Things', 'attributes.model:x2', '2017-09-30']);
            assert.ok(c.thingGroupId);
            await active(iot, `${P}x2`);
            const d = await iot.send(new DescribeThingGroupCommand({ thingGroupName: `${P}x2` }));
            assert.deepEqual([d.indexName, d.queryString, d.queryVersion, d.status, d.version], ['AWS_Things', 'attributes.model:x2', '2017-09-30', 'ACTIVE', 1]);
            assert.equal(d.thingGroupProperties?.thingGroupDescription, 'model X2');
            assert.deepEqual(await members(iot, `${P}x2`), [`${P}t0`, `${P}t1`, `${P}t2`]);
            const groups = (await iot.send(new ListThingGroupsCommand({ namePrefixFilter: P }))).thingGroups?.map((g) => g.groupName);
            assert.deepEqual(groups, [`${P}static`, `${P}x2`]);
            const forThing = (await iot.send(new ListThingGroupsForThingCommand({ thingName: `${P}t0` }))).thingGroups?.map((g) => g.groupName);
            assert.deepEqual(forThing, [`${P}x2`]);
            // Static groups describe without the dynamic members.
            const st = await iot.send(new DescribeThingGroupCommand({ thingGroupName: `${P}static` }));
            assert.equal(st.queryString, undefined);
            assert.equal(st.status, undefined);
        });
        test('membership follows thing writes within the request', async () => {
            await setModel(iot, `${P}t3`, 'x2');
            assert.deepEqual(await members(iot, `${P}x2`), [`${P}t0`, `${P}t1`, `${P}t2`, `${P}t3`]);
            await setModel(iot, `${P}t0`, 'x9');
            assert.deepEqual(await members(iot, `${P}x2`), [`${P}t1`, `${P}t2`, `${P}t3`]);
            await iot.send(new CreateThingCommand({ thingName: `${P}new`, attributePayload: { attributes: { model: 'X2' } } }));
            assert.ok((await members(iot, `${P}x2`)).includes(`${P}new`));
            await iot.send(new DeleteThingCommand({ thingName: `${P}new` }));
            assert.ok(!(await members(iot, `${P}x2`)).includes(`${P}new`));
        });
        test('a query on thingGroupNames follows static joins and leaves', async () => {
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}in-static`, queryString: `thingGroupNames:${P}static` }));
            await active(iot, `${P}in-static`);
            assert.deepEqual(await members(iot, `${P}in-static`), []);
            await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}static`, thingName: `${P}t4` }));
            assert.deepEqual(await members(iot, `${P}in-static`), [`${P}t4`]);
            await iot.send(new UpdateThingGroupsForThingCommand({ thingName: `${P}t5`, thingGroupsToAdd: [`${P}static`] }));
            assert.deepEqual(await members(iot, `${P}in-static`), [`${P}t4`, `${P}t5`]);
            await iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: `${P}static`, thingName: `${P}t4` }));
            assert.deepEqual(await members(iot, `${P}in-static`), [`${P}t5`]);
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}in-static` }));
            // Deleting a static group takes its name out of its members' thingGroupNames, and the dynamic groups follow.
            await iot.send(new CreateThingGroupCommand({ thingGroupName: `${P}doomed` }));
            await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}doomed`, thingName: `${P}t4` }));
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}in-doomed`, queryString: `thingGroupNames:${P}doomed` }));
            await active(iot, `${P}in-doomed`);
            assert.deepEqual(await members(iot, `${P}in-doomed`), [`${P}t4`]);
            await iot.send(new DeleteThingGroupCommand({ thingGroupName: `${P}doomed` }));
            await active(iot, `${P}in-doomed`);
            assert.deepEqual(await members(iot, `${P}in-doomed`), []);
            assert.deepEqual((await iot.send(new SearchIndexCommand({ queryString: `thingGroupNames:${P}doomed` }))).things, []);
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}in-doomed` }));
        });
        test('static-group APIs are refused on dynamic groups, and the other way round', async () => {
            const msg = /does not support dynamic thing groups/;
            await rejectsWith(iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}x2`, thingName: `${P}t5` })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: `${P}x2`, thingName: `${P}t1` })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new UpdateThingGroupsForThingCommand({ thingName: `${P}t5`, thingGroupsToAdd: [`${P}x2`] })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new UpdateThingGroupCommand({ thingGroupName: `${P}x2`, thingGroupProperties: {} })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new DeleteThingGroupCommand({ thingGroupName: `${P}x2` })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new CreateThingGroupCommand({ thingGroupName: `${P}child`, parentGroupName: `${P}x2` })), 'InvalidRequestException', 400, msg);
            await rejectsWith(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}static`, thingGroupProperties: {} })), 'InvalidRequestException', 400);
            await rejectsWith(iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}static` })), 'InvalidRequestException', 400);
            await rejectsWith(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}none`, thingGroupProperties: {} })), 'ResourceNotFoundException', 404);
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}none` }));
            await rejectsWith(iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'OFF' } })), 'InvalidRequestException', 400, /dynamic thing groups exist/);
        });
        test('UpdateDynamicThingGroup: expectedVersion, a new query rebuilds the membership', async () => {
            await rejectsWith(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}x2`, expectedVersion: 7, thingGroupProperties: {} })), 'VersionConflictException', 409);
            await rejectsWith(iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}x2`, queryString: 'a:[', thingGroupProperties: {} })), 'InvalidQueryException', 400);
            const u = await iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}x2`, expectedVersion: 1, queryString: 'attributes.n >= 4', thingGroupProperties: {} }));
            assert.equal(u.version, 2);
            assert.ok(['REBUILDING', 'ACTIVE'].includes((await status(iot, `${P}x2`))));
            await active(iot, `${P}x2`);
            assert.deepEqual(await members(iot, `${P}x2`), [`${P}t4`, `${P}t5`]);
            const d = await iot.send(new DescribeThingGroupCommand({ thingGroupName: `${P}x2` }));
            assert.deepEqual([d.queryString, d.version], ['attributes.n >= 4', 2]);
            await rejectsWith(iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}x2`, expectedVersion: 1 })), 'VersionConflictException', 409);
        });
        test('the limit of 10 groups per thing, overrideDynamicGroups, and the older dynamic group winning a place', async () => {
            const thing = `${P}t5`; // in static and in x2 (n >= 4)
            for (let i = 0; i < 7; i++)
                await iot.send(new CreateThingGroupCommand({ thingGroupName: `${P}s${i}` }));
            for (let i = 0; i < 7; i++)
                await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}s${i}`, thingName: thing }));
            // 9 groups: static, s0..s6, x2. A younger dynamic group fills the 10th place.
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}young`, queryString: 'attributes.n:5' }));
            await active(iot, `${P}young`);
            assert.deepEqual(await members(iot, `${P}young`), [thing]);
            await iot.send(new CreateThingGroupCommand({ thingGroupName: `${P}s7` }));
            await rejectsWith(iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}s7`, thingName: thing })), 'InvalidRequestException', 400, /10 thing groups/);
            // overrideDynamicGroups: the thing leaves its most recently created dynamic group.
            await iot.send(new AddThingToThingGroupCommand({ thingGroupName: `${P}s7`, thingName: thing, overrideDynamicGroups: true }));
            assert.deepEqual(await members(iot, `${P}young`), []);
            assert.deepEqual(await members(iot, `${P}x2`), [`${P}t4`, thing]);
            // At the limit, a thing that starts matching a younger group stays out of it.
            await setModel(iot, thing, 'changed');
            assert.deepEqual(await members(iot, `${P}young`), []);
            // Deleting the static groups frees places; the dynamic groups are rebuilt, and the thing joins the younger one.
            for (let i = 0; i < 8; i++)
                await iot.send(new DeleteThingGroupCommand({ thingGroupName: `${P}s${i}` }));
            await active(iot, `${P}young`);
            assert.deepEqual(await members(iot, `${P}young`), [thing]);
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}young` }));
        });
        test('a thing that connects enters a connectivity.connected:true group, and leaves it when it disconnects', async () => {
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}online`, queryString: 'connectivity.connected:true' }));
            await active(iot, `${P}online`);
            assert.deepEqual(await members(iot, `${P}online`), []);
            const d = await Device.connect(s.app.mqttUrl, `${P}t1`);
            await eventually(async () => (await members(iot, `${P}online`)).join() === `${P}t1`, 5000, 'the connected thing in the group');
            await d.client.endAsync();
            await eventually(async () => (await members(iot, `${P}online`)).length === 0, 5000, 'the disconnected thing out of the group');
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}left`, queryString: 'connectivity.disconnectReason:CLIENT_INITIATED_DISCONNECT' }));
            await active(iot, `${P}left`);
            assert.deepEqual(await members(iot, `${P}left`), [`${P}t1`]);
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}online` }));
            await iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: `${P}left` }));
        });
        test('CONTINUOUS job: a device gets the job when its attributes make it match, and sees it REMOVED when they change back', async () => {
            const group = `${P}fw`;
            const thing = `${P}t2`;
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: group, queryString: 'attributes.model:x7' }));
            await active(iot, group);
            const d = await Device.connect(s.app.mqttUrl, thing);
            try {
                await iot.send(new CreateJobCommand({ jobId: `${P}job-c`, targets: [groupArn(group)], document: '{"fw":7}', targetSelection: 'CONTINUOUS' }));
                const t0 = d.mark();
                await setModel(iot, thing, 'X7');
                const next = await d.nextOn(`${d.prefix}/notify-next`, t0);
                assert.equal(next.body.execution.jobId, `${P}job-c`);
                const e = await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing }));
                assert.equal(e.execution?.status, 'QUEUED');
                const t1 = d.mark();
                await setModel(iot, thing, 'x1');
                const cleared = await d.nextOn(`${d.prefix}/notify-next`, t1);
                assert.equal(cleared.body.execution, undefined);
                assert.equal((await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing }))).execution?.status, 'REMOVED');
                assert.equal((await iot.send(new DescribeJobCommand({ jobId: `${P}job-c` }))).job?.jobProcessDetails?.numberOfRemovedThings, 1);
                // Matching again: a new execution.
                await setModel(iot, thing, 'x7');
                const again = await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing }));
                assert.deepEqual([again.execution?.status, again.execution?.executionNumber], ['QUEUED', 2]);
                // Started by the device (IN_PROGRESS), then a new query that no longer matches it: the rebuild REMOVES the execution.
                const started = await d.request('start-next', {});
                assert.equal(started.body.execution.executionNumber, 2);
                assert.equal((await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing }))).execution?.status, 'IN_PROGRESS');
                await iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: group, queryString: 'attributes.model:x8', thingGroupProperties: {} }));
                await active(iot, group);
                assert.equal((await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing, executionNumber: 2 }))).execution?.status, 'REMOVED');
                await iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: group, queryString: 'attributes.model:x7', thingGroupProperties: {} }));
                await active(iot, group);
                assert.deepEqual((await iot.send(new DescribeJobExecutionCommand({ jobId: `${P}job-c`, thingName: thing }))).execution?.executionNumber, 3);
            }
            finally {
                await d.client.endAsync();
            }
        });
        test('matching again after the retries were spent: a fresh execution with a fresh retry budget', async () => {
            const group = `${P}retry`;
            const thing = `${P}t0`;
            const jobId = `${P}job-r`;
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: group, queryString: 'attributes.model:r1' }));
            await setModel(iot, thing, 'r1');
            await active(iot, group);
            await iot.send(new CreateJobCommand({ jobId, targets: [groupArn(group)], document: '{}', targetSelection: 'CONTINUOUS', jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] } }));
            const attempts = async () => ((await iot.send(new ListJobExecutionsForJobCommand({ jobId }))).executionSummaries ?? [])
                .map((x) => [x.jobExecutionSummary.executionNumber, x.jobExecutionSummary.status, x.jobExecutionSummary.retryAttempt])
                .sort((a, b) => a[0] - b[0]);
            await eventually(async () => (await attempts()).length === 1, 10_000, 'the fan-out');
            for (const executionNumber of [1, 2])
                await s.data.send(new UpdateJobExecutionCommand({ jobId, thingName: thing, status: 'FAILED', executionNumber }));
            assert.deepEqual(await attempts(), [[1, 'FAILED', 0], [2, 'FAILED', 1]]);
            await setModel(iot, thing, 'other');
            assert.equal((await attempts()).length, 2, 'leaving changes no terminal attempt');
            await setModel(iot, thing, 'r1');
            assert.deepEqual((await attempts()).at(-1), [3, 'QUEUED', 0]);
        });
        test('SNAPSHOT job: the members at CreateJob, not later joiners', async () => {
            const group = `${P}snap`;
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: group, queryString: 'attributes.model:snap' }));
            await setModel(iot, `${P}t3`, 'snap');
            await active(iot, group);
            await iot.send(new CreateJobCommand({ jobId: `${P}job-s`, targets: [groupArn(group)], document: '{}' }));
            await setModel(iot, `${P}t4`, 'snap');
            assert.deepEqual(await members(iot, group), [`${P}t3`, `${P}t4`]);
            await eventually(async () => (await iot.send(new DescribeJobCommand({ jobId: `${P}job-s` }))).job?.jobProcessDetails?.numberOfQueuedThings === 1);
            const ex = await iot.send(new ListJobExecutionsForJobCommand({ jobId: `${P}job-s` }));
            assert.deepEqual(ex.executionSummaries?.map((e) => e.thingArn?.split('/').pop()), [`${P}t3`]);
        });
    });
}
describe('dynamic thing groups on two PostgreSQL nodes', () => {
    test('membership is right when the changes arrive through different nodes', async () => {
        const { nodes, close } = await pgNodes(2);
        try {
            const [a, b] = nodes.map((n) => n.iot);
            await a.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
            for (let i = 0; i < 20; i++)
                await (i % 2 ? a : b).send(new CreateThingCommand({ thingName: `${P}m${i}`, attributePayload: { attributes: { v: String(i) } } }));
            await a.send(new CreateDynamicThingGroupCommand({ thingGroupName: `${P}mn`, queryString: 'attributes.v < 10' }));
            // Concurrent writes through both nodes while the group builds.
            await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? b : a).send(new UpdateThingCommand({ thingName: `${P}m${i}`, attributePayload: { attributes: { v: String(i % 3 === 0 ? 100 + i : i) } } }))));
            await active(b, `${P}mn`);
            const expected = Array.from({ length: 20 }, (_, i) => i)
                .filter((i) => i % 3 !== 0 && i < 10)
                .map((i) => `${P}m${i}`)
                .sort();
            assert.deepEqual(await members(b, `${P}mn`), expected);
            await b.send(new UpdateDynamicThingGroupCommand({ thingGroupName: `${P}mn`, queryString: 'attributes.v >= 100', thingGroupProperties: {} }));
            await setModel(a, `${P}m1`, 'x');
            await b.send(new UpdateThingCommand({ thingName: `${P}m1`, attributePayload: { attributes: { v: '150' }, merge: true } }));
            await active(a, `${P}mn`);
            assert.deepEqual(await members(a, `${P}mn`), [`${P}m0`, `${P}m1`, `${P}m12`, `${P}m15`, `${P}m18`, `${P}m3`, `${P}m6`, `${P}m9`]);
        }
        finally {
            await close();
        }
    });
});
//# sourceMappingURL=dynamic-groups.test.js.map