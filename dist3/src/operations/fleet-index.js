import { sql } from 'kysely';
import { invalidRequest, notFound, ServiceError } from '../errors.js';
import { parseQuery, QuerySyntaxError } from '../domain/fleet-query.js';
import { compile, compileSet } from '../store/fleet-sql.js';
import { rowLimit } from '../store/store.js';
import { decodeToken, page, parseJson } from './util.js';
import { groupWithAncestors } from '../store/groups.js';
const OFF = { thingIndexingConfiguration: { thingIndexingMode: 'OFF', thingConnectivityIndexingMode: 'OFF' }, thingGroupIndexingConfiguration: { thingGroupIndexingMode: 'OFF' } };
export const THINGS_INDEX = 'AWS_Things';
export const GROUPS_INDEX = 'AWS_ThingGroups';
export const QUERY_VERSION = '2017-09-30';
export async function readIndexingConfig(db) {
    const row = await db.selectFrom('fleet_indexing').select('config').where('name', '=', 'config').executeTakeFirst();
    return parseJson(row?.config) ?? OFF;
}
export const thingIndexOn = (c) => c.thingIndexingConfiguration.thingIndexingMode !== 'OFF';
export const connectivityOn = (c) => thingIndexOn(c) && c.thingIndexingConfiguration.thingConnectivityIndexingMode === 'STATUS';
/** Parsed queries by text: every thing write evaluates the dynamic groups' queries. */
const parsed = new Map();
const PARSED_MAX = 1000;
/** The parsed query, or InvalidQueryException (400) naming where it failed. */
export function parse(text) {
    const known = parsed.get(text);
    if (known)
        return known;
    try {
        const q = parseQuery(text);
        if (parsed.size >= PARSED_MAX)
            parsed.clear();
        parsed.set(text, q);
        return q;
    }
    catch (err) {
        if (err instanceof QuerySyntaxError)
            throw new ServiceError('InvalidQueryException', err.message);
        throw err;
    }
}
/** The query as a SQL condition on `t` (src/store/fleet-sql.ts). */
export function compileQuery(text, mode, dialect, config) {
    return compile(parse(text), mode, { dialect, connectivity: connectivityOn(config) });
}
/** The query as a SELECT of the matching names. */
export const compileQuerySet = (text, dialect, config, range) => compileSet(parse(text), { dialect, connectivity: connectivityOn(config), range });
/** The thing index must exist: AWS's own answer when it does not. */
export async function requireThingIndex(ctx, db, indexName, queryVersion) {
    if (queryVersion !== undefined && queryVersion !== QUERY_VERSION)
        throw invalidRequest(`Query version ${queryVersion} is not supported; use ${QUERY_VERSION}`);
    const name = indexName ?? THINGS_INDEX;
    const config = await readIndexingConfig(db);
    if (name !== THINGS_INDEX && name !== GROUPS_INDEX)
        throw notFound(`Index ${name} does not exist`);
    const on = name === THINGS_INDEX ? thingIndexOn(config) : config.thingGroupIndexingConfiguration.thingGroupIndexingMode === 'ON';
    if (!on)
        throw notFound(`Index ${name} does not exist. Please enable index by calling UpdateIndexingConfiguration`);
    return config;
}
const CUSTOM_FIELD = /^(attributes|shadow\.(desired|reported)|shadow\.name\.[$a-zA-Z0-9:_-]+\.(desired|reported)|deviceDefender)\.[a-zA-Z0-9_.-]+$/;
const FIELD_TYPES = new Set(['Number', 'String', 'Boolean']);
function checkCustomFields(fields, shadow) {
    for (const f of fields ?? []) {
        if (!f.name || !CUSTOM_FIELD.test(f.name))
            throw invalidRequest(`Custom field ${f.name ?? ''} is not a valid field name`);
        if (f.type !== undefined && !FIELD_TYPES.has(f.type))
            throw invalidRequest(`Custom field ${f.name} has an invalid type ${f.type}`);
        if (f.name.startsWith('shadow.name.') || f.name.startsWith('deviceDefender.'))
            throw invalidRequest(`Custom field ${f.name} needs an indexing mode iot-jobs does not offer`);
        if (f.name.startsWith('shadow.') && !shadow)
            throw invalidRequest(`Custom field ${f.name} needs thingIndexingMode REGISTRY_AND_SHADOW`);
    }
}
export async function UpdateIndexingConfiguration(ctx, input) {
    const thing = input.thingIndexingConfiguration;
    const group = input.thingGroupIndexingConfiguration;
    if (thing) {
        if (thing.thingConnectivityIndexingMode === 'STATUS' && thing.thingIndexingMode === 'OFF')
            throw invalidRequest('thingConnectivityIndexingMode STATUS needs thingIndexingMode REGISTRY or REGISTRY_AND_SHADOW');
        if ((thing.deviceDefenderIndexingMode ?? 'OFF') !== 'OFF')
            throw invalidRequest('deviceDefenderIndexingMode VIOLATIONS is not supported by iot-jobs');
        if ((thing.namedShadowIndexingMode ?? 'OFF') !== 'OFF')
            throw invalidRequest('namedShadowIndexingMode ON is not supported by iot-jobs');
        if (thing.filter?.namedShadowNames?.length || thing.filter?.geoLocations?.length)
            throw invalidRequest('Indexing filters are not supported by iot-jobs');
        checkCustomFields(thing.customFields, thing.thingIndexingMode === 'REGISTRY_AND_SHADOW');
    }
    if (group)
        checkCustomFields(group.customFields, false);
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        // Dynamic groups to (re)build: the builder is woken after commit.
        tx.wake();
        const current = await readIndexingConfig(db);
        const next = structuredClone(current);
        if (thing) {
            if (thing.thingIndexingMode === 'OFF') {
                const dyn = await db.selectFrom('thing_groups').select('group_name').where('dynamic', '=', 1).limit(rowLimit(1)).executeTakeFirst();
                if (dyn)
                    throw invalidRequest(`Thing indexing cannot be turned off while dynamic thing groups exist (${dyn.group_name})`);
            }
            next.thingIndexingConfiguration = {
                thingIndexingMode: thing.thingIndexingMode,
                thingConnectivityIndexingMode: thing.thingConnectivityIndexingMode ?? 'OFF',
                ...(thing.customFields ? { customFields: thing.customFields } : {}),
            };
        }
        // connectivity.* became searchable or stopped being: queries on it now match other things.
        if (connectivityOn(next) !== connectivityOn(current))
            await rebuildAll(db, ctx.clock.now());
        if (group)
            next.thingGroupIndexingConfiguration = { thingGroupIndexingMode: group.thingGroupIndexingMode, ...(group.customFields ? { customFields: group.customFields } : {}) };
        const row = { config: JSON.stringify(next), updated_at: ctx.clock.now() };
        const updated = await db.updateTable('fleet_indexing').set(row).where('name', '=', 'config').executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
            await db.insertInto('fleet_indexing').values({ name: 'config', ...row }).execute();
    });
    return {};
}
const field = (name, type) => ({ name, type });
const REGISTRY_MANAGED = [field('thingId', 'String'), field('thingName', 'String'), field('registry.version', 'Number'), field('registry.thingTypeName', 'String'), field('registry.thingGroupNames', 'String')];
const SHADOW_MANAGED = [field('shadow.version', 'Number'), field('shadow.hasDelta', 'Boolean')];
const CONNECTIVITY_MANAGED = [field('connectivity.timestamp', 'Number'), field('connectivity.version', 'Number'), field('connectivity.connected', 'Boolean'), field('connectivity.disconnectReason', 'String')];
const GROUP_MANAGED = [field('description', 'String'), field('parentGroupNames', 'String'), field('thingGroupId', 'String'), field('thingGroupName', 'String'), field('version', 'Number')];
export async function GetIndexingConfiguration(ctx) {
    const c = await readIndexingConfig(ctx.store.db);
    const t = c.thingIndexingConfiguration;
    const managed = thingIndexOn(c)
        ? [...REGISTRY_MANAGED, ...(t.thingIndexingMode === 'REGISTRY_AND_SHADOW' ? SHADOW_MANAGED : []), ...(connectivityOn(c) ? CONNECTIVITY_MANAGED : [])]
        : undefined;
    const groupOn = c.thingGroupIndexingConfiguration.thingGroupIndexingMode === 'ON';
    return {
        thingIndexingConfiguration: { ...t, thingConnectivityIndexingMode: t.thingConnectivityIndexingMode ?? 'OFF', managedFields: managed, customFields: t.customFields },
        thingGroupIndexingConfiguration: { ...c.thingGroupIndexingConfiguration, managedFields: groupOn ? GROUP_MANAGED : undefined },
    };
}
function schemaOf(c) {
    const shadow = c.thingIndexingConfiguration.thingIndexingMode === 'REGISTRY_AND_SHADOW';
    if (connectivityOn(c))
        return shadow ? 'REGISTRY_AND_SHADOW_AND_CONNECTIVITY_STATUS' : 'REGISTRY_AND_CONNECTIVITY_STATUS';
    return shadow ? 'REGISTRY_AND_SHADOW' : 'REGISTRY';
}
/** The index is kept in every write whatever the mode (src/store/fleet-index.ts): it is ACTIVE as soon as it is enabled. */
export async function DescribeIndex(ctx, input) {
    const c = await requireThingIndex(ctx, ctx.store.db, input.indexName);
    return { indexName: input.indexName, indexStatus: 'ACTIVE', schema: input.indexName === THINGS_INDEX ? schemaOf(c) : 'REGISTRY' };
}
export async function ListIndices(ctx, input) {
    const c = await readIndexingConfig(ctx.store.db);
    const names = [...(thingIndexOn(c) ? [THINGS_INDEX] : []), ...(c.thingGroupIndexingConfiguration.thingGroupIndexingMode === 'ON' ? [GROUPS_INDEX] : [])];
    const after = decodeToken(input.nextToken, ['string']);
    const rest = after ? names.filter((n) => n > after[0]) : names;
    const { items, nextToken } = page(rest, input.maxResults ?? 500, (n) => [n]);
    return { indexNames: items, nextToken };
}
/** The 2019 limits table: at most 500 results per query; the guide pages at 100. */
const MAX_SEARCH_RESULTS = 500;
const DEFAULT_SEARCH_RESULTS = 100;
/**
 * One page of matching things in name order after a keyset cursor (also what the plan test
 * EXPLAINs): the page's names are taken from the set first, so that only they are looked up in
 * things (an equality reads its page straight off the (field, value_lc, thing_name) index).
 */
export function searchPage(db, set, after, limit) {
    const names = sql `select s.name from (${set}) as s where s.name > ${after ?? ''} order by s.name limit ${rowLimit(limit)}`;
    return db
        .selectFrom('things as t')
        .select(['t.thing_name', 't.thing_id', 't.thing_type_name', 't.attributes'])
        .where(sql `t.thing_name in (${names})`)
        .orderBy('t.thing_name');
}
export async function SearchIndex(ctx, input) {
    const db = ctx.store.db;
    const config = await requireThingIndex(ctx, db, input.indexName, input.queryVersion);
    const limit = input.maxResults ?? DEFAULT_SEARCH_RESULTS;
    if (limit > MAX_SEARCH_RESULTS)
        throw invalidRequest(`maxResults must be at most ${MAX_SEARCH_RESULTS}`);
    const after = decodeToken(input.nextToken, ['string']);
    if ((input.indexName ?? THINGS_INDEX) === GROUPS_INDEX)
        return searchGroups(db, input.queryString, after?.[0], limit, ctx.store.dialect);
    const set = compileQuerySet(input.queryString, ctx.store.dialect, config);
    const rows = await searchPage(db, set, after?.[0], limit + 1).execute();
    const { items, nextToken } = page(rows, limit, (r) => [r.thing_name]);
    const names = items.map((r) => r.thing_name);
    const groups = names.length
        ? await db.selectFrom('group_members as m').innerJoin('thing_groups as g', 'g.group_name', 'm.group_name').select(['m.thing_name', 'm.group_name']).where('m.thing_name', 'in', names).where('g.dynamic', '=', 0).orderBy('m.group_name').execute()
        : [];
    const conns = names.length && connectivityOn(config) ? await db.selectFrom('thing_connectivity').selectAll().where('thing_name', 'in', names).execute() : [];
    return {
        things: items.map((r) => {
            const conn = conns.find((c) => c.thing_name === r.thing_name);
            const attrs = parseJson(r.attributes) ?? {};
            const g = groups.filter((m) => m.thing_name === r.thing_name).map((m) => m.group_name);
            return {
                thingName: r.thing_name,
                thingId: r.thing_id,
                thingTypeName: r.thing_type_name ?? undefined,
                thingGroupNames: g.length ? g : undefined,
                attributes: Object.keys(attrs).length ? attrs : undefined,
                connectivity: connectivityOn(config)
                    ? conn
                        ? { connected: conn.connected === 1, timestamp: conn.ts, disconnectReason: conn.connected ? undefined : (conn.disconnect_reason ?? undefined) }
                        : { connected: false }
                    : undefined,
            };
        }),
        nextToken,
    };
}
/** AWS_ThingGroups: group documents, from the group index (group_fields), in name order. */
async function searchGroups(db, queryString, after, limit, dialect) {
    const set = compileSet(parse(queryString), { dialect, connectivity: false, index: 'groups' });
    const names = sql `select s.name from (${set}) as s where s.name > ${after ?? ''} order by s.name limit ${rowLimit(limit + 1)}`;
    const rows = await db.selectFrom('thing_groups as g').selectAll().where(sql `g.group_name in (${names})`).orderBy('g.group_name').execute();
    const { items, nextToken } = page(rows, limit, (r) => [r.group_name]);
    const docs = [];
    for (const g of items) {
        const attrs = parseJson(g.attributes) ?? {};
        const p = g.parent_group_name ? (await groupWithAncestors(db, g.parent_group_name)).sort() : [];
        docs.push({
            thingGroupName: g.group_name,
            thingGroupId: g.group_id,
            thingGroupDescription: g.description ?? undefined,
            attributes: Object.keys(attrs).length ? attrs : undefined,
            parentGroupNames: p.length ? p : undefined,
        });
    }
    return { thingGroups: docs, nextToken };
}
/** The matching things' values of one field, for the aggregations. */
async function fieldValues(ctx, input) {
    const db = ctx.store.db;
    const config = await requireThingIndex(ctx, db, input.indexName, input.queryVersion);
    if ((input.indexName ?? THINGS_INDEX) !== THINGS_INDEX)
        throw new ServiceError('InvalidAggregationException', 'Aggregations are supported on AWS_Things only');
    const cond = compileQuery(input.queryString, 'set', ctx.store.dialect, config);
    const fieldName = input.aggregationField ?? 'registry.version';
    const known = fieldName === 'registry.version' || fieldName.startsWith('attributes.') || ['thingName', 'thingId', 'registry.thingTypeName', 'registry.thingGroupNames'].includes(fieldName) || (connectivityOn(config) && fieldName.startsWith('connectivity.'));
    if (!known)
        throw new ServiceError('InvalidAggregationException', `Field ${fieldName} is not a managed or custom field of the index`);
    // The managed registry.* names are stored under their query names.
    const stored = fieldName === 'registry.thingTypeName' ? 'thingTypeName' : fieldName === 'registry.thingGroupNames' ? 'thingGroupNames' : fieldName;
    // A subquery of (num, value_lc): the field's values on the matching things.
    if (fieldName === 'registry.version')
        return sql `select cast(t.version as double precision) as num, cast(t.version as varchar(32)) as value_lc from things t where ${cond}`;
    return sql `select f.num, f.value_lc from thing_fields f where f.field = ${stored} and f.thing_name in (select t.thing_name from things t where ${cond})`;
}
export async function GetStatistics(ctx, input) {
    const values = await fieldValues(ctx, input);
    const numeric = input.aggregationField === undefined || input.aggregationField === 'registry.version' || input.aggregationField.startsWith('attributes.') || input.aggregationField === 'connectivity.timestamp';
    const { rows } = await sql `
    select count(*) as count, count(v.num) as ncount, sum(v.num) as sum, min(v.num) as minimum, max(v.num) as maximum, sum(v.num * v.num) as squares
    from (${values}) v`.execute(ctx.store.db);
    const r = rows[0];
    const n = Number(r.ncount);
    // On a String field only the count; numeric statistics over the values that are numbers.
    if (!numeric || n === 0)
        return { statistics: { count: Number(r.count) } };
    const sum = Number(r.sum);
    const avg = sum / n;
    const squares = Number(r.squares);
    const variance = squares / n - avg * avg;
    return { statistics: { count: n, average: avg, sum, minimum: Number(r.minimum), maximum: Number(r.maximum), sumOfSquares: squares, variance, stdDeviation: Math.sqrt(Math.max(variance, 0)) } };
}
/** Exact, where AWS's is approximate. */
export async function GetCardinality(ctx, input) {
    const values = await fieldValues(ctx, input);
    const { rows } = await sql `select count(distinct v.value_lc) as n from (${values}) v`.execute(ctx.store.db);
    return { cardinality: Number(rows[0].n) };
}
/** Buckets of the lower-cased values (values are matched case-insensitively), largest first. */
export async function GetBucketsAggregation(ctx, input) {
    const max = input.bucketsAggregationType?.termsAggregation?.maxBuckets ?? 10;
    const values = await fieldValues(ctx, input);
    const db = ctx.store.db;
    const total = await sql `select count(*) as n from (${values}) v`.execute(db);
    const { rows } = await sql `
    select v.value_lc as k, count(*) as n from (${values}) v group by v.value_lc order by count(*) desc, v.value_lc limit ${rowLimit(max)}`.execute(db);
    return { totalCount: Number(total.rows[0].n), buckets: rows.map((r) => ({ keyValue: r.k, count: Number(r.n) })) };
}
/** Every dynamic group evaluated again by the builder (a change that may move many things at once). */
export async function rebuildAll(db, now) {
    await db.updateTable('thing_groups').set({ dyn_status: 'REBUILDING', build_cursor: '' }).where('dynamic', '=', 1).execute();
    // Each group's build is owed to the engine: a timer due now (the kind is GROUP_BUILD's).
    await sql `insert into timers (kind, ref, job_id, due_at) select 'work:build', group_name, null, ${now} from thing_groups where dynamic = 1
    on conflict (kind, ref) do update set due_at = excluded.due_at`.execute(db);
}
//# sourceMappingURL=fleet-index.js.map