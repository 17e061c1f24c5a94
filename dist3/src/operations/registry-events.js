import { randomUUID } from 'node:crypto';
import { hierarchyEvent, thingEvent, thingGroupEvent, thingTypeEvent } from '../domain/registry-events.js';
import { thingGroupArn } from '../domain/arn.js';
import { groupWithAncestors } from '../store/groups.js';
/** Writes a registry event to the outbox in the operation's transaction (if its type is on). */
export async function registryEvent(tx, build) {
    const e = build(randomUUID());
    if (tx.wants(e.type))
        await tx.event(e.type, { topic: e.topic, payload: e.payload });
}
/** A thing's THING event from its row as it is now (or was, for DELETED). */
export async function thingRowEvent(tx, db, accountId, thingName, op, now) {
    if (!tx.wants('THING'))
        return;
    const t = await db.selectFrom('things').selectAll().where('thing_name', '=', thingName).executeTakeFirst();
    if (!t)
        return;
    await registryEvent(tx, (id) => thingEvent(op, { accountId, thingId: t.thing_id, thingName, version: Number(t.version), thingTypeName: t.thing_type_name, attributes: JSON.parse(t.attributes) }, id, now));
}
/** A group's THING_GROUP event from its row as it is now (or was, for DELETED), and its parent link's. */
export async function groupRowEvent(tx, scope, groupName, op, now) {
    if (!tx.wants('THING_GROUP') && !tx.wants('THING_GROUP_HIERARCHY'))
        return;
    const db = tx.db;
    const g = await db.selectFrom('thing_groups').selectAll().where('group_name', '=', groupName).executeTakeFirst();
    if (!g)
        return;
    const parent = g.parent_group_name ? await db.selectFrom('thing_groups').select(['group_name', 'group_id']).where('group_name', '=', g.parent_group_name).executeTakeFirst() : undefined;
    if (tx.wants('THING_GROUP')) {
        const chain = g.parent_group_name ? (await groupWithAncestors(db, g.parent_group_name)).reverse() : [];
        const ids = chain.length ? await db.selectFrom('thing_groups').select(['group_name', 'group_id']).where('group_name', 'in', chain).execute() : [];
        const idOf = new Map(ids.map((r) => [r.group_name, r.group_id]));
        await registryEvent(tx, (id) => thingGroupEvent(op, {
            accountId: scope.accountId,
            groupId: g.group_id,
            groupName,
            version: Number(g.version),
            parentGroupName: g.parent_group_name,
            parentGroupId: parent?.group_id ?? null,
            description: g.description,
            rootToParent: chain.map((n) => ({ groupArn: thingGroupArn(scope, n), groupId: idOf.get(n) ?? '' })),
            attributes: JSON.parse(g.attributes),
        }, id, now));
    }
    // A group created under a parent, or deleted from under it, changes the hierarchy.
    if (parent && op !== 'UPDATED')
        await registryEvent(tx, (id) => hierarchyEvent(op === 'CREATED' ? 'ADDED' : 'REMOVED', { accountId: scope.accountId, parentId: parent.group_id, parentName: parent.group_name, childId: g.group_id, childName: groupName }, id, now));
}
/** A thing type's THING_TYPE event from its row as it is now (or was, for DELETED). */
export async function thingTypeRowEvent(tx, accountId, typeName, op, now) {
    if (!tx.wants('THING_TYPE'))
        return;
    const t = await tx.db.selectFrom('thing_types').selectAll().where('thing_type_name', '=', typeName).executeTakeFirst();
    if (!t)
        return;
    const props = JSON.parse(t.properties);
    await registryEvent(tx, (id) => thingTypeEvent(op, {
        accountId,
        typeId: t.thing_type_id,
        typeName,
        deprecated: t.deprecated === 1,
        deprecatedAt: t.deprecated_at === null ? null : Number(t.deprecated_at),
        searchableAttributes: props.searchableAttributes ?? [],
        description: props.thingTypeDescription ?? null,
    }, id, now));
}
//# sourceMappingURL=registry-events.js.map