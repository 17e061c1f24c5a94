import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, CreateThingTypeCommand, DeleteThingCommand, DeleteThingTypeCommand, DeprecateThingTypeCommand, DescribeEndpointCommand, DescribeJobExecutionCommand, DescribeThingCommand, DescribeThingGroupCommand, DescribeThingTypeCommand, ListTagsForResourceCommand, ListThingGroupsCommand, ListThingGroupsForThingCommand, ListThingsCommand, ListThingTypesCommand, UpdateThingCommand, UpdateThingGroupsForThingCommand, } from '@aws-sdk/client-iot';
import { ManualClock } from '../../src/clock.js';
import { BACKENDS, startServer, thingArn, REGION, ACCOUNT } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
/** Registry calls clients script (thing types, UpdateThingGroupsForThing) and details where iot-jobs now answers as AWS does. */
for (const backend of BACKENDS) {
    describe(`registry [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let s;
        // Behind the wall clock, so that moving it 5 minutes on keeps client signatures within AWS's skew.
        const clock = new ManualClock(Date.now() - 3 * 60_000);
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 }, { clock });
        });
        after(async () => {
            await s.close();
        });
        test('thing types: create (idempotent, 409 on other properties), describe, list, deprecate and undo, delete after 5 minutes deprecated', async () => {
            const type = name('sensor');
            const props = { thingTypeDescription: 'a sensor', searchableAttributes: ['model', 'site'] };
            const c = await s.iot.send(new CreateThingTypeCommand({ thingTypeName: type, thingTypeProperties: props, tags: [{ Key: 'team', Value: 'hw' }] }));
            const arn = `arn:aws:iot:${REGION}:${ACCOUNT}:thingtype/${type}`;
            assert.equal(c.thingTypeArn, arn);
            assert.ok(c.thingTypeId);
            assert.equal((await s.iot.send(new CreateThingTypeCommand({ thingTypeName: type, thingTypeProperties: props }))).thingTypeId, c.thingTypeId);
            await rejectsWith(s.iot.send(new CreateThingTypeCommand({ thingTypeName: type, thingTypeProperties: { thingTypeDescription: 'other' } })), 'ResourceAlreadyExistsException', 409);
            assert.deepEqual((await s.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ Key: 'team', Value: 'hw' }]);
            const d = await s.iot.send(new DescribeThingTypeCommand({ thingTypeName: type }));
            assert.deepEqual({ name: d.thingTypeName, id: d.thingTypeId, arn: d.thingTypeArn, props: d.thingTypeProperties, deprecated: d.thingTypeMetadata?.deprecated }, { name: type, id: c.thingTypeId, arn, props, deprecated: false });
            assert.ok(d.thingTypeMetadata?.creationDate instanceof Date);
            await rejectsWith(s.iot.send(new DescribeThingTypeCommand({ thingTypeName: name('nope') })), 'ResourceNotFoundException', 404);
            const other = name('gateway');
            await s.iot.send(new CreateThingTypeCommand({ thingTypeName: other }));
            const listed = (await s.iot.send(new ListThingTypesCommand({ maxResults: 250 }))).thingTypes.map((t) => t.thingTypeName);
            assert.ok(listed.includes(type) && listed.includes(other));
            const one = await s.iot.send(new ListThingTypesCommand({ thingTypeName: type }));
            assert.deepEqual(one.thingTypes.map((t) => [t.thingTypeName, t.thingTypeArn, t.thingTypeProperties?.thingTypeDescription]), [[type, arn, 'a sensor']]);
            // CreateThing with a type: unknown 404, deprecated 400.
            await rejectsWith(s.iot.send(new CreateThingCommand({ thingName: name('t-unknown'), thingTypeName: name('nope') })), 'ResourceNotFoundException', 404);
            await s.iot.send(new CreateThingCommand({ thingName: name('t-typed'), thingTypeName: type }));
            assert.equal((await s.iot.send(new DescribeThingCommand({ thingName: name('t-typed') }))).thingTypeName, type);
            await rejectsWith(s.iot.send(new UpdateThingCommand({ thingName: name('t-typed'), thingTypeName: name('nope') })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteThingTypeCommand({ thingTypeName: type })), 'InvalidRequestException', 400, /deprecated/);
            await s.iot.send(new DeprecateThingTypeCommand({ thingTypeName: type }));
            const dep = await s.iot.send(new DescribeThingTypeCommand({ thingTypeName: type }));
            assert.equal(dep.thingTypeMetadata?.deprecated, true);
            assert.equal(dep.thingTypeMetadata?.deprecationDate?.getTime(), clock.now());
            await rejectsWith(s.iot.send(new CreateThingCommand({ thingName: name('t-dep'), thingTypeName: type })), 'InvalidRequestException', 400, /deprecated/);
            await s.iot.send(new DeprecateThingTypeCommand({ thingTypeName: type, undoDeprecate: true }));
            assert.equal((await s.iot.send(new DescribeThingTypeCommand({ thingTypeName: type }))).thingTypeMetadata?.deprecated, false);
            await s.iot.send(new DeprecateThingTypeCommand({ thingTypeName: type }));
            await rejectsWith(s.iot.send(new DeleteThingTypeCommand({ thingTypeName: type })), 'InvalidRequestException', 400, /5 minutes/);
            clock.advance(5 * 60_000 + 1000);
            await rejectsWith(s.iot.send(new DeleteThingTypeCommand({ thingTypeName: type })), 'InvalidRequestException', 400, /things associated/);
            await s.iot.send(new DeleteThingCommand({ thingName: name('t-typed') }));
            await s.iot.send(new DeleteThingTypeCommand({ thingTypeName: type }));
            await rejectsWith(s.iot.send(new DescribeThingTypeCommand({ thingTypeName: type })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteThingTypeCommand({ thingTypeName: type })), 'ResourceNotFoundException', 404);
        });
        test('ListThings filters by thingTypeName and by attribute', async () => {
            const type = name('meter');
            await s.iot.send(new CreateThingTypeCommand({ thingTypeName: type }));
            await s.iot.send(new CreateThingCommand({ thingName: name('m-1'), thingTypeName: type, attributePayload: { attributes: { site: 'north' } } }));
            await s.iot.send(new CreateThingCommand({ thingName: name('m-2'), thingTypeName: type, attributePayload: { attributes: { site: 'south' } } }));
            await s.iot.send(new CreateThingCommand({ thingName: name('m-3'), attributePayload: { attributes: { site: 'north' } } }));
            const list = async (input) => (await s.iot.send(new ListThingsCommand({ maxResults: 250, ...input }))).things.map((t) => t.thingName).filter((n) => n.endsWith(run));
            assert.deepEqual(await list({ thingTypeName: type }), [name('m-1'), name('m-2')]);
            assert.deepEqual(await list({ attributeName: 'site', attributeValue: 'north' }), [name('m-1'), name('m-3')]);
            assert.deepEqual(await list({ thingTypeName: type, attributeName: 'site', attributeValue: 'north' }), [name('m-1')]);
        });
        test('UpdateThingGroupsForThing adds and removes in one call, within the limit of 10 groups; unknown group 404', async () => {
            const t = name('ug');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const groups = Array.from({ length: 12 }, (_, i) => name(`ug-g${i}`));
            for (const g of groups)
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
            const member = async () => (await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups.map((g) => g.groupName).sort();
            await s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: groups.slice(0, 3) }));
            assert.deepEqual(await member(), groups.slice(0, 3).sort());
            await s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: [groups[3], groups[4]], thingGroupsToRemove: [groups[0]] }));
            assert.deepEqual(await member(), groups.slice(1, 5).sort());
            // Nine more would make 13.
            await rejectsWith(s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: groups.slice(5, 12) })), 'InvalidRequestException', 400, /10 thing groups/);
            assert.deepEqual(await member(), groups.slice(1, 5).sort(), 'a refused call changes nothing');
            await rejectsWith(s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: [name('ug-missing')], thingGroupsToRemove: [groups[1]] })), 'ResourceNotFoundException', 404);
            assert.deepEqual(await member(), groups.slice(1, 5).sort());
            await rejectsWith(s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: name('ug-nothing'), thingGroupsToAdd: [groups[0]] })), 'ResourceNotFoundException', 404);
            // A CONTINUOUS job on a group reaches a thing added this way.
            await s.iot.send(new CreateJobCommand({ jobId: name('ug-job'), targets: [`arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${groups[0]}`], targetSelection: 'CONTINUOUS', document: '{}' }));
            await s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: [groups[0]] }));
            assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('ug-job'), thingName: t }))).execution?.status, 'QUEUED');
        });
        test('concurrent UpdateThingGroupsForThing calls on one thing keep it within 10 groups; concurrent CreateThingType calls agree', async () => {
            const t = name('race');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const groups = Array.from({ length: 14 }, (_, i) => name(`race-g${i}`));
            for (const g of groups)
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
            const results = await Promise.allSettled(groups.map((g) => s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToAdd: [g] }))));
            const failed = results.filter((r) => r.status === 'rejected');
            assert.equal(results.length - failed.length, 10);
            for (const f of failed)
                assert.equal(f.reason.name, 'InvalidRequestException');
            const member = (await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups;
            assert.equal(member.length, 10);
            const type = name('race-type');
            const ids = await Promise.all(Array.from({ length: 6 }, () => s.iot.send(new CreateThingTypeCommand({ thingTypeName: type })).then((r) => r.thingTypeId)));
            assert.equal(new Set(ids).size, 1);
        });
        test('ListThingGroups: a parent alone lists all descendants; recursive=false without a parent lists top-level groups', async () => {
            const [a, a1, a1x, b] = ['lt-a', 'lt-a-1', 'lt-a-1-x', 'lt-b'].map(name);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: a }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: b }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: a1, parentGroupName: a }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: a1x, parentGroupName: a1 }));
            const names = async (input) => (await s.iot.send(new ListThingGroupsCommand({ maxResults: 250, ...input }))).thingGroups.map((g) => g.groupName).filter((n) => n.startsWith('lt-') && n.endsWith(run)).sort();
            assert.deepEqual(await names({ parentGroup: a }), [a1, a1x].sort());
            assert.deepEqual(await names({ parentGroup: a, recursive: false }), [a1]);
            assert.deepEqual(await names({ recursive: false }), [a, b].sort());
            assert.deepEqual(await names({}), [a, a1, a1x, b].sort());
        });
        test('UpdateThing with an empty attribute value removes it, with or without merge', async () => {
            const t = name('attrs');
            await s.iot.send(new CreateThingCommand({ thingName: t, attributePayload: { attributes: { a: '1', b: '2', c: '3' } } }));
            const attrs = async () => (await s.iot.send(new DescribeThingCommand({ thingName: t }))).attributes;
            await s.iot.send(new UpdateThingCommand({ thingName: t, attributePayload: { attributes: { a: '', d: '4' }, merge: true } }));
            assert.deepEqual(await attrs(), { b: '2', c: '3', d: '4' });
            await s.iot.send(new UpdateThingCommand({ thingName: t, attributePayload: { attributes: { b: '', e: '5' } } }));
            assert.deepEqual(await attrs(), { e: '5' });
        });
        test('DescribeThingGroup leaves out an empty attributePayload; CreateThingGroup with other properties: 409 with AWS message', async () => {
            const g = name('plain');
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g, thingGroupProperties: { thingGroupDescription: 'd' } }));
            const d = await s.iot.send(new DescribeThingGroupCommand({ thingGroupName: g }));
            assert.deepEqual(d.thingGroupProperties, { thingGroupDescription: 'd' });
            const raw = await fetchDescribeGroup(s, g);
            assert.ok(!('attributePayload' in (raw.thingGroupProperties ?? {})), JSON.stringify(raw));
            const e = await rejectsWith(s.iot.send(new CreateThingGroupCommand({ thingGroupName: g, thingGroupProperties: { thingGroupDescription: 'other' } })), 'ResourceAlreadyExistsException', 409);
            assert.equal(e.message, `Thing Group ${g} already exists in current account with different properties`);
        });
        test('control-plane DescribeJobExecution answers statusDetails {} when there are none', async () => {
            const t = name('sd');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            await s.iot.send(new CreateJobCommand({ jobId: name('sd-job'), targets: [thingArn(t)], document: '{}' }));
            const e = await s.iot.send(new DescribeJobExecutionCommand({ jobId: name('sd-job'), thingName: t }));
            assert.deepEqual(e.execution?.statusDetails, {});
        });
        test('DescribeEndpoint: iot:Jobs the HTTP address; iot:Data, iot:Data-ATS and none the MQTT address; unknown 400', async () => {
            const http = new URL(s.url).host;
            const mqtt = new URL(s.app.mqttUrl).host;
            assert.notEqual(http, mqtt);
            const ep = async (endpointType) => (await s.iot.send(new DescribeEndpointCommand({ endpointType }))).endpointAddress;
            assert.equal(await ep('iot:Jobs'), http);
            assert.equal(await ep('iot:Data'), mqtt);
            assert.equal(await ep('iot:Data-ATS'), mqtt);
            assert.equal(await ep(), mqtt);
            await rejectsWith(s.iot.send(new DescribeEndpointCommand({ endpointType: 'iot:Nothing' })), 'InvalidRequestException', 400, /endpointType/);
        });
        test('CreateJob errors never echo an oversized document whole; jobTemplateArn without a document is not "Either document or documentSource"', async () => {
            const t = name('big');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const big = JSON.stringify({ blob: 'x'.repeat(40_000) });
            const e = await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('big'), targets: [thingArn(t)], document: big })), 'InvalidRequestException', 400, /document/);
            assert.ok(e.message.length < 1000, `message of ${e.message.length} characters`);
            const missing = await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('tplmiss'), targets: [thingArn(t)], jobTemplateArn: `arn:aws:iot:${REGION}:${ACCOUNT}:jobtemplate/${name('none')}` })), 'ResourceNotFoundException', 404);
            assert.doesNotMatch(missing.message, /Either document or documentSource/);
        });
        test('thing groups: AddThingToThingGroup keeps working beside UpdateThingGroupsForThing', async () => {
            const t = name('mix');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: name('mix-g') }));
            await s.iot.send(new AddThingToThingGroupCommand({ thingName: t, thingGroupName: name('mix-g') }));
            await s.iot.send(new UpdateThingGroupsForThingCommand({ thingName: t, thingGroupsToRemove: [name('mix-g')] }));
            assert.deepEqual((await s.iot.send(new ListThingGroupsForThingCommand({ thingName: t }))).thingGroups, []);
        });
    });
}
/** The raw JSON body of DescribeThingGroup (the SDK cannot tell an empty member from a missing one). */
async function fetchDescribeGroup(s, group) {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('../../src/auth/sigv4.js');
    const url = new URL(`/thing-groups/${group}`, s.url);
    const signer = new SignatureV4({ service: 'iot', region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Sha256 });
    const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host } });
    const res = await fetch(url, { headers: signed.headers });
    return (await res.json());
}
//# sourceMappingURL=registry.test.js.map