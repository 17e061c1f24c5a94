import { sql } from 'kysely';
import { rowLimit, type Db } from './store.js';
import { prepared } from './prepared.js';
import type { Tx } from './tx.js';

/**
 * Durable timers: one row per thing due at a time. (kind, ref) is unique, so setting a timer again
 * moves it. Kinds: 'timeout' (ref = an execution's id), the rollout's 'rollout', 'schedule_start'
 * and 'schedule_end' (ref = the job), and the engine's 'work:<kind>' (ref = the job, due now).
 */
export const TIMEOUT = 'timeout';
export const ROLLOUT = 'rollout';
export const SCHEDULE_START = 'schedule_start';
export const SCHEDULE_END = 'schedule_end';
/** The timers a job's rollout keeps (ref = the job). */
export const ROLLOUT_TIMERS = [ROLLOUT, SCHEDULE_START, SCHEDULE_END] as const;

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
    .values({ kind, ref, job_id: jobId, due_at: dueAt })
    .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet({ due_at: dueAt, job_id: jobId }))
    .execute();
}

/**
 * A paced rollout's next release (its 'rollout' or 'schedule_start' timer, two point reads on the
 * (kind, ref) key) and how many the stored pace allows then: a minute's worth on a step pace (the
 * manual clock), one on a smooth one. Undefined when no release is scheduled.
 */
export async function nextRelease(db: Db, jobId: string): Promise<{ at: number; count: number; ratePerMinute: number } | undefined> {
  const timer = await db.selectFrom('timers').select('due_at').where('kind', 'in', [ROLLOUT, SCHEDULE_START]).where('ref', '=', jobId).orderBy('due_at').limit(rowLimit(1)).executeTakeFirst();
  if (!timer) return undefined;
  const job = await db.selectFrom('jobs').select('rollout_pace').where('job_id', '=', jobId).executeTakeFirst();
  const pace = job?.rollout_pace ? (JSON.parse(job.rollout_pace) as { pace?: { rate: number; step?: boolean } }).pace : undefined;
  const rate = pace?.rate ?? 0;
  return { at: Number(timer.due_at), count: pace?.step ? rate : Math.min(rate, 1), ratePerMinute: rate };
}

export async function clearTimer(db: Db, kind: string, ref: string): Promise<void> {
  await db.deleteFrom('timers').where('kind', '=', kind).where('ref', '=', ref).execute();
}

/** Which timers one take may claim: the batch kinds (everything but work), or some kinds of work. */
export type TimerFilter = { work: false } | { work: true; kinds: readonly string[] };

const filterSql = (f: TimerFilter): string =>
  f.work ? `kind in (${f.kinds.map((k) => `'${k}'`).join(', ')})` : `kind not like 'work:%'`;

// Statements per batch size, filter and dialect; sizes come from a short ladder (Engine), so few are cached.
type Take = (db: Db, args: { now: number; jobs: unknown }) => Promise<TimerRow[]>;
type Peek = (db: Db, args: { now: number }) => Promise<{ job_id: string | null }[]>;
const statements = new Map<string, { peek: Peek; take: Take }>();

function takeStatements(postgres: boolean, limit: number, filter: TimerFilter): { peek: Peek; take: Take } {
  const where = filterSql(filter);
  const key = `${postgres ? 'pg' : 'sqlite'}:${limit}:${where}`;
  let s = statements.get(key);
  if (!s) {
    const kinds = sql.raw(where);
    s = {
      peek: prepared<{ now: number }, { job_id: string | null }>(
        (_db, arg) => sql`
          select distinct job_id from (
            select job_id from timers where due_at <= ${arg('now')} and ${kinds} order by due_at, id limit ${rowLimit(limit)}) t`,
      ),
      take: prepared<{ now: number; jobs: unknown }, TimerRow>((_db, arg) =>
        postgres
          ? // = any(array(...)): IN (subquery) is planned as a scan of the whole table.
            sql<TimerRow>`
            delete from timers where id = any(array(
              select id from timers where due_at <= ${arg('now')} and ${kinds} and (job_id = any(cast(${arg('jobs')} as text[])) or job_id is null)
              order by due_at, id limit ${rowLimit(limit)} for update skip locked))
            returning id, kind, ref, job_id, due_at`
          : sql<TimerRow>`
            delete from timers where id in (
              select id from timers where due_at <= ${arg('now')} and ${kinds} order by due_at, id limit ${rowLimit(limit)})
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
 * with the firing and the timers are due again at once. On PostgreSQL the jobs of the batch are
 * locked first (the one lock order: job, then what hangs off it), and SKIP LOCKED leaves the
 * timers another node is firing to it.
 */
export async function takeDue(tx: Tx, now: number, limit: number, filter: TimerFilter): Promise<TimerRow[]> {
  const { peek, take } = takeStatements(tx.postgres, limit, filter);
  let jobs: string[] = [];
  if (tx.postgres) {
    jobs = (await peek(tx.db, { now })).flatMap((r) => (r.job_id === null ? [] : [r.job_id]));
    await tx.lockJobs(jobs);
  }
  const rows = await take(tx.db, { now, jobs });
  // SQLite takes without a peek: its writers are serialised, so holding the batch is the lock.
  if (!tx.postgres) await tx.lockJobs(rows.flatMap((r) => (r.job_id === null ? [] : [r.job_id])));
  return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}

/** The earliest due time (of the kinds the filter takes), or undefined: one index probe. */
export async function nextDue(db: Db, filter?: TimerFilter): Promise<number | undefined> {
  // The few work timers through the (kind, ref) index, not a walk of the due index past every timeout.
  if (filter?.work) {
    const row = await db.selectFrom('timers').select((eb) => eb.fn.min('due_at').as('due')).where(sql.raw<boolean>(filterSql(filter))).executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }
  let q = db.selectFrom('timers').select('due_at');
  if (filter) q = q.where(sql.raw<boolean>(filterSql(filter)));
  const row = await q.orderBy('due_at').orderBy('id').limit(rowLimit(1)).executeTakeFirst();
  return row ? Number(row.due_at) : undefined;
}

/** Whether any timer the filter takes is due at `now` (being fired or not): a drain waits until none is. */
export async function anyDue(db: Db, now: number, filter?: TimerFilter): Promise<boolean> {
  let q = db.selectFrom('timers').select('id').where('due_at', '<=', now);
  if (filter) q = q.where(sql.raw<boolean>(filterSql(filter)));
  return (await q.limit(rowLimit(1)).executeTakeFirst()) !== undefined;
}
