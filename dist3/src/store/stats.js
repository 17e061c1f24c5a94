import { sql } from 'kysely';
import { COUNTER_COLUMN } from '../domain/states.js';
const STATUSES = Object.keys(COUNTER_COLUMN);
/** What /metrics shows about the data: three grouped reads over the jobs table (one row per job). */
export async function fleetStats(db) {
    const sums = STATUSES.map((s) => sql `sum(${sql.ref(COUNTER_COLUMN[s])})`.as(s));
    const [counters, jobs, backlog, deleting] = await Promise.all([
        db.selectFrom('jobs').select(sums).executeTakeFirst(),
        db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll().as('n')]).groupBy('status').execute(),
        db.selectFrom('jobs').select(['pending_work', (eb) => eb.fn.countAll().as('n')]).where('pending_work', 'is not', null).groupBy('pending_work').execute(),
        db
            .selectFrom('jobs')
            .select(sql `sum(${sql.join(STATUSES.map((s) => sql.ref(COUNTER_COLUMN[s])), sql ` + `)})`.as('n'))
            .where('status', '=', 'DELETION_IN_PROGRESS')
            .executeTakeFirst(),
    ]);
    const row = (counters ?? {});
    return {
        executions: Object.fromEntries(STATUSES.map((s) => [s, Number(row[s] ?? 0)])),
        jobs: Object.fromEntries(jobs.map((r) => [r.status, Number(r.n)])),
        backlog: Object.fromEntries(backlog.map((r) => [r.pending_work, Number(r.n)])),
        deletionExecutionsLeft: Number(deleting?.n ?? 0),
    };
}
//# sourceMappingURL=stats.js.map