/**
 * Registry events ($aws/events/thing/..., thingGroup/..., thingType/..., thingGroupMembership/...,
 * thingGroupHierarchy/..., thingTypeAssociation/...), end to end: an application subscribed, the
 * registry changed through the SDK, topics and payloads checked against perimeter.md §1.5.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { AddThingToThingGroupCommand, CreateThingCommand, CreateThingGroupCommand, CreateThingTypeCommand, DeleteThingCommand, DeleteThingGroupCommand, DeprecateThingTypeCommand, RemoveThingFromThingGroupCommand, UpdateEventConfigurationsCommand, UpdateThingCommand, } from '@aws-sdk/client-iot';
import { ACCOUNT, BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, eventually, startServer } from '../support/harness.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';
for (const backend of BACKENDS)
    for (const broker of ['embedded', 'external'])
        describe(`registry events [${backend}, ${broker} broker]`, () => {
            const run = randomBytes(3).toString('hex');
            const name = (n) => `re-${n}-${run}`;
            let s;
            let sub;
            const seen = [];
            const find = (topic) => seen.find((e) => e.topic === topic)?.body;
            const waitFor = (topic) => eventually(async () => find(topic), 10_000, topic);
            before(async () => {
                s = await startServer(backend, broker === 'external' ? { mqttUrl: MOSQUITTO_URL } : { mqttPort: 0 });
                const all = ['THING', 'THING_GROUP', 'THING_TYPE', 'THING_GROUP_MEMBERSHIP', 'THING_GROUP_HIERARCHY', 'THING_TYPE_ASSOCIATION'];
                await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(all.map((k) => [k, { Enabled: true }])) }));
                const url = broker === 'external' ? MOSQUITTO_URL : await presignMqttUrl({ url: s.app.mqttWsUrl, region: REGION, credentials: CREDENTIALS });
                sub = await mqtt.connectAsync(url, { clientId: `re-app-${run}-${backend}`, protocolVersion: 5 });
                sub.on('message', (topic, payload) => {
                    if (topic.includes(run))
                        seen.push({ topic, body: JSON.parse(payload.toString()) });
                });
                await sub.subscribeAsync(['$aws/events/thing/#', '$aws/events/thingGroup/#', '$aws/events/thingType/#', '$aws/events/thingGroupMembership/#', '$aws/events/thingGroupHierarchy/#', '$aws/events/thingTypeAssociation/#'], { qos: 1 });
            });
            after(async () => {
                await sub?.endAsync();
                await s.close();
            });
            test('things: created, updated, deleted; their type association added and removed', async () => {
                const type = name('type');
                const thing = name('t');
                await s.iot.send(new CreateThingTypeCommand({ thingTypeName: type, thingTypeProperties: { thingTypeDescription: 'lamps', searchableAttributes: ['model'] } }));
                const created = await waitFor(`$aws/events/thingType/${type}/created`);
                assert.equal(created.eventType, 'THING_TYPE_EVENT');
                assert.equal(created.operation, 'CREATED');
                assert.equal(created.accountId, ACCOUNT);
                assert.equal(created.isDeprecated, false);
                assert.deepEqual(created.searchableAttributes, ['model']);
                assert.equal(created.description, 'lamps');
                await s.iot.send(new CreateThingCommand({ thingName: thing, thingTypeName: type, attributePayload: { attributes: { model: 'X2' } } }));
                const t = await waitFor(`$aws/events/thing/${thing}/created`);
                assert.equal(t.eventType, 'THING_EVENT');
                assert.equal(t.operation, 'CREATED');
                assert.equal(t.versionNumber, 1);
                assert.equal(t.thingTypeName, type);
                assert.deepEqual(t.attributes, { model: 'X2' });
                assert.equal(String(t.timestamp).length, 13, 'timestamp in milliseconds');
                const added = await waitFor(`$aws/events/thingTypeAssociation/thing/${thing}/thingType/${type}/added`);
                assert.equal(added.eventType, 'THING_TYPE_ASSOCIATION_EVENT');
                assert.equal(added.operation, 'ADDED');
                await s.iot.send(new UpdateThingCommand({ thingName: thing, attributePayload: { attributes: { fw: '2.4' }, merge: true }, removeThingType: true }));
                const u = await waitFor(`$aws/events/thing/${thing}/updated`);
                assert.equal(u.versionNumber, 2);
                assert.deepEqual(u.attributes, { model: 'X2', fw: '2.4' });
                assert.equal(u.thingTypeName, null);
                await waitFor(`$aws/events/thingTypeAssociation/thing/${thing}/thingType/${type}/removed`);
                await s.iot.send(new DeprecateThingTypeCommand({ thingTypeName: type }));
                const dep = await waitFor(`$aws/events/thingType/${type}/updated`);
                assert.equal(dep.isDeprecated, true);
                await s.iot.send(new DeleteThingCommand({ thingName: thing }));
                assert.equal((await waitFor(`$aws/events/thing/${thing}/deleted`)).operation, 'DELETED');
            });
            test('groups: created under a parent (hierarchy added), membership added and removed, deleted', async () => {
                const parent = name('parent');
                const child = name('child');
                const thing = name('m');
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: parent }));
                await s.iot.send(new CreateThingGroupCommand({ thingGroupName: child, parentGroupName: parent, thingGroupProperties: { thingGroupDescription: 'floor 2' } }));
                const g = await waitFor(`$aws/events/thingGroup/${child}/created`);
                assert.equal(g.eventType, 'THING_GROUP_EVENT');
                assert.equal(g.parentGroupName, parent);
                assert.equal(g.description, 'floor 2');
                assert.equal(g.dynamicGroupMappingId, null);
                const rootToParent = g.rootToParentThingGroups;
                assert.deepEqual(rootToParent.map((r) => r.groupArn), [`arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${parent}`]);
                const h = await waitFor(`$aws/events/thingGroupHierarchy/thingGroup/${parent}/childThingGroup/${child}/added`);
                assert.equal(h.eventType, 'THING_GROUP_HIERARCHY_EVENT');
                assert.equal(h.childGroupName, child);
                await s.iot.send(new CreateThingCommand({ thingName: thing }));
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: child, thingName: thing }));
                const m = await waitFor(`$aws/events/thingGroupMembership/thingGroup/${child}/thing/${thing}/added`);
                assert.equal(m.eventType, 'THING_GROUP_MEMBERSHIP_EVENT');
                assert.equal(m.operation, 'ADDED');
                assert.equal(m.thingArn, `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${thing}`);
                await s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: child, thingName: thing }));
                const r = await waitFor(`$aws/events/thingGroupMembership/thingGroup/${child}/thing/${thing}/removed`);
                assert.equal(r.membershipId, m.membershipId, 'the leave names the membership of the join');
                await s.iot.send(new DeleteThingGroupCommand({ thingGroupName: child }));
                await waitFor(`$aws/events/thingGroup/${child}/deleted`);
                await waitFor(`$aws/events/thingGroupHierarchy/thingGroup/${parent}/childThingGroup/${child}/removed`);
            });
        });
//# sourceMappingURL=registry-events.test.js.map