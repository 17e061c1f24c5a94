import { sql } from 'kysely';
import { COUNTER_COLUMN, type ExecutionStatus } from '../domain/states.js';
import type { Db } from './store.js';

export interface FleetStats {
  /** Job executions by status, summed from the jobs' kept counters (never a scan of executions). */
  executions: Record<ExecutionStatus, number>;
  /** Jobs by status. */
  jobs: Record<string, number>;
  /** Jobs with background work owed, by kind ('rollout', 'cancel', 'delete'). */
  backlog: Record<string, number>;
  /** Executions still to be removed by the deletions in progress. */
  deletionExecutionsLeft: number;
}

const STATUSES = Object.keys(COUNTER_COLUMN) as ExecutionStatus[];

/** What /metrics shows about the data: three grouped reads over the jobs table (one row per job). */
export async function fleetStats(db: Db): Promise<FleetStats> {
  const sums = STATUSES.map((s) => sql<string | number | null>`sum(${sql.ref(COUNTER_COLUMN[s])})`.as(s));
  const [counters, jobs, backlog, deleting] = await Promise.all([
    db.selectFrom('jobs').select(sums).executeTakeFirst(),
    db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<string | number>().as('n')]).groupBy('status').execute(),
    db.selectFrom('jobs').select(['pending_work', (eb) => eb.fn.countAll<string | number>().as('n')]).where('pending_work', 'is not', null).groupBy('pending_work').execute(),
    db
      .selectFrom('jobs')
      .select(sql<string | number | null>`sum(${sql.join(STATUSES.map((s) => sql.ref(COUNTER_COLUMN[s])), sql` + `)})`.as('n'))
      .where('status', '=', 'DELETION_IN_PROGRESS')
      .executeTakeFirst(),
  ]);
  const row = (counters ?? {}) as Record<string, string | number | null>;
  return {
    executions: Object.fromEntries(STATUSES.map((s) => [s, Number(row[s] ?? 0)])) as Record<ExecutionStatus, number>,
    jobs: Object.fromEntries(jobs.map((r) => [r.status, Number(r.n)])),
    backlog: Object.fromEntries(backlog.map((r) => [r.pending_work!, Number(r.n)])),
    deletionExecutionsLeft: Number(deleting?.n ?? 0),
  };
}
