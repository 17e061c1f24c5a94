import type { Db } from './store.js';
import type { JobRow } from './tx.js';

export type { JobRow };

/** A job's row, unlocked (reads; a read-modify-write locks it with Tx.lockJob). */
export const getJob = (db: Db, jobId: string): Promise<JobRow | undefined> => db.selectFrom('jobs').selectAll().where('job_id', '=', jobId).executeTakeFirst();
