/** A job's row, unlocked (reads; a read-modify-write locks it with Tx.lockJob). */
export const getJob = (db, jobId) => db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
//# sourceMappingURL=job-rows.js.map