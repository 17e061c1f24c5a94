import { sql } from 'kysely';
import { isPostgres, rowLimit, type Db } from './store.js';
import { prepared } from './prepared.js';
// jobs.ts reaches this module through executions.ts; the cycle only involves functions called at run time.
import { lockJobs } from './jobs.js';

/**
 * Durable timers: one row per thing due at a time (docs/design.md). (kind, ref) is unique, so
 * setting a timer again moves it. Kinds: 'timeout' (ref = execution id); part 2 adds its own.
 */
export interface TimerRow {
  id: number;
  kind: string;
  ref: string;
  job_id: string | null;
  due_at: number;
}

export async function setTimer(db: Db, kind: string, ref: string, jobId: string | null, dueAt: number): Promise<void> {
  await db
    .insertInto('timers')
    .values({ kind, ref, job_id: jobId, due_at: dueAt, lease_owner: null, lease_until: null })
    .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet({ due_at: dueAt, job_id: jobId, lease_owner: null, lease_until: null }))
    .execute();
}

export async function clearTimer(db: Db, kind: string, ref: string): Promise<void> {
  await db.deleteFrom('timers').where('kind', '=', kind).where('ref', '=', ref).execute();
}

// Statements per batch size and dialect; sizes come from a short ladder (TimerWorker), so few are cached.
type Take = (db: Db, args: { now: number; jobs: unknown }) => Promise<TimerRow[]>;
type Peek = (db: Db, args: { now: number }) => Promise<{ job_id: string | null }[]>;
const statements = new Map<string, { peek: Peek; take: Take }>();

function takeStatements(postgres: boolean, limit: number): { peek: Peek; take: Take } {
  const key = `${postgres ? 'pg' : 'sqlite'}:${limit}`;
  let s = statements.get(key);
  if (!s) {
    s = {
      peek: prepared<{ now: number }, { job_id: string | null }>(
        (_db, arg) => sql`
          select distinct job_id from (
            select job_id from timers where due_at <= ${arg('now')} order by due_at, id limit ${rowLimit(limit)}) t`,
      ),
      take: prepared<{ now: number; jobs: unknown }, TimerRow>((_db, arg) =>
        postgres
          ? // = any(array(...)): IN (subquery) is planned as a scan of the whole table.
            sql<TimerRow>`
            delete from timers where id = any(array(
              select id from timers where due_at <= ${arg('now')} and (job_id = any(cast(${arg('jobs')} as text[])) or job_id is null)
              order by due_at, id limit ${rowLimit(limit)} for update skip locked))
            returning id, kind, ref, job_id, due_at`
          : sql<TimerRow>`
            delete from timers where id in (
              select id from timers where due_at <= ${arg('now')} order by due_at, id limit ${rowLimit(limit)})
            returning id, kind, ref, job_id, due_at`,
      ),
    };
    statements.set(key, s);
  }
  return s;
}

/**
 * Takes up to `limit` timers due at `now` out of the table, in the caller's transaction, which then
 * fires them: the transaction is the claim, so a node that dies mid-batch rolls the deletion back
 * with the firing and the timers are due again at once. On PostgreSQL, SKIP LOCKED leaves the
 * timers another node is firing to it, and the jobs of the batch are locked first: the lock order
 * of a device's update (job, execution, then its timer), so that the two cannot deadlock.
 */
export async function takeDue(db: Db, now: number, limit: number): Promise<TimerRow[]> {
  const postgres = isPostgres(db);
  const { peek, take } = takeStatements(postgres, limit);
  let jobs: string[] = [];
  if (postgres) {
    jobs = (await peek(db, { now })).flatMap((r) => (r.job_id === null ? [] : [r.job_id]));
    await lockJobs(db, jobs);
  }
  const rows = await take(db, { now, jobs });
  return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}

/** The earliest due time, or undefined: one index probe (the worker sleeps until then). */
export async function nextDue(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('timers').select('due_at').orderBy('due_at').limit(rowLimit(1)).executeTakeFirst();
  return row ? Number(row.due_at) : undefined;
}

/** Whether any timer is due at `now` (being fired or not): the clock POST waits until none is. */
export async function anyDue(db: Db, now: number): Promise<boolean> {
  const row = await db.selectFrom('timers').select('id').where('due_at', '<=', now).limit(rowLimit(1)).executeTakeFirst();
  return row !== undefined;
}
