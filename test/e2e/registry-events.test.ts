/**
 * Registry events ($aws/events/thing/..., thingGroup/..., thingType/..., thingGroupMembership/...,
 * thingGroupHierarchy/..., thingTypeAssociation/...), end to end: an application subscribed, the
 * registry changed through the SDK, topics and payloads checked against perimeter.md §1.5.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import {
  AddThingToThingGroupCommand,
  CreateDynamicThingGroupCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteDynamicThingGroupCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeprecateThingTypeCommand,
  RemoveThingFromThingGroupCommand,
  UpdateDynamicThingGroupCommand,
  UpdateEventConfigurationsCommand,
  UpdateIndexingConfigurationCommand,
  UpdateThingCommand,
} from '@aws-sdk/client-iot';
import { ACCOUNT, BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, eventually, startServer, type TestServer } from '../support/harness.js';
import { presignMqttUrl } from '../../src/mqtt/presign.js';

interface Event {
  topic: string;
  body: Record<string, unknown>;
}

for (const backend of BACKENDS)
  for (const broker of ['embedded', 'external'] as const)
    describe(`registry events [${backend}, ${broker} broker]`, () => {
      const run = randomBytes(3).toString('hex');
      const name = (n: string) => `re-${n}-${run}`;
      let s: TestServer;
      let sub: mqtt.MqttClient;
      const seen: Event[] = [];
      const find = (topic: string) => seen.find((e) => e.topic === topic)?.body;
      const waitFor = (topic: string) => eventually(async () => find(topic), 10_000, topic);

      before(async () => {
        s = await startServer(backend, broker === 'external' ? { mqttUrl: MOSQUITTO_URL } : { mqttPort: 0 });
        const all = ['THING', 'THING_GROUP', 'THING_TYPE', 'THING_GROUP_MEMBERSHIP', 'THING_GROUP_HIERARCHY', 'THING_TYPE_ASSOCIATION'];
        await s.iot.send(new UpdateEventConfigurationsCommand({ eventConfigurations: Object.fromEntries(all.map((k) => [k, { Enabled: true }])) }));
        const url = broker === 'external' ? MOSQUITTO_URL : await presignMqttUrl({ url: s.app.mqttWsUrl!, region: REGION, credentials: CREDENTIALS });
        sub = await mqtt.connectAsync(url, { clientId: `re-app-${run}-${backend}`, protocolVersion: 5 });
        sub.on('message', (topic, payload) => {
          if (topic.includes(run)) seen.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> });
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
        const rootToParent = g.rootToParentThingGroups as { groupArn: string; groupId: string }[];
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

      test('membership follows every change: a dynamic group built in bulk, rebuilt, a thing that changes, DeleteThing, DeleteDynamicThingGroup, DeleteThingGroup', async () => {
        await s.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
        const stat = name('static');
        const dyn = name('dyn');
        const [t1, t2, t3] = [name('d1'), name('d2'), name('d3')];
        const topic = (g: string, t: string, op: 'added' | 'removed') => `$aws/events/thingGroupMembership/thingGroup/${g}/thing/${t}/${op}`;
        await s.iot.send(new CreateThingGroupCommand({ thingGroupName: stat }));
        for (const [t, tier] of [[t1, 'gold'], [t2, 'gold'], [t3, 'silver']] as const) {
          await s.iot.send(new CreateThingCommand({ thingName: t, attributePayload: { attributes: { run, tier } } }));
          await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: stat, thingName: t }));
        }
        // No CONTINUOUS job follows the group: the build joins its members in bulk, and each still has its event.
        const created = await s.iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: dyn, queryString: `attributes.run:${run} AND attributes.tier:gold` }));
        const a1 = await waitFor(topic(dyn, t1, 'added'));
        const a2 = await waitFor(topic(dyn, t2, 'added'));
        assert.equal(a1.eventType, 'THING_GROUP_MEMBERSHIP_EVENT');
        assert.equal(a1.operation, 'ADDED');
        assert.equal(a1.accountId, ACCOUNT);
        assert.equal(a1.groupArn, `arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/${dyn}`);
        assert.equal(a1.groupId, created.thingGroupId);
        assert.equal(a1.thingArn, `arn:aws:iot:${REGION}:${ACCOUNT}:thing/${t1}`);
        assert.match(String(a1.thingId), /^[0-9a-f-]{36}$/);
        assert.equal(String(a1.timestamp).length, 13);
        assert.notEqual(a1.eventId, a2.eventId);
        assert.notEqual(a1.membershipId, a2.membershipId);

        // A thing whose change makes it match joins by its own write.
        await s.iot.send(new UpdateThingCommand({ thingName: t3, attributePayload: { attributes: { tier: 'gold' }, merge: true } }));
        const a3 = await waitFor(topic(dyn, t3, 'added'));

        // A new query: the rebuild's leaves, in bulk, name the memberships of their joins.
        await s.iot.send(new UpdateDynamicThingGroupCommand({ thingGroupName: dyn, thingGroupProperties: {}, queryString: `attributes.run:${run} AND thingName:${t1}` }));
        assert.equal((await waitFor(topic(dyn, t2, 'removed'))).membershipId, a2.membershipId);
        const r3 = await waitFor(topic(dyn, t3, 'removed'));
        assert.equal(r3.membershipId, a3.membershipId);
        assert.equal(r3.operation, 'REMOVED');
        assert.equal(find(topic(dyn, t1, 'removed')), undefined, 't1 still matches');

        // A deleted dynamic group: its members' removed.
        await s.iot.send(new DeleteDynamicThingGroupCommand({ thingGroupName: dyn }));
        assert.equal((await waitFor(topic(dyn, t1, 'removed'))).membershipId, a1.membershipId);

        // A deleted thing leaves its groups; a deleted static group lets its members go.
        const s2 = await waitFor(topic(stat, t2, 'added'));
        await s.iot.send(new DeleteThingCommand({ thingName: t2 }));
        const r2 = await waitFor(topic(stat, t2, 'removed'));
        assert.equal(r2.membershipId, s2.membershipId);
        assert.equal(r2.thingId, s2.thingId);
        await s.iot.send(new DeleteThingGroupCommand({ thingGroupName: stat }));
        await waitFor(topic(stat, t1, 'removed'));
        const gone3 = await waitFor(topic(stat, t3, 'removed'));
        assert.equal(gone3.groupId, (await waitFor(topic(stat, t3, 'added'))).groupId);
        await waitFor(`$aws/events/thingGroup/${stat}/deleted`);
        assert.equal(seen.filter((e) => e.topic === topic(stat, t2, 'removed')).length, 1, 'a thing deleted before its group is not removed twice');
      });
    });
