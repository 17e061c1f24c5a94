import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, versionConflict } from '../errors.js';
import { thingGroupArn } from '../domain/arn.js';
import { forUpdate, rowLimit, type Db } from '../store/store.js';
import { reindexGroup } from '../store/fleet-index.js';
import { groupWithAncestors, groupWithDescendants } from '../store/groups.js';
import { addMember, groupMembersRemoved, MAX_GROUPS_PER_THING, removeMember } from './membership.js';
import { groupRowEvent } from './registry-events.js';
import type { Input, OperationContext, Output } from './types.js';
import { decodeToken, DEFAULT_PAGE, page, parseJson, sameAttributes } from './util.js';
import { requireThing } from './things.js';
import { applyAttributes } from './util.js';
import { putTags } from './tags.js';
import { refreshThing, refuseDynamic, staticGroupDeleted } from './dynamic-groups.js';


async function requireGroup(db: Db, name: string, lock = false) {
  const q = db.selectFrom('thing_groups').selectAll().where('group_name', '=', name);
  const g = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
  if (!g) throw notFound(`Thing group ${name} does not exist`);
  return g;
}

function properties(description: string | null, attributes: string) {
  const attrs = parseJson<Record<string, string>>(attributes) ?? {};
  // AWS leaves out an empty attributePayload.
  return { thingGroupDescription: description ?? undefined, attributePayload: Object.keys(attrs).length ? { attributes: attrs } : undefined };
}

export async function CreateThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const name: string = input.thingGroupName;
  const props = input.thingGroupProperties ?? {};
  const attributeMap = applyAttributes({}, props.attributePayload);
  const attributes = JSON.stringify(attributeMap);
  return ctx.store.run(async (tx) => {
    const db = tx.db;
    const existing = await db.selectFrom('thing_groups').selectAll().where('group_name', '=', name).executeTakeFirst();
    const arn = thingGroupArn(ctx, name);
    if (existing) {
      const same =
        existing.parent_group_name === (input.parentGroupName ?? null) &&
        existing.description === (props.thingGroupDescription ?? null) &&
        sameAttributes(existing.attributes, attributeMap);
      if (!same) throw alreadyExists(`Thing Group ${name} already exists in current account with different properties`, existing.group_id, arn);
      return { thingGroupName: name, thingGroupArn: arn, thingGroupId: existing.group_id };
    }
    if (input.parentGroupName !== undefined) {
      const parent = await db.selectFrom('thing_groups').select('group_name').where('group_name', '=', input.parentGroupName).executeTakeFirst();
      if (!parent) throw invalidRequest(`Parent thing group ${input.parentGroupName} does not exist`);
      // Dynamic groups have no children.
      await refuseDynamic(ctx, db, [input.parentGroupName]);
    }
    const id = randomUUID();
    await db
      .insertInto('thing_groups')
      .values({
        group_name: name,
        group_id: id,
        parent_group_name: input.parentGroupName ?? null,
        description: props.thingGroupDescription ?? null,
        attributes,
        version: 1,
        created_at: ctx.clock.now(),
      })
      .execute();
    await reindexGroup(db, name);
    if (input.tags) await putTags(db, arn, input.tags);
    await groupRowEvent(tx, ctx, name, 'CREATED', ctx.clock.now());
    return { thingGroupName: name, thingGroupArn: arn, thingGroupId: id };
  });
}

export async function DescribeThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const db = ctx.store.db;
  const g = await requireGroup(db, input.thingGroupName);
  const ancestors = g.parent_group_name ? await groupWithAncestors(db, g.parent_group_name) : [];
  return {
    thingGroupName: g.group_name,
    thingGroupId: g.group_id,
    thingGroupArn: thingGroupArn(ctx, g.group_name),
    version: g.version,
    thingGroupProperties: properties(g.description, g.attributes),
    thingGroupMetadata: {
      parentGroupName: g.parent_group_name ?? undefined,
      rootToParentThingGroups: ancestors.length
        ? ancestors.reverse().map((n) => ({ groupName: n, groupArn: thingGroupArn(ctx, n) }))
        : undefined,
      creationDate: new Date(g.created_at),
    },
    ...(g.dynamic === 1 ? { indexName: g.index_name, queryString: g.query_string, queryVersion: g.query_version, status: g.dyn_status } : {}),
  };
}

export async function ListThingGroups(ctx: OperationContext, input: Input): Promise<Output> {
  const db = ctx.store.db;
  const limit: number = input.maxResults ?? DEFAULT_PAGE;
  const after = decodeToken(input.nextToken, ['string']);
  let q = db.selectFrom('thing_groups').select('group_name');
  // As AWS: recursive defaults to true; recursive=false lists direct children, or top-level groups without a parent.
  const recursive = input.recursive !== false;
  if (input.parentGroup !== undefined) {
    await requireGroup(db, input.parentGroup);
    if (recursive) {
      const below = (await groupWithDescendants(db, input.parentGroup)).filter((n) => n !== input.parentGroup);
      if (below.length === 0) return { thingGroups: [] };
      q = q.where('group_name', 'in', below);
    } else q = q.where('parent_group_name', '=', input.parentGroup);
  } else if (!recursive) q = q.where('parent_group_name', 'is', null);
  if (input.namePrefixFilter) q = q.where('group_name', 'like', `${input.namePrefixFilter.replace(/[%_\\]/g, '\\$&')}%`);
  if (after) q = q.where('group_name', '>', after[0]);
  const rows = await q.orderBy('group_name').limit(rowLimit(limit + 1)).execute();
  const { items, nextToken } = page(rows, limit, (g) => [g.group_name]);
  return { thingGroups: items.map((g) => ({ groupName: g.group_name, groupArn: thingGroupArn(ctx, g.group_name) })), nextToken };
}

export async function UpdateThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  return ctx.store.run(async (tx) => {
    const db = tx.db;
    const g = await requireGroup(db, input.thingGroupName, true);
    if (g.dynamic === 1) await refuseDynamic(ctx, db, [g.group_name]);
    if (input.expectedVersion !== undefined && input.expectedVersion !== g.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${g.version}`);
    const props = input.thingGroupProperties ?? {};
    const attributes = applyAttributes(parseJson<Record<string, string>>(g.attributes) ?? {}, props.attributePayload);
    const version = g.version + 1;
    await db
      .updateTable('thing_groups')
      .set({ description: props.thingGroupDescription ?? g.description, attributes: JSON.stringify(attributes), version })
      .where('group_name', '=', g.group_name)
      .execute();
    await reindexGroup(db, g.group_name);
    await groupRowEvent(tx, ctx, g.group_name, 'UPDATED', ctx.clock.now());
    return { version };
  });
}

export async function DeleteThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  await ctx.store.run(async (tx) => {
    const db = tx.db;
    const g = await forUpdate(db, db.selectFrom('thing_groups').selectAll().where('group_name', '=', input.thingGroupName)).executeTakeFirst();
    if (!g) return;
    if (g.dynamic === 1) await refuseDynamic(ctx, db, [g.group_name]);
    if (input.expectedVersion !== undefined && input.expectedVersion !== g.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${g.version}`);
    const child = await db.selectFrom('thing_groups').select('group_name').where('parent_group_name', '=', g.group_name).limit(rowLimit(1)).executeTakeFirst();
    if (child) throw invalidRequest(`Thing group ${g.group_name} has child groups and cannot be deleted`);
    // Dynamic groups whose queries named it are rebuilt in the background.
    if (await staticGroupDeleted(db, g.group_name, ctx.clock.now())) tx.wake();
    await groupMembersRemoved(tx, g.group_name, ctx.clock.now());
    await groupRowEvent(tx, ctx, g.group_name, 'DELETED', ctx.clock.now());
    await db.deleteFrom('group_members').where('group_name', '=', g.group_name).execute();
    await db.deleteFrom('tags').where('resource_arn', '=', thingGroupArn(ctx, g.group_name)).execute();
    await db.deleteFrom('thing_groups').where('group_name', '=', g.group_name).execute();
    await reindexGroup(db, g.group_name);
  });
  return {};
}

const nameFromArn = (arn: string | undefined) => (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined);

function membershipNames(input: Input): { group: string; thing: string } {
  const group = input.thingGroupName ?? nameFromArn(input.thingGroupArn);
  const thing = input.thingName ?? nameFromArn(input.thingArn);
  if (!group) throw invalidRequest('thingGroupName or thingGroupArn must be specified');
  if (!thing) throw invalidRequest('thingName or thingArn must be specified');
  return { group, thing };
}

export async function AddThingToThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const { group, thing } = membershipNames(input);
  const now = ctx.clock.now();
  await ctx.store.run(async (tx) => {
    await requireGroup(tx.db, group);
    await refuseDynamic(ctx, tx.db, [group]);
    // The thing's row lock serialises its membership changes (the limit of groups, the executions).
    await requireThing(tx.db, thing, true);
    await addMember(tx, group, thing, now, input.overrideDynamicGroups === true);
    // thingGroupNames changed: the index and the dynamic groups follow.
    await refreshThing(tx, thing, now);
  });
  return {};
}

export async function RemoveThingFromThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const { group, thing } = membershipNames(input);
  const now = ctx.clock.now();
  await ctx.store.run(async (tx) => {
    await requireGroup(tx.db, group);
    await refuseDynamic(ctx, tx.db, [group]);
    await requireThing(tx.db, thing, true);
    await removeMember(tx, group, thing, now);
    await refreshThing(tx, thing, now);
  });
  return {};
}

/**
 * Removes and adds in one transaction: removals first, so that a call that swaps groups stays
 * within the limit of 10 groups per thing; any unknown group fails the whole call (404).
 */
export async function UpdateThingGroupsForThing(ctx: OperationContext, input: Input): Promise<Output> {
  if (input.thingName === undefined) throw invalidRequest('thingName must be specified');
  const thing: string = input.thingName;
  const toAdd: string[] = [...new Set<string>(input.thingGroupsToAdd ?? [])];
  const toRemove: string[] = [...new Set<string>(input.thingGroupsToRemove ?? [])];
  for (const list of [toAdd, toRemove])
    if (list.length > MAX_GROUPS_PER_THING) throw invalidRequest(`A thing can be in at most ${MAX_GROUPS_PER_THING} thing groups; the request lists ${list.length}`);
  const both = toAdd.find((g) => toRemove.includes(g));
  if (both !== undefined) throw invalidRequest(`Thing group ${both} is both in thingGroupsToAdd and in thingGroupsToRemove`);
  const now = ctx.clock.now();
  await ctx.store.run(async (tx) => {
    // The thing's row lock serialises concurrent membership changes (the limit of 10) on PostgreSQL.
    await requireThing(tx.db, thing, true);
    for (const g of [...toRemove, ...toAdd]) await requireGroup(tx.db, g);
    await refuseDynamic(ctx, tx.db, [...toRemove, ...toAdd]);
    for (const g of toRemove) await removeMember(tx, g, thing, now);
    for (const g of toAdd) await addMember(tx, g, thing, now, input.overrideDynamicGroups === true);
    await refreshThing(tx, thing, now);
  });
  return {};
}

export async function ListThingsInThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const db = ctx.store.db;
  await requireGroup(db, input.thingGroupName);
  const limit: number = input.maxResults ?? DEFAULT_PAGE;
  const after = decodeToken(input.nextToken, ['string']);
  const groups = input.recursive ? await groupWithDescendants(db, input.thingGroupName) : [input.thingGroupName as string];
  let q = db.selectFrom('group_members').select('thing_name').distinct().where('group_name', 'in', groups);
  if (after) q = q.where('thing_name', '>', after[0]);
  const rows = await q.orderBy('thing_name').limit(rowLimit(limit + 1)).execute();
  const { items, nextToken } = page(rows, limit, (r) => [r.thing_name]);
  return { things: items.map((r) => r.thing_name), nextToken };
}

export async function ListThingGroupsForThing(ctx: OperationContext, input: Input): Promise<Output> {
  const db = ctx.store.db;
  await requireThing(db, input.thingName);
  const limit: number = input.maxResults ?? DEFAULT_PAGE;
  const after = decodeToken(input.nextToken, ['string']);
  let q = db.selectFrom('group_members').select('group_name').where('thing_name', '=', input.thingName);
  if (after) q = q.where('group_name', '>', after[0]);
  const rows = await q.orderBy('group_name').limit(rowLimit(limit + 1)).execute();
  const { items, nextToken } = page(rows, limit, (r) => [r.group_name]);
  return { thingGroups: items.map((r) => ({ groupName: r.group_name, groupArn: thingGroupArn(ctx, r.group_name) })), nextToken };
}
