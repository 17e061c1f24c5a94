import { sql } from 'kysely';
import { prepared } from './prepared.js';
import { COUNTER_COLUMN } from '../domain/states.js';
const COUNTERS = Object.values(COUNTER_COLUMN);
/** One statement shape for every counter change: each column plus its delta (0 for most). */
const addToCounters = prepared((db, arg) => db
    .updateTable('jobs')
    .set(Object.fromEntries(COUNTERS.map((c) => [c, sql `${sql.ref(c)} + ${arg(c)}`])))
    .where('job_id', '=', arg('jobId')));
/** Adds deltas to a job's per-status counters, in the caller's transaction. */
export async function adjustCounters(db, jobId, deltas) {
    if (!COUNTERS.some((c) => deltas[c]))
        return;
    const args = { jobId };
    for (const c of COUNTERS)
        args[c] = deltas[c] ?? 0;
    await addToCounters(db, args);
}
/** Counter deltas for `n` executions moving from one status to another (null: created, or deleted). */
export function moveDelta(from, to, n = 1) {
    const d = {};
    if (from)
        d[COUNTER_COLUMN[from]] = -n;
    if (to) {
        const t = COUNTER_COLUMN[to];
        d[t] = (d[t] ?? 0) + n;
    }
    return d;
}
//# sourceMappingURL=counters.js.map