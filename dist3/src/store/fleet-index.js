import { isNumeric } from '../domain/fleet-query.js';
/** The index rows of one thing. thingGroupNames holds its static groups (dynamic ones follow from queries). */
export function fieldRows(t, groups, conn) {
    const rows = new Map();
    const add = (field, value, num = isNumeric(value) ? Number(value) : null) => {
        const row = { thing_name: t.thing_name, field, value_lc: value.toLowerCase(), num };
        rows.set(`${field}\u0000${row.value_lc}`, row);
    };
    add('thingName', t.thing_name);
    add('thingId', t.thing_id);
    if (t.thing_type_name !== null)
        add('thingTypeName', t.thing_type_name);
    for (const g of groups)
        add('thingGroupNames', g);
    for (const [k, v] of Object.entries(JSON.parse(t.attributes)))
        add(`attributes.${k}`, String(v));
    // A thing that never connected reads connected:false, as AWS documents.
    add('connectivity.connected', conn?.connected ? 'true' : 'false', null);
    if (conn) {
        add('connectivity.timestamp', String(conn.ts), conn.ts);
        if (!conn.connected && conn.disconnect_reason)
            add('connectivity.disconnectReason', conn.disconnect_reason, null);
    }
    return [...rows.values()];
}
/**
 * Brings one thing's index rows up to date with its row, static groups and connectivity (none
 * left when it was deleted). Only the rows that differ are written: an UpdateThing that changes
 * one attribute deletes one row and inserts one. Tells whether the thing was new, and which
 * fields changed.
 */
export async function reindexThing(db, thingName) {
    const t = await db.selectFrom('things').select(['thing_name', 'thing_id', 'thing_type_name', 'attributes']).where('thing_name', '=', thingName).executeTakeFirst();
    if (!t) {
        await db.deleteFrom('thing_fields').where('thing_name', '=', thingName).execute();
        return { created: false, changed: new Set() };
    }
    const groups = await db
        .selectFrom('group_members as m')
        .innerJoin('thing_groups as g', 'g.group_name', 'm.group_name')
        .select('m.group_name')
        .where('m.thing_name', '=', thingName)
        .where('g.dynamic', '=', 0)
        .execute();
    const conn = await db.selectFrom('thing_connectivity').selectAll().where('thing_name', '=', thingName).executeTakeFirst();
    const want = fieldRows(t, groups.map((g) => g.group_name), conn);
    const have = await db.selectFrom('thing_fields').selectAll().where('thing_name', '=', thingName).execute();
    const key = (r) => `${r.field}\u0000${r.value_lc}\u0000${r.num ?? ''}`;
    const wanted = new Set(want.map(key));
    const had = new Set(have.map(key));
    for (const r of have)
        if (!wanted.has(key(r)))
            await db.deleteFrom('thing_fields').where('thing_name', '=', thingName).where('field', '=', r.field).where('value_lc', '=', r.value_lc).execute();
    const add = want.filter((r) => !had.has(key(r)));
    if (add.length)
        await db.insertInto('thing_fields').values(add).execute();
    const changed = new Set([...have.filter((r) => !wanted.has(key(r))), ...add].map((r) => r.field));
    return { created: have.length === 0, changed };
}
const BACKFILL_BATCH = 1000;
/** Migration 0010: index every existing thing, in keyset batches. */
export async function backfillThingFields(raw) {
    const db = raw;
    let after = '';
    for (;;) {
        const things = await db.selectFrom('things').select(['thing_name', 'thing_id', 'thing_type_name', 'attributes']).where('thing_name', '>', after).orderBy('thing_name').limit(BACKFILL_BATCH).execute();
        if (things.length === 0)
            return;
        const names = things.map((t) => t.thing_name);
        const members = await db.selectFrom('group_members').select(['thing_name', 'group_name']).where('thing_name', 'in', names).execute();
        const rows = things.flatMap((t) => fieldRows(t, members.filter((m) => m.thing_name === t.thing_name).map((m) => m.group_name), undefined));
        // Kept under SQLite's 32766 bound parameters per statement (4 a row).
        for (let i = 0; i < rows.length; i += 5000)
            await db.insertInto('thing_fields').values(rows.slice(i, i + 5000)).execute();
        after = names[names.length - 1];
    }
}
/** The index rows of one thing group: its name (also as thingGroupNames), id, description, attributes, ancestors. */
export function groupFieldRows(g, parents) {
    const rows = new Map();
    const add = (field, value) => {
        const value_lc = value.toLowerCase();
        rows.set(`${field}\u0000${value_lc}`, { group_name: g.group_name, field, value_lc, num: isNumeric(value) ? Number(value) : null });
    };
    add('thingGroupName', g.group_name);
    add('thingGroupNames', g.group_name);
    add('thingGroupId', g.group_id);
    if (g.description)
        add('description', g.description);
    for (const p of parents)
        add('parentGroupNames', p);
    for (const [k, v] of Object.entries(JSON.parse(g.attributes)))
        add(`attributes.${k}`, String(v));
    return [...rows.values()];
}
/** The ancestors of a group, nearest first. */
async function ancestors(db, parent) {
    const out = [];
    for (let p = parent; p !== null && !out.includes(p);) {
        out.push(p);
        p = (await db.selectFrom('thing_groups').select('parent_group_name').where('group_name', '=', p).executeTakeFirst())?.parent_group_name ?? null;
    }
    return out;
}
/** Rewrites one group's index rows (none when it was deleted); groups are written seldom. */
export async function reindexGroup(db, groupName) {
    await db.deleteFrom('group_fields').where('group_name', '=', groupName).execute();
    const g = await db.selectFrom('thing_groups').select(['group_name', 'group_id', 'description', 'attributes', 'parent_group_name']).where('group_name', '=', groupName).executeTakeFirst();
    if (g)
        await db.insertInto('group_fields').values(groupFieldRows(g, await ancestors(db, g.parent_group_name))).execute();
}
/** Migration 0010: index every existing thing group. */
export async function backfillGroupFields(raw) {
    const db = raw;
    const groups = await db.selectFrom('thing_groups').select(['group_name', 'group_id', 'description', 'attributes', 'parent_group_name']).execute();
    for (const g of groups)
        await db.insertInto('group_fields').values(groupFieldRows(g, await ancestors(db, g.parent_group_name))).execute();
}
/** A thing's connectivity as the broker saw it; the caller reindexes the thing. */
export async function saveConnectivity(db, thingName, c) {
    const updated = await db.updateTable('thing_connectivity').set(c).where('thing_name', '=', thingName).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
        await db.insertInto('thing_connectivity').values({ thing_name: thingName, ...c }).execute();
}
//# sourceMappingURL=fleet-index.js.map