import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
const rowLimit = (n) => sql.lit(n);
export async function recordEvent(db, type, body) {
    await db.insertInto('event_outbox').values({ type, event_id: randomUUID(), body: JSON.stringify(body), lease_owner: null, lease_until: 0 }).execute();
}
/**
 * Claims up to `limit` rows nobody holds (or whose holder's lease ran out: a node that died),
 * oldest first, for `leaseMs` of wall time. PostgreSQL nodes skip each other's locked rows.
 */
export async function claimEvents(db, postgres, owner, nowMs, leaseMs, limit) {
    const skip = postgres ? sql `for update skip locked` : sql ``;
    const { rows } = await sql `
    update event_outbox set lease_owner = ${owner}, lease_until = ${nowMs + leaseMs}
    where id in (select id from event_outbox where lease_until < ${nowMs} order by id limit ${rowLimit(limit)} ${skip})
    returning id, type, event_id, body`.execute(db);
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
}
/** Rows published: gone (only if still this owner's, so a row another node took over is left to it). */
export async function removeEvents(db, owner, ids) {
    if (ids.length)
        await db.deleteFrom('event_outbox').where('id', 'in', ids).where('lease_owner', '=', owner).execute();
}
/** Frees every claim (a single-node store at start: the claims were a dead process's). */
export async function releaseEvents(db) {
    await db.updateTable('event_outbox').set({ lease_owner: null, lease_until: 0 }).where('lease_owner', 'is not', null).execute();
}
/** Whether any event is owed (the clock POST waits until none is). */
export async function anyEventOwed(db) {
    return (await db.selectFrom('event_outbox').select('id').limit(rowLimit(1)).executeTakeFirst()) !== undefined;
}
/** The eventId of the i-th event of a row: the row's UUID with its last 48 bits moved on by i. */
export function nthEventId(base, i) {
    if (i === 0)
        return base;
    const tail = (BigInt(`0x${base.slice(-12)}`) + BigInt(i)) & 0xffffffffffffn;
    return base.slice(0, -12) + tail.toString(16).padStart(12, '0');
}
//# sourceMappingURL=outbox.js.map