/**
 * Takes or renews a named lease for `owner` until `until` (ms). True when `owner` holds it now.
 * One UPDATE decides, so two nodes never both win.
 */
export async function holdLease(db, name, owner, now, until) {
    await db.insertInto('service_leases').values({ name, owner: null, lease_until: 0 }).onConflict((oc) => oc.column('name').doNothing()).execute();
    const won = await db
        .updateTable('service_leases')
        .set({ owner, lease_until: until })
        .where('name', '=', name)
        .where((eb) => eb.or([eb('owner', '=', owner), eb('owner', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
    return Number(won.numUpdatedRows) === 1;
}
export async function releaseLease(db, name, owner) {
    await db.updateTable('service_leases').set({ owner: null, lease_until: 0 }).where('name', '=', name).where('owner', '=', owner).execute();
}
//# sourceMappingURL=leases.js.map