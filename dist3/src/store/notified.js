/**
 * What the given things (of one namespace) were told last, read under a row lock on PostgreSQL
 * until the caller's transaction ends: two nodes notifying the same thing take turns, and the
 * later one reads the pending state after the earlier one's, so neither announces a stale next.
 * Locks are taken in thing-name order, so overlapping batches cannot deadlock.
 */
export async function lockTold(db, dialect, things, namespaceId) {
    const ns = namespaceId ?? '';
    const sorted = [...new Set(things)].sort();
    await db
        .insertInto('notified')
        .values(sorted.map((t) => ({ thing_name: t, namespace_id: ns, list_key: null, next_key: null })))
        .onConflict((oc) => oc.columns(['thing_name', 'namespace_id']).doNothing())
        .execute();
    const q = db
        .selectFrom('notified')
        .select(['thing_name', 'list_key', 'next_key'])
        .where('namespace_id', '=', ns)
        .where('thing_name', 'in', sorted)
        .orderBy('thing_name');
    const rows = await (dialect === 'postgres' ? q.forUpdate() : q).execute();
    const told = new Map();
    for (const r of rows)
        if (r.list_key !== null)
            told.set(r.thing_name, { list: r.list_key, next: r.next_key ?? '' });
    return told;
}
/** Records what the things were just told (in the transaction that read them with lockTold). */
export async function saveTold(db, namespaceId, told) {
    if (told.size === 0)
        return;
    const ns = namespaceId ?? '';
    await db
        .insertInto('notified')
        .values([...told].map(([thing, t]) => ({ thing_name: thing, namespace_id: ns, list_key: t.list, next_key: t.next })))
        .onConflict((oc) => oc.columns(['thing_name', 'namespace_id']).doUpdateSet((eb) => ({ list_key: eb.ref('excluded.list_key'), next_key: eb.ref('excluded.next_key') })))
        .execute();
}
//# sourceMappingURL=notified.js.map