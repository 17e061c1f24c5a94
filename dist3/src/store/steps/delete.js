import { rowLimit } from '../store.js';
import { removeRange } from '../lifecycle/executions.js';
import { rangeCursor, saveCursor } from '../work.js';
import { clearTimer } from '../timers.js';
import { workTimer } from '../work.js';
import { jobEvent } from '../lifecycle/job-status.js';
/**
 * One bounded step of DeleteJob: removes up to `limit` executions (with their timers and counters);
 * when none remain, removes the job itself, so that its jobId can be used again. Keyset over
 * (job_id, thing_name): a scan from the job's start would wade through the index entries of the
 * rows deleted by earlier steps (PostgreSQL keeps them until vacuum).
 */
export async function deleteStep(tx, job, jobArn, now, limit) {
    tx.assertLocked(job.job_id);
    const jobId = job.job_id;
    const after = rangeCursor(job);
    let removed = { things: [], n: 0 };
    let bound;
    if (limit > 0) {
        // '>=': the boundary thing may have further executions (CONTINUOUS re-joins).
        bound = await tx.db
            .selectFrom('job_executions')
            .select('thing_name')
            .where('job_id', '=', jobId)
            .where('thing_name', '>=', after)
            .orderBy('thing_name')
            .limit(rowLimit(1))
            .offset(limit - 1)
            .executeTakeFirst();
        removed = await removeRange(tx, jobId, after, bound?.thing_name, job.namespace_id, now, { running: Number(job.n_in_progress) > 0 });
    }
    if (!bound) {
        const left = await tx.db.selectFrom('job_executions').select('id').where('job_id', '=', jobId).limit(rowLimit(1)).executeTakeFirst();
        if (!left) {
            await jobEvent(tx, jobId, 'deleted', now);
            await tx.db.deleteFrom('job_targets').where('job_id', '=', jobId).execute();
            await tx.db.deleteFrom('tags').where('resource_arn', '=', jobArn).execute();
            await tx.db.deleteFrom('jobs').where('job_id', '=', jobId).execute();
            await clearTimer(tx.db, workTimer('delete'), jobId);
            return { things: removed.things, deleted: removed.n, done: true };
        }
    }
    // Deleted rows cannot come back, so the next step starts past this batch; a step that found
    // nothing past the cursor (executions deleted out of order) starts over from the beginning.
    await saveCursor(tx.db, jobId, removed.n === 0 ? null : (bound?.thing_name ?? after));
    return { things: removed.things, deleted: removed.n, done: false };
}
//# sourceMappingURL=delete.js.map