import { Store } from '../dist/src/store/store.js';
import { getJob } from '../dist/src/store/jobs.js';
import { CompiledQuery } from 'kysely';
import fs from 'node:fs';
fs.rmSync('/tmp/kq', { recursive: true, force: true });
const store = await Store.open({ dataDir: '/tmp/kq' });
await store.db.insertInto('jobs').values({ job_id: 'bench-job', status: 'IN_PROGRESS', target_selection: 'SNAPSHOT', targets: '[]', document: '{"op":"fw"}', config: '{}', force_canceled: 0, created_at: 1, last_updated_at: 1, n_queued: 0, n_in_progress: 0, n_succeeded: 0, n_failed: 0, n_rejected: 0, n_canceled: 0, n_removed: 0, n_timed_out: 0 }).execute();
const compiled = store.db.selectFrom('jobs').selectAll().where('job_id', '=', 'X').compile();
const N = 50000;
async function time(name, f) { for (let i = 0; i < 3000; i++) await f(); const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) await f(); console.log(name.padEnd(14), (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(1), 'µs'); }
for (let r = 0; r < 2; r++) {
  await time('builder', () => getJob(store.db, 'bench-job'));
  await time('compile only', () => store.db.selectFrom('jobs').selectAll().where('job_id', '=', 'bench-job').compile());
  await time('precompiled', () => store.db.executeQuery({ ...compiled, parameters: ['bench-job'] }));
  await time('sql tag', async () => (await (await import('kysely')).sql`select * from jobs where job_id = ${'bench-job'}`.execute(store.db)).rows[0]);
}
await store.close();
