import { sql } from 'kysely';
import type { Db } from './store.js';
import { prepared } from './prepared.js';
import { COUNTER_COLUMN, type CounterColumn, type ExecutionStatus } from '../domain/states.js';

const COUNTERS = Object.values(COUNTER_COLUMN);

/** One statement shape for every counter change: each column plus its delta (0 for most). */
const addToCounters = prepared<Record<CounterColumn | 'jobId', unknown>, never>((db, arg) =>
  db
    .updateTable('jobs')
    .set(Object.fromEntries(COUNTERS.map((c) => [c, sql`${sql.ref(c)} + ${arg(c)}`])))
    .where('job_id', '=', arg('jobId') as string),
);

/** Adds deltas to a job's per-status counters, in the caller's transaction. */
export async function adjustCounters(db: Db, jobId: string, deltas: Partial<Record<CounterColumn, number>>): Promise<void> {
  if (!COUNTERS.some((c) => deltas[c])) return;
  const args: Record<string, unknown> = { jobId };
  for (const c of COUNTERS) args[c] = deltas[c] ?? 0;
  await addToCounters(db, args as Record<CounterColumn | 'jobId', unknown>);
}

/** Counter deltas for `n` executions moving from one status to another (null: created, or deleted). */
export function moveDelta(from: string | null, to: string | null, n = 1): Partial<Record<CounterColumn, number>> {
  const d: Partial<Record<CounterColumn, number>> = {};
  if (from) d[COUNTER_COLUMN[from as ExecutionStatus]] = -n;
  if (to) {
    const t = COUNTER_COLUMN[to as ExecutionStatus];
    d[t] = (d[t] ?? 0) + n;
  }
  return d;
}
