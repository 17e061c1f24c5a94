import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CancelJobCommand, CancelJobExecutionCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteThingCommand, DeleteThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand, DescribeThingCommand, DescribeThingGroupCommand, GetJobDocumentCommand, ListJobExecutionsForJobCommand, ListJobExecutionsForThingCommand, ListJobsCommand, ListTagsForResourceCommand, ListThingGroupsCommand, ListThingGroupsForThingCommand, ListThingsCommand, ListThingsInThingGroupCommand, RemoveThingFromThingGroupCommand, UpdateThingCommand, } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, groupArn, startServer, thingArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
/**
 * The control plane (service `iot`) end to end through @aws-sdk/client-iot over HTTP: the thing
 * registry, thing groups, jobs and job executions. Devices act through the data-plane client.
 * DeleteJob and DeleteJobExecution are in deletion.test.ts; the HTTP device plane and the wire
 * in device-http.test.ts.
 */
async function things(iot, prefix, n) {
    const names = [];
    for (let i = 0; i < n; i++) {
        await iot.send(new CreateThingCommand({ thingName: `${prefix}-${i}` }));
        names.push(`${prefix}-${i}`);
    }
    return names;
}
const createJob = (iot, jobId, targets, extra = {}) => iot.send(new CreateJobCommand({ jobId, targets, document: '{"op":"update"}', ...extra }));
const describeJob = async (iot, jobId) => (await iot.send(new DescribeJobCommand({ jobId }))).job;
const execution = async (iot, jobId, thingName) => (await iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution;
/** All counters of a job, missing ones as 0, so that a test compares the whole set at once. */
async function counters(iot, jobId) {
    const d = (await describeJob(iot, jobId)).jobProcessDetails ?? {};
    return {
        queued: d.numberOfQueuedThings ?? 0,
        inProgress: d.numberOfInProgressThings ?? 0,
        succeeded: d.numberOfSucceededThings ?? 0,
        failed: d.numberOfFailedThings ?? 0,
        rejected: d.numberOfRejectedThings ?? 0,
        canceled: d.numberOfCanceledThings ?? 0,
        removed: d.numberOfRemovedThings ?? 0,
        timedOut: d.numberOfTimedOutThings ?? 0,
    };
}
const zero = { queued: 0, inProgress: 0, succeeded: 0, failed: 0, rejected: 0, canceled: 0, removed: 0, timedOut: 0 };
/** Follows nextToken to the end, checking every page's size. */
async function allPages(fetchPage, pageSize) {
    const items = [];
    let token;
    let pages = 0;
    do {
        const p = await fetchPage(token);
        pages++;
        assert.ok(p.items.length <= pageSize, `page ${pages} has ${p.items.length} items, more than ${pageSize}`);
        if (p.nextToken)
            assert.equal(p.items.length, pageSize, 'only the last page may be short');
        items.push(...p.items);
        token = p.nextToken;
        assert.ok(pages < 100, 'pagination does not end');
    } while (token);
    return { items, pages };
}
const sorted = (xs) => [...xs].sort();
for (const backend of BACKENDS) {
    describe(`Thing registry [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('CreateThing: same name and configuration succeeds with the same thingId; another configuration is 409', async () => {
            const first = await s.iot.send(new CreateThingCommand({ thingName: 'reg-a', attributePayload: { attributes: { a: '1', b: '2' } } }));
            assert.equal(first.thingName, 'reg-a');
            assert.equal(first.thingArn, thingArn('reg-a'));
            assert.ok(first.thingId);
            const again = await s.iot.send(new CreateThingCommand({ thingName: 'reg-a', attributePayload: { attributes: { a: '1', b: '2' } } }));
            assert.equal(again.thingId, first.thingId);
            const e = await rejectsWith(s.iot.send(new CreateThingCommand({ thingName: 'reg-a', attributePayload: { attributes: { a: 'other' } } })), 'ResourceAlreadyExistsException', 409);
            assert.equal(e.resourceId, first.thingId);
            assert.equal(e.resourceArn, thingArn('reg-a'));
            const d = await s.iot.send(new DescribeThingCommand({ thingName: 'reg-a' }));
            assert.deepEqual(d.attributes, { a: '1', b: '2' });
        });
        test('CreateThing: the same attributes in another key order are the same configuration', async () => {
            const first = await s.iot.send(new CreateThingCommand({ thingName: 'reg-order', attributePayload: { attributes: { a: '1', b: '2' } } }));
            const again = await s.iot.send(new CreateThingCommand({ thingName: 'reg-order', attributePayload: { attributes: { b: '2', a: '1' } } }));
            assert.equal(again.thingId, first.thingId);
        });
        test('CreateThing validates the name against the model', async () => {
            await rejectsWith(s.iot.send(new CreateThingCommand({ thingName: 'bad name' })), 'InvalidRequestException', 400, /thingName/);
        });
        test('DescribeThing: fields, and 404 for an unknown thing', async () => {
            const c = await s.iot.send(new CreateThingCommand({ thingName: 'reg-d', attributePayload: { attributes: { model: 'x1' } } }));
            const d = await s.iot.send(new DescribeThingCommand({ thingName: 'reg-d' }));
            assert.equal(d.thingName, 'reg-d');
            assert.equal(d.thingId, c.thingId);
            assert.equal(d.thingArn, thingArn('reg-d'));
            assert.equal(d.defaultClientId, 'reg-d');
            assert.equal(d.version, 1);
            assert.deepEqual(d.attributes, { model: 'x1' });
            await rejectsWith(s.iot.send(new DescribeThingCommand({ thingName: 'reg-nope' })), 'ResourceNotFoundException', 404);
        });
        test('ListThings pages with maxResults and nextToken; every thing is seen exactly once', async () => {
            const created = await things(s.iot, 'page', 11);
            const all = (await s.iot.send(new ListThingsCommand({ maxResults: 250 }))).things.map((t) => t.thingName);
            assert.ok(created.every((n) => all.includes(n)));
            const { items, pages } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListThingsCommand({ maxResults: 4, nextToken }));
                return { items: r.things.map((t) => t.thingName), nextToken: r.nextToken };
            }, 4);
            assert.equal(pages, Math.ceil(all.length / 4));
            assert.deepEqual(sorted(items), sorted(all));
            assert.equal(new Set(items).size, items.length, 'no thing twice');
            await rejectsWith(s.iot.send(new ListThingsCommand({ maxResults: 0 })), 'InvalidRequestException', 400, /maxResults/);
        });
        test('UpdateThing merges attributes, bumps the version, and checks expectedVersion', async () => {
            await s.iot.send(new CreateThingCommand({ thingName: 'reg-u', attributePayload: { attributes: { a: '1', b: '2' } } }));
            await s.iot.send(new UpdateThingCommand({ thingName: 'reg-u', attributePayload: { attributes: { b: '', c: '3' }, merge: true }, expectedVersion: 1 }));
            let d = await s.iot.send(new DescribeThingCommand({ thingName: 'reg-u' }));
            assert.deepEqual(d.attributes, { a: '1', c: '3' });
            assert.equal(d.version, 2);
            await rejectsWith(s.iot.send(new UpdateThingCommand({ thingName: 'reg-u', attributePayload: { attributes: { z: '9' } }, expectedVersion: 1 })), 'VersionConflictException', 409);
            d = await s.iot.send(new DescribeThingCommand({ thingName: 'reg-u' }));
            assert.deepEqual(d.attributes, { a: '1', c: '3' }, 'a refused update changes nothing');
            assert.equal(d.version, 2);
            // Without merge the attributes are replaced.
            await s.iot.send(new UpdateThingCommand({ thingName: 'reg-u', attributePayload: { attributes: { x: '1' } } }));
            d = await s.iot.send(new DescribeThingCommand({ thingName: 'reg-u' }));
            assert.deepEqual(d.attributes, { x: '1' });
            assert.equal(d.version, 3);
            await rejectsWith(s.iot.send(new UpdateThingCommand({ thingName: 'reg-nope', attributePayload: { attributes: { x: '1' } } })), 'ResourceNotFoundException', 404);
        });
        test('DeleteThing: its pending executions become REMOVED, terminal ones stay; an unknown thing is not an error', async () => {
            const [a, b] = await things(s.iot, 'reg-del', 2);
            await createJob(s.iot, 'reg-del-1', [thingArn(a), thingArn(b)]);
            await createJob(s.iot, 'reg-del-2', [thingArn(a)]);
            await createJob(s.iot, 'reg-del-3', [thingArn(a)]);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'reg-del-2', thingName: a, status: 'IN_PROGRESS' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'reg-del-3', thingName: a, status: 'SUCCEEDED' }));
            await rejectsWith(s.iot.send(new DeleteThingCommand({ thingName: a, expectedVersion: 7 })), 'VersionConflictException', 409);
            await s.iot.send(new DeleteThingCommand({ thingName: a }));
            await rejectsWith(s.iot.send(new DescribeThingCommand({ thingName: a })), 'ResourceNotFoundException', 404);
            const q = await execution(s.iot, 'reg-del-1', a);
            assert.equal(q.status, 'REMOVED');
            assert.equal(q.versionNumber, 2);
            assert.equal((await execution(s.iot, 'reg-del-2', a)).status, 'REMOVED');
            assert.equal((await execution(s.iot, 'reg-del-3', a)).status, 'SUCCEEDED');
            assert.equal((await execution(s.iot, 'reg-del-1', b)).status, 'QUEUED', 'other things are untouched');
            assert.deepEqual(await counters(s.iot, 'reg-del-1'), { ...zero, queued: 1, removed: 1 });
            assert.deepEqual(await counters(s.iot, 'reg-del-2'), { ...zero, removed: 1 });
            assert.equal((await describeJob(s.iot, 'reg-del-2')).status, 'COMPLETED', 'its last pending execution went');
            await s.iot.send(new DeleteThingCommand({ thingName: 'reg-never-was' }));
        });
    });
    describe(`Thing groups [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('CreateThingGroup, DescribeThingGroup with its parents, and idempotent create', async () => {
            const root = await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-root' }));
            assert.equal(root.thingGroupArn, groupArn('g-root'));
            const props = { thingGroupDescription: 'middle', attributePayload: { attributes: { floor: '2' } } };
            const mid = await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-mid', parentGroupName: 'g-root', thingGroupProperties: props }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-leaf', parentGroupName: 'g-mid' }));
            const again = await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-mid', parentGroupName: 'g-root', thingGroupProperties: props }));
            assert.equal(again.thingGroupId, mid.thingGroupId);
            await rejectsWith(s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-mid', thingGroupProperties: { thingGroupDescription: 'other' } })), 'ResourceAlreadyExistsException', 409);
            const d = await s.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'g-leaf' }));
            assert.equal(d.thingGroupName, 'g-leaf');
            assert.equal(d.thingGroupArn, groupArn('g-leaf'));
            assert.equal(d.version, 1);
            assert.equal(d.thingGroupMetadata?.parentGroupName, 'g-mid');
            assert.deepEqual(d.thingGroupMetadata?.rootToParentThingGroups?.map((g) => g.groupName), ['g-root', 'g-mid']);
            assert.ok(d.thingGroupMetadata?.creationDate instanceof Date);
            const m = await s.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'g-mid' }));
            assert.equal(m.thingGroupProperties?.thingGroupDescription, 'middle');
            assert.deepEqual(m.thingGroupProperties?.attributePayload?.attributes, { floor: '2' });
            await rejectsWith(s.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'g-nope' })), 'ResourceNotFoundException', 404);
        });
        test('CreateThingGroup: the same attributes in another key order are the same configuration', async () => {
            const props = (attributes) => ({ thingGroupDescription: 'd', attributePayload: { attributes } });
            const first = await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-order', thingGroupProperties: props({ a: '1', b: '2' }) }));
            const again = await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'g-order', thingGroupProperties: props({ b: '2', a: '1' }) }));
            assert.equal(again.thingGroupId, first.thingGroupId);
        });
        test('ListThingGroups: all, by parent, recursive, by prefix, paged', async () => {
            for (const n of ['lg-a', 'lg-b', 'lg-c'])
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: n }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'lg-a-1', parentGroupName: 'lg-a' }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'lg-a-1-x', parentGroupName: 'lg-a-1' }));
            const names = async (input) => (await s.iot.send(new ListThingGroupsCommand(input))).thingGroups.map((g) => g.groupName);
            assert.deepEqual(await names({ namePrefixFilter: 'lg-' }), ['lg-a', 'lg-a-1', 'lg-a-1-x', 'lg-b', 'lg-c']);
            // As AWS: recursive defaults to true, so a parent alone lists all its descendants.
            assert.deepEqual(await names({ parentGroup: 'lg-a' }), ['lg-a-1', 'lg-a-1-x']);
            assert.deepEqual(await names({ parentGroup: 'lg-a', recursive: false }), ['lg-a-1']);
            assert.deepEqual(sorted(await names({ parentGroup: 'lg-a', recursive: true })), ['lg-a-1', 'lg-a-1-x']);
            const groups = (await s.iot.send(new ListThingGroupsCommand({ namePrefixFilter: 'lg-' }))).thingGroups;
            assert.deepEqual(groups[0], { groupName: 'lg-a', groupArn: groupArn('lg-a') });
            const all = await names({ maxResults: 250 });
            const { items } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListThingGroupsCommand({ maxResults: 2, nextToken }));
                return { items: r.thingGroups.map((g) => g.groupName), nextToken: r.nextToken };
            }, 2);
            assert.deepEqual(items, all);
        });
        test('membership: add by name and ARN, list both ways (recursive, paged), remove; errors', async () => {
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'm-top' }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'm-sub', parentGroupName: 'm-top' }));
            const ts = await things(s.iot, 'm', 5);
            for (const t of ts.slice(0, 3))
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'm-top', thingName: t }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupArn: groupArn('m-sub'), thingArn: thingArn(ts[3]) }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'm-sub', thingName: ts[0] }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'm-top', thingName: ts[0] })); // again: no error
            const list = async (input) => (await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'm-top', ...input }))).things;
            assert.deepEqual(await list({}), ts.slice(0, 3));
            assert.deepEqual(await list({ recursive: true }), ts.slice(0, 4));
            const { items } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'm-top', recursive: true, maxResults: 3, nextToken }));
                return { items: r.things, nextToken: r.nextToken };
            }, 3);
            assert.deepEqual(items, ts.slice(0, 4));
            const groupsOf = async (t) => (await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups;
            assert.deepEqual(await groupsOf(ts[0]), [
                { groupName: 'm-sub', groupArn: groupArn('m-sub') },
                { groupName: 'm-top', groupArn: groupArn('m-top') },
            ]);
            const paged = await s.iot.send(new ListThingGroupsForThingCommand({ thingName: ts[0], maxResults: 1 }));
            assert.deepEqual(paged.thingGroups.map((g) => g.groupName), ['m-sub']);
            const rest = await s.iot.send(new ListThingGroupsForThingCommand({ thingName: ts[0], maxResults: 1, nextToken: paged.nextToken }));
            assert.deepEqual(rest.thingGroups.map((g) => g.groupName), ['m-top']);
            assert.equal(rest.nextToken, undefined);
            assert.deepEqual(await groupsOf(ts[4]), []);
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'm-top', thingName: ts[1] }));
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupArn: groupArn('m-sub'), thingArn: thingArn(ts[0]) }));
            assert.deepEqual(await list({}), [ts[0], ts[2]]);
            assert.deepEqual((await groupsOf(ts[0])).map((g) => g.groupName), ['m-top']);
            await rejectsWith(s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'm-top', thingName: 'm-nope' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'm-nope', thingName: ts[4] })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'm-nope' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new ListThingGroupsForThingCommand({ thingName: 'm-nope' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new AddThingToThingGroupCommand({ thingName: ts[4] })), 'InvalidRequestException', 400);
        });
        test('a thing can be in at most 10 groups', async () => {
            const [t] = await things(s.iot, 'ten', 1);
            for (let i = 0; i < 11; i++)
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: `ten-${i}` }));
            for (let i = 0; i < 10; i++)
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: `ten-${i}`, thingName: t }));
            await rejectsWith(s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'ten-10', thingName: t })), 'InvalidRequestException', 400);
            assert.equal((await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups.length, 10);
        });
        test('DeleteThingGroup: refused with children; removes the memberships; idempotent', async () => {
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'd-p' }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'd-c', parentGroupName: 'd-p' }));
            const [t] = await things(s.iot, 'd', 1);
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'd-c', thingName: t }));
            await rejectsWith(s.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'd-p' })), 'InvalidRequestException', 400);
            await rejectsWith(s.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'd-c', expectedVersion: 5 })), 'VersionConflictException', 409);
            await s.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'd-c' }));
            await rejectsWith(s.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'd-c' })), 'ResourceNotFoundException', 404);
            assert.deepEqual((await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups, []);
            await s.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'd-p' }));
            await s.iot.send(new DeleteThingGroupCommand({ thingGroupName: 'd-p' }));
            // The name can be used again, for a fresh group.
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'd-c' }));
            assert.deepEqual((await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'd-c' }))).things, []);
        });
    });
    describe(`Jobs: create, describe, configs [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('CreateJob on a group of 3 things and on a thing: executions, counters, document, description, tags', async () => {
            const ts = await things(s.iot, 'cj', 4);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'cj-g' }));
            for (const t of ts.slice(0, 3))
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cj-g', thingName: t }));
            const document = JSON.stringify({ op: 'install', version: '1.2.3' });
            const out = await s.iot.send(new CreateJobCommand({ jobId: 'cj-g1', targets: [groupArn('cj-g')], document, description: 'fleet update', tags: [{ Key: 'team', Value: 'ops' }] }));
            assert.deepEqual({ jobArn: out.jobArn, jobId: out.jobId, description: out.description }, {
                jobArn: 'arn:aws:iot:us-east-1:000000000000:job/cj-g1',
                jobId: 'cj-g1',
                description: 'fleet update',
            });
            const j = await describeJob(s.iot, 'cj-g1');
            assert.equal(j.jobId, 'cj-g1');
            assert.equal(j.jobArn, out.jobArn);
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.targetSelection, 'SNAPSHOT');
            assert.deepEqual(j.targets, [groupArn('cj-g')]);
            assert.equal(j.description, 'fleet update');
            assert.ok(j.createdAt instanceof Date && Math.abs(j.createdAt.getTime() - Date.now()) < 60_000);
            assert.equal(j.jobProcessDetails?.numberOfQueuedThings, 3);
            assert.deepEqual(await counters(s.iot, 'cj-g1'), { ...zero, queued: 3 });
            const ex = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'cj-g1' }));
            assert.deepEqual(ex.executionSummaries.map((e) => [e.thingArn, e.jobExecutionSummary?.status]), ts.slice(0, 3).map((t) => [thingArn(t), 'QUEUED']));
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: 'cj-g1' }))).document, document);
            const tags = await s.iot.send(new ListTagsForResourceCommand({ resourceArn: out.jobArn }));
            assert.deepEqual(tags.tags, [{ Key: 'team', Value: 'ops' }]);
            await createJob(s.iot, 'cj-t1', [thingArn(ts[3])]);
            assert.deepEqual(await counters(s.iot, 'cj-t1'), { ...zero, queued: 1 });
            assert.equal((await execution(s.iot, 'cj-t1', ts[3])).status, 'QUEUED');
            await rejectsWith(s.iot.send(new GetJobDocumentCommand({ jobId: 'cj-nope' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DescribeJobCommand({ jobId: 'cj-nope' })), 'ResourceNotFoundException', 404);
        });
        test('CreateJob errors: duplicate 409, over 100 targets 410, unknown target 404, document and jobId 400', async () => {
            const [t] = await things(s.iot, 'ce', 1);
            await createJob(s.iot, 'ce-dup', [thingArn(t)]);
            const dup = await rejectsWith(createJob(s.iot, 'ce-dup', [thingArn(t)]), 'ResourceAlreadyExistsException', 409);
            assert.equal(dup.resourceArn, 'arn:aws:iot:us-east-1:000000000000:job/ce-dup');
            const many = Array.from({ length: 101 }, (_, i) => thingArn(`ce-many-${i}`));
            await rejectsWith(createJob(s.iot, 'ce-many', many), 'LimitExceededException', 410);
            await rejectsWith(createJob(s.iot, 'ce-unknown', [thingArn(t), thingArn('ce-not-a-thing')]), 'ResourceNotFoundException', 404);
            await rejectsWith(createJob(s.iot, 'ce-unknown-g', [groupArn('ce-not-a-group')]), 'ResourceNotFoundException', 404);
            // 32 KB is 32768 bytes: exactly that is fine, one more is not, and multi-byte characters count as bytes.
            const doc = (bytes, ch = 'a') => `{"x":"${ch.repeat((bytes - 8) / Buffer.byteLength(ch))}"}`;
            assert.equal(Buffer.byteLength(doc(32768)), 32768);
            await createJob(s.iot, 'ce-doc-max', [thingArn(t)], { document: doc(32768) });
            assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: 'ce-doc-max' }))).document, doc(32768));
            await rejectsWith(createJob(s.iot, 'ce-doc-big', [thingArn(t)], { document: doc(32769) }), 'InvalidRequestException', 400, /document/);
            await rejectsWith(createJob(s.iot, 'ce-doc-utf8', [thingArn(t)], { document: doc(32770, 'é') }), 'InvalidRequestException', 400, /document/);
            await rejectsWith(createJob(s.iot, 'ce-bad.id', [thingArn(t)]), 'InvalidRequestException', 400, /jobId/);
            await rejectsWith(createJob(s.iot, 'x'.repeat(65), [thingArn(t)]), 'InvalidRequestException', 400, /jobId/);
            for (const id of ['ce-many', 'ce-unknown', 'ce-unknown-g', 'ce-doc-big', 'ce-doc-utf8'])
                await rejectsWith(s.iot.send(new DescribeJobCommand({ jobId: id })), 'ResourceNotFoundException', 404);
            assert.deepEqual((await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t }))).executionSummaries.map((e) => e.jobId).sort(), ['ce-doc-max', 'ce-dup'], 'refused jobs left no executions');
        });
        test('rollout, abort, timeout, retry, scheduling and presigned-URL configs round-trip through DescribeJob', async () => {
            const [t] = await things(s.iot, 'cfg', 1);
            const start = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
            const end = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 16);
            const configs = {
                jobExecutionsRolloutConfig: {
                    maximumPerMinute: 50,
                    exponentialRate: { baseRatePerMinute: 5, incrementFactor: 1.5, rateIncreaseCriteria: { numberOfSucceededThings: 10 } },
                },
                abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 12.5, minNumberOfExecutedThings: 3 }] },
                timeoutConfig: { inProgressTimeoutInMinutes: 90 },
                jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 2 }] },
                schedulingConfig: { startTime: start, endTime: end, endBehavior: 'STOP_ROLLOUT' },
                presignedUrlConfig: { roleArn: 'arn:aws:iam::000000000000:role/jobs-s3', expiresInSec: 600 },
            };
            await createJob(s.iot, 'cfg-1', [thingArn(t)], configs);
            const j = await describeJob(s.iot, 'cfg-1');
            for (const [k, v] of Object.entries(configs))
                assert.deepEqual(j[k], v, k);
            const plain = await describeJob(s.iot, (await createJob(s.iot, 'cfg-2', [thingArn(t)])).jobId);
            for (const k of Object.keys(configs))
                assert.equal(plain[k], undefined, `${k} of a job without it`);
            await rejectsWith(createJob(s.iot, 'cfg-3', [thingArn(t)], { presignedUrlConfig: { roleArn: 'arn:aws:iam::000000000000:role/x', expiresInSec: 30 } }), 'InvalidRequestException', 400, /expiresInSec/);
        });
    });
    describe(`Jobs: target selection, completion and counters [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('CONTINUOUS: a thing that joins the group gets an execution, one that leaves has it REMOVED, a re-join gets the next executionNumber', async () => {
            const [t0, t1, t2] = await things(s.iot, 'cont', 3);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'cont-g' }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'cont-sub', parentGroupName: 'cont-g' }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cont-g', thingName: t0 }));
            await createJob(s.iot, 'cont-1', [groupArn('cont-g')], { targetSelection: 'CONTINUOUS' });
            await createJob(s.iot, 'cont-snap', [groupArn('cont-g')]);
            assert.equal((await describeJob(s.iot, 'cont-1')).targetSelection, 'CONTINUOUS');
            assert.deepEqual(await counters(s.iot, 'cont-1'), { ...zero, queued: 1 });
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cont-g', thingName: t1 }));
            const e1 = await execution(s.iot, 'cont-1', t1);
            assert.equal(e1.status, 'QUEUED');
            assert.equal(e1.executionNumber, 1);
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cont-sub', thingName: t2 }));
            assert.equal((await execution(s.iot, 'cont-1', t2)).status, 'QUEUED', 'a child group of the target counts');
            assert.deepEqual(await counters(s.iot, 'cont-1'), { ...zero, queued: 3 });
            // A SNAPSHOT job on the same group does not follow the membership.
            await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'cont-snap', thingName: t1 })), 'ResourceNotFoundException', 404);
            assert.deepEqual(await counters(s.iot, 'cont-snap'), { ...zero, queued: 1 });
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'cont-g', thingName: t0 }));
            const gone = await execution(s.iot, 'cont-1', t0);
            assert.equal(gone.status, 'REMOVED');
            assert.equal(gone.versionNumber, 2);
            assert.deepEqual(await counters(s.iot, 'cont-1'), { ...zero, queued: 2, removed: 1 });
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'cont-g', thingName: t0 }));
            const back = await execution(s.iot, 'cont-1', t0);
            assert.equal(back.status, 'QUEUED');
            assert.equal(back.executionNumber, 2);
            const first = await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'cont-1', thingName: t0, executionNumber: 1 }));
            assert.equal(first.execution?.status, 'REMOVED');
            assert.deepEqual(await counters(s.iot, 'cont-1'), { ...zero, queued: 3, removed: 1 });
            // All executions terminal: a CONTINUOUS job stays IN_PROGRESS.
            for (const t of [t0, t1, t2])
                await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cont-1', thingName: t, status: 'SUCCEEDED' }));
            assert.deepEqual(await counters(s.iot, 'cont-1'), { ...zero, succeeded: 3, removed: 1 });
            assert.equal((await describeJob(s.iot, 'cont-1')).status, 'IN_PROGRESS');
        });
        test('a SNAPSHOT job: counters follow every change, and it is COMPLETED when all executions are terminal', async () => {
            const ts = await things(s.iot, 'snap', 6);
            await createJob(s.iot, 'snap-1', ts.map(thingArn));
            const expect = { ...zero, queued: 6 };
            const check = async (step, status = 'IN_PROGRESS') => {
                assert.deepEqual(await counters(s.iot, 'snap-1'), expect, step);
                assert.equal((await describeJob(s.iot, 'snap-1')).status, status, step);
            };
            await check('created');
            const device = (i, status) => s.data.send(new UpdateJobExecutionCommand({ jobId: 'snap-1', thingName: ts[i], status: status }));
            await device(0, 'IN_PROGRESS');
            Object.assign(expect, { queued: 5, inProgress: 1 });
            await check('t0 IN_PROGRESS');
            await device(0, 'SUCCEEDED');
            Object.assign(expect, { inProgress: 0, succeeded: 1 });
            await check('t0 SUCCEEDED');
            await device(1, 'FAILED');
            Object.assign(expect, { queued: 4, failed: 1 });
            await check('t1 FAILED');
            await device(2, 'REJECTED');
            Object.assign(expect, { queued: 3, rejected: 1 });
            await check('t2 REJECTED');
            await s.iot.send(new CancelJobExecutionCommand({ jobId: 'snap-1', thingName: ts[3] }));
            Object.assign(expect, { queued: 2, canceled: 1 });
            await check('t3 canceled');
            await s.iot.send(new DeleteThingCommand({ thingName: ts[4] }));
            Object.assign(expect, { queued: 1, removed: 1 });
            await check('t4 deleted');
            await device(5, 'IN_PROGRESS');
            Object.assign(expect, { queued: 0, inProgress: 1 });
            await check('t5 IN_PROGRESS');
            assert.equal((await describeJob(s.iot, 'snap-1')).completedAt, undefined);
            await device(5, 'SUCCEEDED');
            Object.assign(expect, { inProgress: 0, succeeded: 2 });
            await check('t5 SUCCEEDED', 'COMPLETED');
            const done = await describeJob(s.iot, 'snap-1');
            assert.ok(done.completedAt instanceof Date);
            assert.deepEqual((await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'snap-1' }))).executionSummaries.map((e) => e.jobExecutionSummary?.status), ['SUCCEEDED', 'FAILED', 'REJECTED', 'CANCELED', 'REMOVED', 'SUCCEEDED']);
        });
        test('CancelJob: QUEUED executions are CANCELED, IN_PROGRESS ones only with force; reasonCode and comment are kept', async () => {
            const ts = await things(s.iot, 'cx', 3);
            await createJob(s.iot, 'cx-1', ts.map(thingArn), { description: 'to cancel' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cx-1', thingName: ts[1], status: 'IN_PROGRESS' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cx-1', thingName: ts[2], status: 'SUCCEEDED' }));
            const out = await s.iot.send(new CancelJobCommand({ jobId: 'cx-1', reasonCode: 'SUPERSEDED_2', comment: 'a newer firmware is out' }));
            assert.deepEqual([out.jobArn, out.jobId, out.description], ['arn:aws:iot:us-east-1:000000000000:job/cx-1', 'cx-1', 'to cancel']);
            let j = await describeJob(s.iot, 'cx-1');
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.forceCanceled, false);
            assert.equal(j.reasonCode, 'SUPERSEDED_2');
            assert.equal(j.comment, 'a newer firmware is out');
            assert.deepEqual(await counters(s.iot, 'cx-1'), { ...zero, canceled: 1, inProgress: 1, succeeded: 1 });
            assert.equal((await execution(s.iot, 'cx-1', ts[0])).status, 'CANCELED');
            assert.equal((await execution(s.iot, 'cx-1', ts[1])).status, 'IN_PROGRESS');
            assert.equal((await execution(s.iot, 'cx-1', ts[2])).status, 'SUCCEEDED');
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cx-1' })), 'InvalidRequestException', 400);
            await s.iot.send(new CancelJobCommand({ jobId: 'cx-1', force: true }));
            j = await describeJob(s.iot, 'cx-1');
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.forceCanceled, true);
            assert.equal(j.reasonCode, 'SUPERSEDED_2');
            const forced = await execution(s.iot, 'cx-1', ts[1]);
            assert.equal(forced.status, 'CANCELED');
            assert.equal(forced.forceCanceled, true);
            assert.equal((await execution(s.iot, 'cx-1', ts[0])).forceCanceled, false);
            assert.deepEqual(await counters(s.iot, 'cx-1'), { ...zero, canceled: 2, succeeded: 1 });
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cx-1', force: true })), 'InvalidRequestException', 400);
        });
        test('CancelJob errors: a COMPLETED job is 400 (the model has no 409 for CancelJob), unknown 404, bad reasonCode 400', async () => {
            const [t] = await things(s.iot, 'cxe', 1);
            await createJob(s.iot, 'cxe-done', [thingArn(t)]);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cxe-done', thingName: t, status: 'SUCCEEDED' }));
            assert.equal((await describeJob(s.iot, 'cxe-done')).status, 'COMPLETED');
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cxe-done' })), 'InvalidRequestException', 400);
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cxe-done', force: true })), 'InvalidRequestException', 400);
            assert.equal((await describeJob(s.iot, 'cxe-done')).status, 'COMPLETED');
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cxe-nope' })), 'ResourceNotFoundException', 404);
            await createJob(s.iot, 'cxe-2', [thingArn(t)]);
            await rejectsWith(s.iot.send(new CancelJobCommand({ jobId: 'cxe-2', reasonCode: 'lower case' })), 'InvalidRequestException', 400, /reasonCode/);
            assert.equal((await describeJob(s.iot, 'cxe-2')).status, 'IN_PROGRESS');
        });
    });
    describe(`ListJobs [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('each filter, combined filters, and pagination (newest first)', async () => {
            const [a, b, c] = await things(s.iot, 'lj', 3);
            for (const g of ['lj-g', 'lj-h'])
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lj-g', thingName: b }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'lj-h', thingName: c }));
            await createJob(s.iot, 'lj-1', [thingArn(a)]); // IN_PROGRESS
            await createJob(s.iot, 'lj-2', [groupArn('lj-g')], { targetSelection: 'CONTINUOUS' }); // IN_PROGRESS
            await createJob(s.iot, 'lj-3', [groupArn('lj-g')]);
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'lj-3', thingName: b, status: 'SUCCEEDED' })); // COMPLETED
            await createJob(s.iot, 'lj-4', [thingArn(a)], { namespaceId: 'ns1' });
            await s.iot.send(new CancelJobCommand({ jobId: 'lj-4' })); // CANCELED
            await createJob(s.iot, 'lj-5', [groupArn('lj-h'), thingArn(a)], { namespaceId: 'ns2' }); // IN_PROGRESS
            const ids = async (input) => (await s.iot.send(new ListJobsCommand(input))).jobs.map((j) => j.jobId);
            assert.deepEqual(await ids({}), ['lj-5', 'lj-4', 'lj-3', 'lj-2', 'lj-1']);
            assert.deepEqual(await ids({ status: 'IN_PROGRESS' }), ['lj-5', 'lj-2', 'lj-1']);
            assert.deepEqual(await ids({ status: 'COMPLETED' }), ['lj-3']);
            assert.deepEqual(await ids({ status: 'CANCELED' }), ['lj-4']);
            assert.deepEqual(await ids({ targetSelection: 'CONTINUOUS' }), ['lj-2']);
            assert.deepEqual(await ids({ targetSelection: 'SNAPSHOT' }), ['lj-5', 'lj-4', 'lj-3', 'lj-1']);
            assert.deepEqual(await ids({ thingGroupName: 'lj-g' }), ['lj-3', 'lj-2']);
            assert.deepEqual(await ids({ thingGroupName: 'lj-h' }), ['lj-5']);
            const gid = (await s.iot.send(new DescribeThingGroupCommand({ thingGroupName: 'lj-g' }))).thingGroupId;
            assert.deepEqual(await ids({ thingGroupId: gid }), ['lj-3', 'lj-2']);
            assert.deepEqual(await ids({ namespaceId: 'ns1' }), ['lj-4']);
            assert.deepEqual(await ids({ namespaceId: 'ns2' }), ['lj-5']);
            assert.deepEqual(await ids({ status: 'IN_PROGRESS', thingGroupName: 'lj-g' }), ['lj-2']);
            assert.deepEqual(await ids({ status: 'COMPLETED', targetSelection: 'CONTINUOUS' }), []);
            const summary = (await s.iot.send(new ListJobsCommand({ status: 'COMPLETED' }))).jobs[0];
            assert.equal(summary.jobArn, 'arn:aws:iot:us-east-1:000000000000:job/lj-3');
            assert.equal(summary.targetSelection, 'SNAPSHOT');
            assert.ok(summary.completedAt instanceof Date);
            const { items, pages } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobsCommand({ maxResults: 2, nextToken }));
                return { items: r.jobs.map((j) => j.jobId), nextToken: r.nextToken };
            }, 2);
            assert.equal(pages, 3);
            assert.deepEqual(items, ['lj-5', 'lj-4', 'lj-3', 'lj-2', 'lj-1']);
            const filtered = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobsCommand({ status: 'IN_PROGRESS', maxResults: 1, nextToken }));
                return { items: r.jobs.map((j) => j.jobId), nextToken: r.nextToken };
            }, 1);
            assert.deepEqual(filtered.items, ['lj-5', 'lj-2', 'lj-1']);
            await rejectsWith(s.iot.send(new ListJobsCommand({ status: 'RUNNING' })), 'InvalidRequestException', 400, /status/);
            await rejectsWith(s.iot.send(new ListJobsCommand({ nextToken: 'not-a-token' })), 'InvalidRequestException', 400);
        });
    });
    describe(`Job executions on the control plane [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('DescribeJobExecution and ListJobExecutionsForJob (status filter, pagination)', async () => {
            const ts = await things(s.iot, 'dx', 5);
            await createJob(s.iot, 'dx-1', ts.map(thingArn));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'dx-1', thingName: ts[0], status: 'IN_PROGRESS', statusDetails: { step: 'download' } }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'dx-1', thingName: ts[1], status: 'SUCCEEDED' }));
            const e = await execution(s.iot, 'dx-1', ts[0]);
            assert.equal(e.jobId, 'dx-1');
            assert.equal(e.thingArn, thingArn(ts[0]));
            assert.equal(e.status, 'IN_PROGRESS');
            assert.deepEqual(e.statusDetails?.detailsMap, { step: 'download' });
            assert.equal(e.executionNumber, 1);
            assert.equal(e.versionNumber, 2);
            assert.equal(e.forceCanceled, false);
            assert.ok(e.queuedAt instanceof Date && e.startedAt instanceof Date && e.lastUpdatedAt instanceof Date);
            assert.ok(e.startedAt.getTime() >= e.queuedAt.getTime());
            const byNumber = await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'dx-1', thingName: ts[0], executionNumber: 1 }));
            assert.equal(byNumber.execution?.status, 'IN_PROGRESS');
            await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'dx-1', thingName: ts[0], executionNumber: 2 })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'dx-nope', thingName: ts[0] })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'dx-1', thingName: 'dx-nope' })), 'ResourceNotFoundException', 404);
            const list = async (input) => (await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'dx-1', ...input }))).executionSummaries;
            const queued = await list({ status: 'QUEUED' });
            assert.deepEqual(queued.map((x) => x.thingArn), ts.slice(2).map(thingArn));
            assert.ok(queued.every((x) => x.jobExecutionSummary?.status === 'QUEUED' && x.jobExecutionSummary.executionNumber === 1));
            assert.deepEqual((await list({ status: 'SUCCEEDED' })).map((x) => x.thingArn), [thingArn(ts[1])]);
            assert.deepEqual(await list({ status: 'FAILED' }), []);
            const { items } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'dx-1', maxResults: 2, nextToken }));
                return { items: r.executionSummaries.map((x) => x.thingArn), nextToken: r.nextToken };
            }, 2);
            assert.deepEqual(items, ts.map(thingArn));
            const q2 = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'dx-1', status: 'QUEUED', maxResults: 2, nextToken }));
                return { items: r.executionSummaries.map((x) => x.thingArn), nextToken: r.nextToken };
            }, 2);
            assert.deepEqual(q2.items, ts.slice(2).map(thingArn));
            await rejectsWith(s.iot.send(new ListJobExecutionsForJobCommand({ jobId: 'dx-nope' })), 'ResourceNotFoundException', 404);
        });
        test('ListJobExecutionsForThing: status filter, namespaceId, jobId, pagination (newest first)', async () => {
            const [t] = await things(s.iot, 'lt', 1);
            await createJob(s.iot, 'lt-1', [thingArn(t)]);
            await createJob(s.iot, 'lt-2', [thingArn(t)], { namespaceId: 'nsx' });
            await createJob(s.iot, 'lt-3', [thingArn(t)]);
            await createJob(s.iot, 'lt-4', [thingArn(t)], { namespaceId: 'nsx' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'lt-1', thingName: t, status: 'SUCCEEDED' }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'lt-3', thingName: t, status: 'IN_PROGRESS' }));
            const ids = async (input) => (await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t, ...input }))).executionSummaries.map((x) => x.jobId);
            assert.deepEqual(await ids({}), ['lt-4', 'lt-3', 'lt-2', 'lt-1']);
            assert.deepEqual(await ids({ status: 'QUEUED' }), ['lt-4', 'lt-2']);
            assert.deepEqual(await ids({ status: 'SUCCEEDED' }), ['lt-1']);
            assert.deepEqual(await ids({ status: 'IN_PROGRESS' }), ['lt-3']);
            assert.deepEqual(await ids({ namespaceId: 'nsx' }), ['lt-4', 'lt-2']);
            assert.deepEqual(await ids({ namespaceId: 'nsx', status: 'IN_PROGRESS' }), []);
            assert.deepEqual(await ids({ jobId: 'lt-2' }), ['lt-2']);
            const one = (await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t, status: 'SUCCEEDED' }))).executionSummaries[0];
            assert.equal(one.jobExecutionSummary?.status, 'SUCCEEDED');
            assert.equal(one.jobExecutionSummary?.executionNumber, 1);
            const { items } = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t, maxResults: 1, nextToken }));
                return { items: r.executionSummaries.map((x) => x.jobId), nextToken: r.nextToken };
            }, 1);
            assert.deepEqual(items, ['lt-4', 'lt-3', 'lt-2', 'lt-1']);
            const ns = await allPages(async (nextToken) => {
                const r = await s.iot.send(new ListJobExecutionsForThingCommand({ thingName: t, namespaceId: 'nsx', maxResults: 1, nextToken }));
                return { items: r.executionSummaries.map((x) => x.jobId), nextToken: r.nextToken };
            }, 1);
            assert.deepEqual(ns.items, ['lt-4', 'lt-2']);
        });
        test('CancelJobExecution: QUEUED ok with statusDetails; IN_PROGRESS needs force; expectedVersion; terminal 409', async () => {
            const ts = await things(s.iot, 'cje', 4);
            await createJob(s.iot, 'cje-1', ts.map(thingArn));
            await s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[0], statusDetails: { reason: 'operator', ticket: 'T-42' } }));
            const c0 = await execution(s.iot, 'cje-1', ts[0]);
            assert.equal(c0.status, 'CANCELED');
            assert.equal(c0.forceCanceled, false);
            assert.equal(c0.versionNumber, 2);
            assert.deepEqual(c0.statusDetails?.detailsMap, { reason: 'operator', ticket: 'T-42' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cje-1', thingName: ts[1], status: 'IN_PROGRESS' }));
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[1] })), 'InvalidStateTransitionException', 409);
            assert.equal((await execution(s.iot, 'cje-1', ts[1])).status, 'IN_PROGRESS');
            await s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[1], force: true }));
            const c1 = await execution(s.iot, 'cje-1', ts[1]);
            assert.equal(c1.status, 'CANCELED');
            assert.equal(c1.forceCanceled, true);
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[2], expectedVersion: 5 })), 'VersionConflictException', 409);
            assert.equal((await execution(s.iot, 'cje-1', ts[2])).status, 'QUEUED');
            await s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[2], expectedVersion: 1 }));
            assert.equal((await execution(s.iot, 'cje-1', ts[2])).status, 'CANCELED');
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'cje-1', thingName: ts[3], status: 'SUCCEEDED' }));
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[3] })), 'InvalidStateTransitionException', 409);
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[3], force: true })), 'InvalidStateTransitionException', 409);
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: ts[0] })), 'InvalidStateTransitionException', 409);
            assert.equal((await execution(s.iot, 'cje-1', ts[3])).status, 'SUCCEEDED');
            await rejectsWith(s.iot.send(new CancelJobExecutionCommand({ jobId: 'cje-1', thingName: 'cje-nope' })), 'ResourceNotFoundException', 404);
            assert.deepEqual(await counters(s.iot, 'cje-1'), { ...zero, canceled: 3, succeeded: 1 });
            assert.equal((await describeJob(s.iot, 'cje-1')).status, 'COMPLETED');
            // The device cannot revive a canceled execution.
            await rejectsWith(s.data.send(new UpdateJobExecutionCommand({ jobId: 'cje-1', thingName: ts[0], status: 'IN_PROGRESS' })), 'InvalidStateTransitionException', 409);
        });
    });
    describe(`Restart [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend);
        });
        after(async () => {
            await s.close();
        });
        test('things, groups, jobs, executions and counters survive a restart, and work goes on', async () => {
            const ts = await things(s.iot, 'rs', 3);
            const id0 = (await s.iot.send(new DescribeThingCommand({ thingName: ts[0] }))).thingId;
            await s.iot.send(new UpdateThingCommand({ thingName: ts[0], attributePayload: { attributes: { fw: '1.0' } } }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'rs-g' }));
            for (const t of ts)
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'rs-g', thingName: t }));
            await createJob(s.iot, 'rs-1', [groupArn('rs-g')], { description: 'survives', targetSelection: 'CONTINUOUS' });
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'rs-1', thingName: ts[0], status: 'IN_PROGRESS', statusDetails: { p: '50' } }));
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'rs-1', thingName: ts[1], status: 'FAILED' }));
            s = await s.restart();
            const d = await s.iot.send(new DescribeThingCommand({ thingName: ts[0] }));
            assert.equal(d.thingId, id0);
            assert.deepEqual(d.attributes, { fw: '1.0' });
            assert.equal(d.version, 2);
            assert.deepEqual((await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'rs-g' }))).things, ts);
            const j = await describeJob(s.iot, 'rs-1');
            assert.equal(j.status, 'IN_PROGRESS');
            assert.equal(j.description, 'survives');
            assert.equal(j.targetSelection, 'CONTINUOUS');
            assert.deepEqual(await counters(s.iot, 'rs-1'), { ...zero, queued: 1, inProgress: 1, failed: 1 });
            const e = await execution(s.iot, 'rs-1', ts[0]);
            assert.equal(e.status, 'IN_PROGRESS');
            assert.equal(e.versionNumber, 2);
            assert.deepEqual(e.statusDetails?.detailsMap, { p: '50' });
            // Still working: the device finishes, and the CONTINUOUS job follows the group.
            await s.data.send(new UpdateJobExecutionCommand({ jobId: 'rs-1', thingName: ts[0], status: 'SUCCEEDED', expectedVersion: 2 }));
            await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: 'rs-g', thingName: ts[2] }));
            assert.deepEqual(await counters(s.iot, 'rs-1'), { ...zero, succeeded: 1, failed: 1, removed: 1 });
        });
    });
}
//# sourceMappingURL=control-plane.test.js.map