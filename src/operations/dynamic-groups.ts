import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql } from 'kysely';
import { alreadyExists, invalidRequest, limitExceeded, notFound, versionConflict } from '../errors.js';
import { thingGroupArn } from '../domain/arn.js';
import { forUpdate, isPostgres, rowLimit, type Db, type Store } from '../store/store.js';
import { reindexGroup, reindexThing } from '../store/fleet-index.js';
import type { Input, OperationContext, Output } from './types.js';
import { parseJson, sameAttributes } from './util.js';
import { applyAttributes } from './util.js';
import { putTags } from './tags.js';
import { addMember, continuousJobsTargeting, groupMembersRemoved, membersChanged, removeMember, MAX_GROUPS_PER_THING } from './membership.js';
import type { Tx } from '../store/tx.js';
import { setTimer } from '../store/timers.js';
import { nextMemberSeqs } from '../store/member-seq.js';
import { queryFields } from '../domain/fleet-query.js';
import { withThingRows } from '../store/fleet-sql.js';
import { rebuildAll, parse, compileQuery, compileQuerySet, connectivityOn, readIndexingConfig, requireThingIndex, THINGS_INDEX, QUERY_VERSION, type IndexingConfig } from './fleet-index.js';

/**
 * Dynamic thing groups: their members are rows of group_members like a static group's, so jobs,
 * SNAPSHOT member numbering and ListThingsInThingGroup treat them alike. Membership follows the
 * fleet in the transaction of the write that changed a thing (refreshThing), and a background
 * build (buildStep) fills a new group or re-evaluates an updated query, resumably.
 */

/** The 2019 limits table: dynamic groups per account. */
const MAX_DYNAMIC_GROUPS = 100;

interface DynamicGroup {
  group_name: string;
  query_string: string | null;
  created_at: number;
}

const dynamicMessage = (ctx: Pick<OperationContext, 'region' | 'accountId'>, name: string) =>
  `This operation does not support dynamic thing groups. Thing group arn: ${thingGroupArn(ctx, name)}`;

/** InvalidRequestException when a static-group API is used on a dynamic group (AWS's own message). */
export async function refuseDynamic(ctx: Pick<OperationContext, 'region' | 'accountId'>, db: Db, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const dyn = await db.selectFrom('thing_groups').select('group_name').where('group_name', 'in', names).where('dynamic', '=', 1).orderBy('group_name').executeTakeFirst();
  if (dyn) throw invalidRequest(dynamicMessage(ctx, dyn.group_name));
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

/**
 * Joins a thing to a dynamic group under AWS's rule for the limit of groups per thing: below it,
 * the thing joins; at it, it joins only by leaving a dynamic group created after this one (the most
 * recently created); otherwise it stays out (the group is still created or updated).
 */
async function joinDynamic(tx: Tx, group: DynamicGroup, thing: string, now: number): Promise<boolean> {
  const db = tx.db;
  const count = await db.selectFrom('group_members').select((eb) => eb.fn.countAll<number>().as('n')).where('thing_name', '=', thing).executeTakeFirstOrThrow();
  let changed = false;
  if (Number(count.n) >= MAX_GROUPS_PER_THING) {
    const youngest = await db
      .selectFrom('group_members as m')
      .innerJoin('thing_groups as g', 'g.group_name', 'm.group_name')
      .select(['g.group_name', 'g.created_at'])
      .where('m.thing_name', '=', thing)
      .where('g.dynamic', '=', 1)
      .orderBy('g.created_at', 'desc')
      .orderBy('g.group_name', 'desc')
      .limit(rowLimit(1))
      .executeTakeFirst();
    if (!youngest || youngest.created_at <= group.created_at) return false;
    changed = await removeMember(tx, youngest.group_name, thing, now);
  }
  return (await addMember(tx, group.group_name, thing, now)) || changed;
}

async function dynamicGroups(db: Db): Promise<DynamicGroup[]> {
  return db.selectFrom('thing_groups').select(['group_name', 'query_string', 'created_at']).where('dynamic', '=', 1).orderBy('created_at').orderBy('group_name').execute();
}

const COLUMNS_PER_STATEMENT = 100;

/** A compiled statement evaluating some groups' queries on one thing, its name bound per call. */
interface Evaluation {
  bind(thing: string): CompiledQuery<Record<string, unknown>>;
}
/** Compiled evaluations by dialect, connectivity indexing and the groups' queries (kysely's compile cost per write at 100 groups). */
const evaluations = new Map<string, Evaluation>();
const EVALUATIONS_MAX = 100;
/** Stands for the thing's name in the compiled statement; random, so no query value can equal it. */
const THING = `\u0000thing-${randomUUID()}`;

function evaluation(db: Db, groups: DynamicGroup[], config: IndexingConfig): Evaluation {
  const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
  const key = JSON.stringify([dialect, connectivityOn(config), groups.map((g) => g.query_string ?? '*')]);
  const known = evaluations.get(key);
  if (known) return known;
  const cols = groups.map((g, j) => sql`case when ${compileQuery(g.query_string ?? '*', 'one', dialect, config)} then 1 else 0 end as ${sql.ref(`m${j}`)}`);
  const compiled = sql<Record<string, unknown>>`${withThingRows(THING)}select ${sql.join(cols)} from things t where t.thing_name = ${THING}`.compile(db);
  const e: Evaluation = {
    bind: (thing) => CompiledQuery.raw(compiled.sql, compiled.parameters.map((p) => (p === THING ? thing : p))) as CompiledQuery<Record<string, unknown>>,
  };
  if (evaluations.size >= EVALUATIONS_MAX) evaluations.clear();
  evaluations.set(key, e);
  return e;
}

/**
 * After a write to a thing (same transaction, thing row locked): its index rows, then every dynamic
 * group's query evaluated on it in one statement per 100 groups, and the differences applied
 * through the static groups' join and leave (CONTINUOUS jobs queue or REMOVE executions there).
 * True when the thing's pending executions changed.
 */
export async function refreshThing(tx: Tx, thing: string, now: number): Promise<boolean> {
  const db = tx.db;
  const { created, changed: fields } = await reindexThing(db, thing);
  if (!created && fields.size === 0) return false;
  // Only the groups whose query reads a changed field can change; all of them for a new thing, and
  // when its static groups change (a place freed under the limit of groups per thing).
  const all = created || fields.has('thingGroupNames');
  const groups = (await dynamicGroups(db)).filter((g) => {
    if (all) return true;
    const read = queryFields(parse(g.query_string ?? '*'));
    return read === 'all' || [...read].some((f) => fields.has(f));
  });
  if (groups.length === 0) return false;
  const config = await readIndexingConfig(db);
  const matching = new Set<string>();
  for (let i = 0; i < groups.length; i += COLUMNS_PER_STATEMENT) {
    const chunk = groups.slice(i, i + COLUMNS_PER_STATEMENT);
    const { rows } = await db.executeQuery<Record<string, unknown>>(evaluation(db, chunk, config).bind(thing));
    if (!rows[0]) return false;
    chunk.forEach((g, j) => truthy(rows[0]![`m${j}`]) && matching.add(g.group_name));
  }
  const current = await db
    .selectFrom('group_members as m')
    .innerJoin('thing_groups as g', 'g.group_name', 'm.group_name')
    .select('m.group_name')
    .where('m.thing_name', '=', thing)
    .where('g.dynamic', '=', 1)
    .where('g.group_name', 'in', groups.map((g) => g.group_name))
    .execute();
  const now_in = new Set(current.map((c) => c.group_name));
  let changed = false;
  // Leaves first: they free places under the limit of groups per thing; then joins, oldest group first.
  for (const g of groups) if (now_in.has(g.group_name) && !matching.has(g.group_name)) changed = (await removeMember(tx, g.group_name, thing, now)) || changed;
  for (const g of groups) if (!now_in.has(g.group_name) && matching.has(g.group_name)) changed = (await joinDynamic(tx, g, thing, now)) || changed;
  return changed;
}

/**
 * One step of a group's (re)build: the next `limit` things by name after the group's cursor, row
 * locked (a concurrent write to one of them waits, so neither decides on a stale thing), matched
 * by the query in SQL, joined or left as they differ; the cursor moves in the same transaction, so
 * a crash resumes where the last step committed. ACTIVE once past the last thing.
 */
export async function buildStep(tx: Tx, groupName: string, limit: number, now: () => number): Promise<{ done: boolean; n: number }> {
  {
    const db = tx.db;
    const g = await forUpdate(db, db.selectFrom('thing_groups').selectAll().where('group_name', '=', groupName)).executeTakeFirst();
    if (!g || g.dynamic !== 1 || (g.dyn_status !== 'BUILDING' && g.dyn_status !== 'REBUILDING')) return { done: true, n: 0 };
    const cursor = g.build_cursor ?? '';
    const range = await forUpdate(db, db.selectFrom('things').select('thing_name').where('thing_name', '>', cursor).orderBy('thing_name').limit(rowLimit(limit))).execute();
    if (range.length === 0) {
      await db.updateTable('thing_groups').set({ dyn_status: 'ACTIVE', build_cursor: null }).where('group_name', '=', groupName).execute();
      return { done: true, n: 0 };
    }
    const last = range[range.length - 1]!.thing_name;
    const config = await readIndexingConfig(db);
    // The query over this slice of names only: each leaf reads its index within the slice.
    const set = compileQuerySet(g.query_string ?? '*', tx.dialect, config, { after: cursor, upTo: last });
    const { rows: matching } = await sql<{ name: string }>`${set}`.execute(db);
    const current = await db.selectFrom('group_members').select('thing_name').where('group_name', '=', groupName).where('thing_name', '>', cursor).where('thing_name', '<=', last).execute();
    const isMember = new Set(current.map((r) => r.thing_name));
    const matches = new Set(matching.map((r) => r.name));
    const t = now();
    const leaving = [...isMember].filter((n) => !matches.has(n));
    const joining = [...matches].filter((n) => !isMember.has(n));
    if ((await continuousJobsTargeting(db, [groupName])).length === 0) {
      // No CONTINUOUS job follows the group: joins and leaves touch group_members alone, so they go in bulk.
      await bulkMembership(tx, g, leaving, joining, t);
    } else {
      for (const name of leaving) await removeMember(tx, groupName, name, t);
      for (const name of joining) await joinDynamic(tx, g, name, t);
    }
    await db.updateTable('thing_groups').set({ build_cursor: last }).where('group_name', '=', groupName).execute();
    return { done: false, n: range.length };
  }
}

/** The engine's timer kind for a dynamic group's (re)build (ref = the group's name). */
export const GROUP_BUILD = 'work:build';

/** A group's build is owed: its timer is due now, in the caller's transaction (the engine takes it). */
export async function armBuild(tx: Tx, groupName: string, now: number): Promise<void> {
  await setTimer(tx.db, GROUP_BUILD, groupName, null, now);
  tx.wake();
}

/**
 * What removeMember and addMember do when no CONTINUOUS job targets the group, for many things at
 * once: leavers deleted; joiners below the limit of groups per thing inserted with their member
 * numbers (SNAPSHOT jobs created before do not see them); joiners at the limit go one by one
 * through joinDynamic (the older group may take a younger one's place).
 */
async function bulkMembership(tx: Tx, group: DynamicGroup, leaving: string[], joining: string[], now: number): Promise<void> {
  const db = tx.db;
  const CHUNK = 1000;
  // Their THING_GROUP_MEMBERSHIP events: one outbox row per step and direction, expanded when published.
  const events = tx.wants('THING_GROUP_MEMBERSHIP');
  const idsOf = async (names: string[]) =>
    events && names.length ? new Map((await db.selectFrom('things').select(['thing_name', 'thing_id']).where('thing_name', 'in', names).execute()).map((t) => [t.thing_name, t.thing_id])) : new Map<string, string>();
  const left: { thing_name: string; thing_id: string; seq: number }[] = [];
  const joined: { thing_name: string; thing_id: string; seq: number }[] = [];
  for (let i = 0; i < leaving.length; i += CHUNK) {
    const names = leaving.slice(i, i + CHUNK);
    const ids = await idsOf(names);
    const gone = await db.deleteFrom('group_members').where('group_name', '=', group.group_name).where('thing_name', 'in', names).returning(['thing_name', 'added_seq']).execute();
    if (events) for (const r of gone) left.push({ thing_name: r.thing_name, thing_id: ids.get(r.thing_name) ?? '', seq: Number(r.added_seq) });
  }
  for (let i = 0; i < joining.length; i += CHUNK) {
    const names = joining.slice(i, i + CHUNK);
    const counts = await db.selectFrom('group_members').select((eb) => ['thing_name', eb.fn.countAll<number>().as('n')]).where('thing_name', 'in', names).groupBy('thing_name').execute();
    const full = new Set(counts.filter((c) => Number(c.n) >= MAX_GROUPS_PER_THING).map((c) => c.thing_name));
    const free = names.filter((n) => !full.has(n));
    const seqs = await nextMemberSeqs(db, free.length);
    if (free.length) await db.insertInto('group_members').values(free.map((thing_name, k) => ({ group_name: group.group_name, thing_name, added_seq: seqs[k]! }))).execute();
    if (events) {
      const ids = await idsOf(free);
      free.forEach((thing_name, k) => joined.push({ thing_name, thing_id: ids.get(thing_name) ?? '', seq: seqs[k]! }));
    }
    for (const name of full) await joinDynamic(tx, group, name, now);
  }
  await membersChanged(tx, 'REMOVED', group.group_name, left, now);
  await membersChanged(tx, 'ADDED', group.group_name, joined, now);
}


/**
 * A static group with members is being deleted: its name leaves its members' thingGroupNames in
 * one statement, and the dynamic groups are rebuilt in the background (per-member evaluation in
 * this request would grow with the group).
 */
export async function staticGroupDeleted(db: Db, group: string, now: number): Promise<boolean> {
  const member = await db.selectFrom('group_members').select('thing_name').where('group_name', '=', group).limit(rowLimit(1)).executeTakeFirst();
  if (!member) return false;
  await db
    .deleteFrom('thing_fields')
    .where('field', '=', 'thingGroupNames')
    .where('value_lc', '=', group.toLowerCase())
    .where('thing_name', 'in', db.selectFrom('group_members').select('thing_name').where('group_name', '=', group))
    .execute();
  await rebuildAll(db, now);
  return true;
}

/** Groups whose build is owed (BUILDING or REBUILDING), for the builder. */
function checkIndexName(indexName: string | undefined) {
  if (indexName !== undefined && indexName !== THINGS_INDEX) throw invalidRequest(`Dynamic thing groups use the index ${THINGS_INDEX}, not ${indexName}`);
}

export async function CreateDynamicThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  const name: string = input.thingGroupName;
  const props = input.thingGroupProperties ?? {};
  const attributeMap = applyAttributes({}, props.attributePayload);
  const queryVersion: string = input.queryVersion ?? QUERY_VERSION;
  checkIndexName(input.indexName);
  const result = await ctx.store.run(async (tx) => {
    const db = tx.db;
    const config: IndexingConfig = await requireThingIndex(ctx, db, THINGS_INDEX, queryVersion);
    compileQuery(input.queryString, 'set', ctx.store.dialect, config);
    const arn = thingGroupArn(ctx, name);
    const out = { thingGroupName: name, thingGroupArn: arn, indexName: THINGS_INDEX, queryString: input.queryString as string, queryVersion };
    const existing = await db.selectFrom('thing_groups').selectAll().where('group_name', '=', name).executeTakeFirst();
    if (existing) {
      const same = existing.dynamic === 1 && existing.query_string === input.queryString && existing.description === (props.thingGroupDescription ?? null) && sameAttributes(existing.attributes, attributeMap);
      if (!same) throw alreadyExists(`Thing Group ${name} already exists in current account with different properties`, existing.group_id, arn);
      return { ...out, thingGroupId: existing.group_id };
    }
    const n = await db.selectFrom('thing_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('dynamic', '=', 1).executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_DYNAMIC_GROUPS) throw limitExceeded(`An account can have at most ${MAX_DYNAMIC_GROUPS} dynamic thing groups`);
    const id = randomUUID();
    await db
      .insertInto('thing_groups')
      .values({
        group_name: name,
        group_id: id,
        parent_group_name: null,
        description: props.thingGroupDescription ?? null,
        attributes: JSON.stringify(attributeMap),
        version: 1,
        created_at: ctx.clock.now(),
        dynamic: 1,
        query_string: input.queryString,
        query_version: queryVersion,
        index_name: THINGS_INDEX,
        dyn_status: 'BUILDING',
        build_cursor: '',
      })
      .execute();
    await reindexGroup(db, name);
    if (input.tags) await putTags(db, arn, input.tags);
    await armBuild(tx, name, ctx.clock.now());
    return { ...out, thingGroupId: id };
  });
  return result;
}

export async function UpdateDynamicThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  checkIndexName(input.indexName);
  const out = await ctx.store.run(async (tx) => {
    const db = tx.db;
    const g = await forUpdate(db, db.selectFrom('thing_groups').selectAll().where('group_name', '=', input.thingGroupName)).executeTakeFirst();
    if (!g) throw notFound(`Thing group ${input.thingGroupName} does not exist`);
    if (g.dynamic !== 1) throw invalidRequest(`Thing group ${g.group_name} is not a dynamic thing group`);
    if (input.expectedVersion !== undefined && input.expectedVersion !== g.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${g.version}`);
    const config = await requireThingIndex(ctx, db, THINGS_INDEX, input.queryVersion);
    const props = input.thingGroupProperties ?? {};
    const attributes = applyAttributes(parseJson<Record<string, string>>(g.attributes) ?? {}, props.attributePayload);
    const requery = input.queryString !== undefined && input.queryString !== g.query_string;
    if (requery) compileQuery(input.queryString, 'set', ctx.store.dialect, config);
    const version = g.version + 1;
    await db
      .updateTable('thing_groups')
      .set({
        description: props.thingGroupDescription ?? g.description,
        attributes: JSON.stringify(attributes),
        version,
        ...(requery ? { query_string: input.queryString, dyn_status: 'REBUILDING', build_cursor: '' } : {}),
      })
      .where('group_name', '=', g.group_name)
      .execute();
    await reindexGroup(db, g.group_name);
    if (requery) await armBuild(tx, g.group_name, ctx.clock.now());
    return { version };
  });
  return out;
}

/** A missing group is no error (the model lists no ResourceNotFoundException). Members leave as from a deleted static group. */
export async function DeleteDynamicThingGroup(ctx: OperationContext, input: Input): Promise<Output> {
  await ctx.store.run(async (tx) => {
    const db = tx.db;
    const g = await forUpdate(db, db.selectFrom('thing_groups').selectAll().where('group_name', '=', input.thingGroupName)).executeTakeFirst();
    if (!g) return;
    if (g.dynamic !== 1) throw invalidRequest(`Thing group ${g.group_name} is not a dynamic thing group`);
    if (input.expectedVersion !== undefined && input.expectedVersion !== g.version)
      throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${g.version}`);
    await groupMembersRemoved(tx, g.group_name, ctx.clock.now());
    await db.deleteFrom('group_members').where('group_name', '=', g.group_name).execute();
    await db.deleteFrom('tags').where('resource_arn', '=', thingGroupArn(ctx, g.group_name)).execute();
    await db.deleteFrom('thing_groups').where('group_name', '=', g.group_name).execute();
    await reindexGroup(db, g.group_name);
  });
  return {};
}
