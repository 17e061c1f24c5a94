/**
 * Registry events of AWS IoT ($aws/events/thing/..., thingGroup/..., thingType/...,
 * thingGroupMembership/..., thingGroupHierarchy/..., thingTypeAssociation/...), as pure functions of
 * data: topics and payloads as AWS's registry-events page gives them; `timestamp` in milliseconds.
 */
import type { EventType } from './event-types.js';

export type RegistryOperation = 'CREATED' | 'UPDATED' | 'DELETED';
export type LinkOperation = 'ADDED' | 'REMOVED';

export interface RegistryEvent {
  type: EventType;
  topic: string;
  payload: Record<string, unknown>;
}

const lower = (op: string) => op.toLowerCase();

export function thingEvent(
  op: RegistryOperation,
  t: { accountId: string; thingId: string; thingName: string; version: number; thingTypeName: string | null; attributes: Record<string, string> },
  eventId: string,
  now: number,
): RegistryEvent {
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

export function thingTypeAssociationEvent(op: LinkOperation, t: { thingId: string; thingName: string; thingTypeName: string }, eventId: string, now: number): RegistryEvent {
  return {
    type: 'THING_TYPE_ASSOCIATION',
    topic: `$aws/events/thingTypeAssociation/thing/${t.thingName}/thingType/${t.thingTypeName}/${lower(op)}`,
    payload: { eventId, eventType: 'THING_TYPE_ASSOCIATION_EVENT', operation: op, thingId: t.thingId, thingName: t.thingName, thingTypeName: t.thingTypeName, timestamp: now },
  };
}

export function thingGroupEvent(
  op: RegistryOperation,
  g: {
    accountId: string;
    groupId: string;
    groupName: string;
    version: number;
    parentGroupName: string | null;
    parentGroupId: string | null;
    description: string | null;
    rootToParent: { groupArn: string; groupId: string }[];
    attributes: Record<string, string>;
  },
  eventId: string,
  now: number,
): RegistryEvent {
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

export function membershipEvent(
  op: LinkOperation,
  m: { accountId: string; groupName: string; groupArn: string; groupId: string; thingName: string; thingArn: string; thingId: string; membershipId: string },
  eventId: string,
  now: number,
): RegistryEvent {
  return {
    type: 'THING_GROUP_MEMBERSHIP',
    topic: `$aws/events/thingGroupMembership/thingGroup/${m.groupName}/thing/${m.thingName}/${lower(op)}`,
    payload: { eventType: 'THING_GROUP_MEMBERSHIP_EVENT', eventId, timestamp: now, operation: op, accountId: m.accountId, groupArn: m.groupArn, groupId: m.groupId, thingArn: m.thingArn, thingId: m.thingId, membershipId: m.membershipId },
  };
}

export function hierarchyEvent(
  op: LinkOperation,
  h: { accountId: string; parentId: string; parentName: string; childId: string; childName: string },
  eventId: string,
  now: number,
): RegistryEvent {
  return {
    type: 'THING_GROUP_HIERARCHY',
    topic: `$aws/events/thingGroupHierarchy/thingGroup/${h.parentName}/childThingGroup/${h.childName}/${lower(op)}`,
    payload: { eventType: 'THING_GROUP_HIERARCHY_EVENT', eventId, timestamp: now, operation: op, accountId: h.accountId, thingGroupId: h.parentId, thingGroupName: h.parentName, childGroupId: h.childId, childGroupName: h.childName },
  };
}

export function thingTypeEvent(
  op: RegistryOperation,
  t: { accountId: string; typeId: string; typeName: string; deprecated: boolean; deprecatedAt: number | null; searchableAttributes: string[]; description: string | null },
  eventId: string,
  now: number,
): RegistryEvent {
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
