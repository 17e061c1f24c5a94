import { MAX_PENDING_LISTED } from '../domain/states.js';
import { windowAt } from '../domain/schedule.js';
import { scheduleOf } from '../store/steps/rollout.js';
export function pendingCaps(quotas) {
    const withScheduling = quotas?.pendingListWithScheduling?.limit;
    if (withScheduling === undefined)
        return undefined;
    return { withScheduling, inWindow: quotas?.pendingListInWindow?.limit ?? withScheduling };
}
/** Rows to read per thing before capping. */
export const readLimit = (caps) => (caps ? Math.max(MAX_PENDING_LISTED, caps.withScheduling) : MAX_PENDING_LISTED);
/** Cuts each thing's rows (in $next order, `readLimit` of them) to what AWS shows; one read of the jobs involved. */
export async function capPending(db, lists, caps, now, notification) {
    const ids = [...new Set([...lists.values()].flatMap((rows) => rows.map((r) => r.job_id)))];
    if (ids.length === 0)
        return;
    const jobs = await db.selectFrom('jobs').select(['job_id', 'config']).where('job_id', 'in', ids).execute();
    const scheduled = new Set();
    const windowOpen = new Set();
    for (const j of jobs) {
        const schedule = scheduleOf(j);
        if (!JSON.parse(j.config ?? '{}').schedulingConfig)
            continue;
        scheduled.add(j.job_id);
        if (schedule.windows.length && windowAt(schedule, now))
            windowOpen.add(j.job_id);
    }
    for (const [thing, rows] of lists) {
        let cap = rows.some((r) => scheduled.has(r.job_id)) ? caps.withScheduling : MAX_PENDING_LISTED;
        if (notification && rows.some((r) => windowOpen.has(r.job_id)))
            cap = Math.min(cap, caps.inWindow);
        if (rows.length > cap)
            lists.set(thing, rows.slice(0, cap));
    }
}
//# sourceMappingURL=pending.js.map