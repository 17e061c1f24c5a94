import { rowLimit, type Db, type Store } from './store.js';

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

/**
 * Claims up to `limit` timers due at `now` (clock time) for `owner`, until `leaseUntil` (wall
 * time: a lease must expire when its node dies, whether or not anyone moves a manual clock).
 * One UPDATE decides; on PostgreSQL SKIP LOCKED keeps two nodes from waiting on each other.
 */
export async function claimDue(store: Store, now: number, wallNow: number, owner: string, leaseUntil: number, limit: number): Promise<TimerRow[]> {
  // Nothing due: stop at the index probe. Before PostgreSQL has analyzed a freshly filled table
  // (1,000,000 timers written at once), the claim's filtered query is planned as a sequential
  // scan: 80 ms every poll while idle (bench/timeouts.ts, docs/benchmarks.md). ORDER BY ... LIMIT 1
  // is an index walk whatever the statistics say.
  const first = await nextDue(store.db);
  if (first === undefined || first > now) return [];
  const candidates = store.db
    .selectFrom('timers')
    .select('id')
    .where('due_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', wallNow)]))
    .orderBy('due_at')
    .orderBy('id')
    .limit(rowLimit(limit));
  const locked = store.dialect === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
  const rows = await store.db
    .updateTable('timers')
    .set({ lease_owner: owner, lease_until: leaseUntil })
    .where('id', 'in', locked)
    .returning(['id', 'kind', 'ref', 'job_id', 'due_at'])
    .execute();
  return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
}

/** Removes fired timers, only those still leased to `owner` and not moved since they were claimed. */
export async function finishTimers(db: Db, timers: TimerRow[], owner: string): Promise<number> {
  if (timers.length === 0) return 0;
  let n = 0;
  // A timer set again while it fired got its lease cleared: it stays, for its new time.
  for (let i = 0; i < timers.length; i += 500) {
    const ids = timers.slice(i, i + 500).map((t) => t.id);
    const r = await db.deleteFrom('timers').where('id', 'in', ids).where('lease_owner', '=', owner).executeTakeFirst();
    n += Number(r.numDeletedRows);
  }
  return n;
}

/** The earliest due time, or undefined: one index probe (the worker sleeps until then). */
export async function nextDue(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('timers').select('due_at').orderBy('due_at').limit(rowLimit(1)).executeTakeFirst();
  return row ? Number(row.due_at) : undefined;
}

/** Whether any timer is due at `now` (leased or not): the clock POST waits until none is. */
export async function anyDue(db: Db, now: number): Promise<boolean> {
  const row = await db.selectFrom('timers').select('id').where('due_at', '<=', now).limit(rowLimit(1)).executeTakeFirst();
  return row !== undefined;
}
