import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound, versionConflict } from '../errors.js';
import { thingArn } from '../domain/arn.js';
import { forUpdate, jsonText, rowLimit, type Db } from '../store/store.js';
import { move } from '../store/lifecycle/executions.js';
import { registryEvent, thingRowEvent } from './registry-events.js';
import { thingTypeAssociationEvent } from '../domain/registry-events.js';
import { requireUsableType } from './thing-types.js';
import { refreshThing } from './dynamic-groups.js';
import { thingLeavesGroups } from './membership.js';
import type { Input, OperationContext, Output } from './types.js';
import { applyAttributes } from './util.js';
import { decodeToken, DEFAULT_PAGE, page, parseJson, sameAttributes } from './util.js';

type Attributes = Record<string, string>;


export async function CreateThing(ctx: OperationContext, input: Input): Promise<Output> {
  const name: string = input.thingName;
  const attributes = applyAttributes({}, input.attributePayload);
  const result = await ctx.store.run(async (tx) => {
    const db = tx.db;
    const existing = await db.selectFrom('things').selectAll().where('thing_name', '=', name).executeTakeFirst();
    if (existing) {
      const same = existing.thing_type_name === (input.thingTypeName ?? null) && sameAttributes(existing.attributes, attributes);
      if (!same) throw alreadyExists(`Thing ${name} already exists with a different configuration`, existing.thing_id, thingArn(ctx, name));
      return { out: { thingName: name, thingArn: thingArn(ctx, name), thingId: existing.thing_id }, changed: false };
    }
    if (input.thingTypeName !== undefined) await requireUsableType(db, input.thingTypeName);
    const thingId = randomUUID();
    await db
      .insertInto('things')
      .values({ thing_name: name, thing_id: thingId, thing_type_name: input.thingTypeName ?? null, attributes: JSON.stringify(attributes), version: 1, created_at: ctx.clock.now() })
      .execute();
    const now = ctx.clock.now();
    await thingRowEvent(tx, db, ctx.accountId, name, 'CREATED', now);
    if (input.thingTypeName !== undefined) await registryEvent(tx, (id) => thingTypeAssociationEvent('ADDED', { thingId, thingName: name, thingTypeName: input.thingTypeName }, id, now));
    const changed = await refreshThing(tx, name, now);
    return { out: { thingName: name, thingArn: thingArn(ctx, name), thingId }, changed };
  });
  return result.out;
}

/** The thing, or ResourceNotFoundException; `lock` keeps its row locked until the transaction ends. */
export async function requireThing(db: Db, name: string, lock = false) {
  const q = db.selectFrom('things').selectAll().where('thing_name', '=', name);
  const t = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
  if (!t) throw notFound(`Thing ${name} does not exist`);
  return t;
}

export async function DescribeThing(ctx: OperationContext, input: Input): Promise<Output> {
  const t = await requireThing(ctx.store.db, input.thingName);
  return {
    defaultClientId: t.thing_name,
    thingName: t.thing_name,
    thingId: t.thing_id,
    thingArn: thingArn(ctx, t.thing_name),
    thingTypeName: t.thing_type_name ?? undefined,
    attributes: parseJson<Attributes>(t.attributes),
    version: t.version,
  };
}

export async function ListThings(ctx: OperationContext, input: Input): Promise<Output> {
  const limit: number = input.maxResults ?? DEFAULT_PAGE;
  const after = decodeToken(input.nextToken, ['string']);
  let q = ctx.store.db.selectFrom('things').selectAll();
  if (input.thingTypeName) q = q.where('thing_type_name', '=', input.thingTypeName);
  if (input.attributeName) {
    const value = jsonText(ctx.store.dialect, 'attributes', input.attributeName);
    if (input.attributeValue === undefined) q = q.where(value, 'is not', null);
    else if (input.usePrefixAttributeValue) q = q.where(value, 'like', `${input.attributeValue.replace(/[%_\\]/g, '\\$&')}%`);
    else q = q.where(value, '=', input.attributeValue);
  }
  if (after) q = q.where('thing_name', '>', after[0]);
  const rows = await q.orderBy('thing_name').limit(rowLimit(limit + 1)).execute();
  const { items, nextToken } = page(rows, limit, (t) => [t.thing_name]);
  return {
    things: items.map((t) => ({
      thingName: t.thing_name,
      thingTypeName: t.thing_type_name ?? undefined,
      thingArn: thingArn(ctx, t.thing_name),
      attributes: parseJson<Attributes>(t.attributes),
      version: t.version,
    })),
    nextToken,
  };
}

export async function UpdateThing(ctx: OperationContext, input: Input): Promise<Output> {
  const changed = await ctx.store.run(async (tx) => {
    const db = tx.db;
    const t = await requireThing(db, input.thingName, true);
    if (input.expectedVersion !== undefined && input.expectedVersion !== t.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${t.version}`);
    const attributes = applyAttributes(parseJson<Attributes>(t.attributes) ?? {}, input.attributePayload);
    if (input.thingTypeName !== undefined && !input.removeThingType && input.thingTypeName !== t.thing_type_name) await requireUsableType(db, input.thingTypeName);
    const type = input.removeThingType ? null : (input.thingTypeName ?? t.thing_type_name);
    await db
      .updateTable('things')
      .set({ attributes: JSON.stringify(attributes), thing_type_name: type, version: t.version + 1 })
      .where('thing_name', '=', t.thing_name)
      .execute();
    const now = ctx.clock.now();
    await thingRowEvent(tx, db, ctx.accountId, t.thing_name, 'UPDATED', now);
    if (type !== t.thing_type_name) {
      const ids = { thingId: t.thing_id, thingName: t.thing_name };
      if (t.thing_type_name) await registryEvent(tx, (id) => thingTypeAssociationEvent('REMOVED', { ...ids, thingTypeName: t.thing_type_name! }, id, now));
      if (type) await registryEvent(tx, (id) => thingTypeAssociationEvent('ADDED', { ...ids, thingTypeName: type }, id, now));
    }
    // The index and the dynamic groups follow in this transaction (a CONTINUOUS job's execution queued or REMOVED).
    return refreshThing(tx, t.thing_name, now);
  });
  return {};
}

export async function DeleteThing(ctx: OperationContext, input: Input): Promise<Output> {
  const name: string = input.thingName;
  const changed = await ctx.store.run(async (tx) => {
    const db = tx.db;
    // Locked first: membership changes of this thing wait (thing, then jobs, then executions).
    const t = await forUpdate(db, db.selectFrom('things').selectAll().where('thing_name', '=', name)).executeTakeFirst();
    if (!t) return false;
    if (input.expectedVersion !== undefined && input.expectedVersion !== t.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${t.version}`);
    await refuseAttachedThing(db, name);
    await thingRowEvent(tx, db, ctx.accountId, name, 'DELETED', ctx.clock.now());
    await thingLeavesGroups(tx, name, ctx.clock.now());
    await db.deleteFrom('group_members').where('thing_name', '=', name).execute();
    await db.deleteFrom('things').where('thing_name', '=', name).execute();
    await db.deleteFrom('thing_fields').where('thing_name', '=', name).execute();
    await db.deleteFrom('thing_connectivity').where('thing_name', '=', name).execute();
    await move(tx, { thing: name }, 'REMOVED', ctx.clock.now());
    return true;
  });
  return {};
}

/** DeleteThing's check: a thing with principals attached stays (moto's text of AWS's error). */
export async function refuseAttachedThing(db: Db, thingName: string): Promise<void> {
  const p = await db.selectFrom('thing_principals').select('principal').where('thing_name', '=', thingName).limit(rowLimit(1)).executeTakeFirst();
  if (p) throw invalidRequest(`Cannot delete. Thing ${thingName} is still attached to one or more principals`);
}
