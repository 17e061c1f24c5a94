const lower = (op) => op.toLowerCase();
export function thingEvent(op, t, eventId, now) {
    return {
        type: 'THING',
        topic: `$aws/events/thing/${t.thingName}/${lower(op)}`,
        payload: {
            eventType: 'THING_EVENT',
            eventId,
            timestamp: now,
            operation: op,
            accountId: t.accountId,
            thingId: t.thingId,
            thingName: t.thingName,
            versionNumber: t.version,
            thingTypeName: t.thingTypeName,
            attributes: t.attributes,
        },
    };
}
export function thingTypeAssociationEvent(op, t, eventId, now) {
    return {
        type: 'THING_TYPE_ASSOCIATION',
        topic: `$aws/events/thingTypeAssociation/thing/${t.thingName}/thingType/${t.thingTypeName}/${lower(op)}`,
        payload: { eventId, eventType: 'THING_TYPE_ASSOCIATION_EVENT', operation: op, thingId: t.thingId, thingName: t.thingName, thingTypeName: t.thingTypeName, timestamp: now },
    };
}
export function thingGroupEvent(op, g, eventId, now) {
    return {
        type: 'THING_GROUP',
        topic: `$aws/events/thingGroup/${g.groupName}/${lower(op)}`,
        payload: {
            eventType: 'THING_GROUP_EVENT',
            eventId,
            timestamp: now,
            operation: op,
            accountId: g.accountId,
            thingGroupId: g.groupId,
            thingGroupName: g.groupName,
            versionNumber: g.version,
            parentGroupName: g.parentGroupName,
            parentGroupId: g.parentGroupId,
            description: g.description,
            rootToParentThingGroups: g.rootToParent,
            attributes: g.attributes,
            dynamicGroupMappingId: null,
        },
    };
}
export function membershipEvent(op, m, eventId, now) {
    return {
        type: 'THING_GROUP_MEMBERSHIP',
        topic: `$aws/events/thingGroupMembership/thingGroup/${m.groupName}/thing/${m.thingName}/${lower(op)}`,
        payload: { eventType: 'THING_GROUP_MEMBERSHIP_EVENT', eventId, timestamp: now, operation: op, accountId: m.accountId, groupArn: m.groupArn, groupId: m.groupId, thingArn: m.thingArn, thingId: m.thingId, membershipId: m.membershipId },
    };
}
export function hierarchyEvent(op, h, eventId, now) {
    return {
        type: 'THING_GROUP_HIERARCHY',
        topic: `$aws/events/thingGroupHierarchy/thingGroup/${h.parentName}/childThingGroup/${h.childName}/${lower(op)}`,
        payload: { eventType: 'THING_GROUP_HIERARCHY_EVENT', eventId, timestamp: now, operation: op, accountId: h.accountId, thingGroupId: h.parentId, thingGroupName: h.parentName, childGroupId: h.childId, childGroupName: h.childName },
    };
}
export function thingTypeEvent(op, t, eventId, now) {
    return {
        type: 'THING_TYPE',
        topic: `$aws/events/thingType/${t.typeName}/${lower(op)}`,
        payload: {
            eventType: 'THING_TYPE_EVENT',
            eventId,
            timestamp: now,
            operation: op,
            accountId: t.accountId,
            thingTypeId: t.typeId,
            thingTypeName: t.typeName,
            isDeprecated: t.deprecated,
            deprecationDate: t.deprecatedAt,
            searchableAttributes: t.searchableAttributes,
            description: t.description,
        },
    };
}
//# sourceMappingURL=registry-events.js.map