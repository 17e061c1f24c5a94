import { Store } from '../dist/src/store/store.js';
import { getJob } from '../dist/src/store/jobs.js';
import fs from 'node:fs';
fs.rmSync('/tmp/kq', { recursive: true, force: true });
const store = await Store.open({ dataDir: '/tmp/kq' });
await store.db.insertInto('jobs').values({ job_id: 'bench-job', status: 'IN_PROGRESS', target_selection: 'SNAPSHOT', targets: '[]', document: '{"op":"fw"}', config: '{}', force_canceled: 0, created_at: 1, last_updated_at: 1, n_queued: 0, n_in_progress: 0, n_succeeded: 0, n_failed: 0, n_rejected: 0, n_canceled: 0, n_removed: 0, n_timed_out: 0 }).execute();
for (let r = 0; r < 3; r++) {
  let t = process.hrtime.bigint(); for (let i = 0; i < 50000; i++) await getJob(store.db, 'bench-job');
  console.log('kysely getJob ns', Number(process.hrtime.bigint() - t) / 50000);
}
await store.close();
