import { sql } from 'kysely';
import { isPostgres, type Db } from './store.js';

/**
 * The order in which things joined groups, across the whole service: a SNAPSHOT job's group
 * targets are the members that joined before CreateJob took its number, however long a paced
 * fan-out runs. A clock time cannot say it (a manual clock does not move between the two calls).
 * PostgreSQL: a sequence (no row lock between concurrent joins); SQLite: one counter row (writers
 * are serialised already).
 */
export async function nextMemberSeq(db: Db): Promise<number> {
  if (isPostgres(db)) return Number((await sql<{ v: string }>`select nextval('member_seq') as v`.execute(db)).rows[0]!.v);
  return Number((await sql<{ v: number }>`update member_seq set v = v + 1 returning v`.execute(db)).rows[0]!.v);
}
