import { sql } from 'kysely';
import { isPostgres } from './store.js';
/**
 * The order in which things joined groups, across the whole service: a SNAPSHOT job's group
 * targets are the members that joined before CreateJob took its number, however long a paced
 * fan-out runs. A clock time cannot say it (a manual clock does not move between the two calls).
 * PostgreSQL: a sequence (no row lock between concurrent joins); SQLite: one counter row (writers
 * are serialised already).
 */
/** `n` numbers of that order at once, ascending (a dynamic group's build step joins many things). */
export async function nextMemberSeqs(db, n) {
    if (n === 0)
        return [];
    if (isPostgres(db)) {
        const { rows } = await sql `select nextval('member_seq') as v from generate_series(1, ${n})`.execute(db);
        return rows.map((r) => Number(r.v)).sort((a, b) => a - b);
    }
    const top = Number((await sql `update member_seq set v = v + ${n} returning v`.execute(db)).rows[0].v);
    return Array.from({ length: n }, (_, i) => top - n + 1 + i);
}
export async function nextMemberSeq(db) {
    if (isPostgres(db))
        return Number((await sql `select nextval('member_seq') as v`.execute(db)).rows[0].v);
    return Number((await sql `update member_seq set v = v + 1 returning v`.execute(db)).rows[0].v);
}
//# sourceMappingURL=member-seq.js.map