import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Store } from '../../src/store/store.js';
import { LISTED, PENDING_STATUSES } from '../../src/store/migrations.js';
import { BACKENDS, PG_URL, dropSchema, freshSchema } from '../support/harness.js';
/** A data directory or schema of its own, opened as often as the test likes, removed afterwards. */
async function withPlace(backend, fn) {
    const dataDir = mkdtempSync(join(tmpdir(), 'iot-jobs-pending-'));
    const schema = backend === 'postgres' ? freshSchema() : undefined;
    try {
        await fn((migrateTo) => Store.open({ dataDir, databaseUrl: schema ? PG_URL : undefined, schema, ...(migrateTo ? { migrateTo } : {}) }));
    }
    finally {
        if (schema)
            await dropSchema(schema);
        rmSync(dataDir, { recursive: true, force: true });
    }
}
const STATUSES = ['QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED', 'REMOVED', 'TIMED_OUT', 'REJECTED'];
for (const backend of BACKENDS) {
    test(`migration 0009 [${backend}]: executions written before it are listed in the pending index exactly when pending`, async () => {
        await withPlace(backend, async (open) => {
            const old = await open('0008_pending_index');
            try {
                for (const [i, status] of STATUSES.entries())
                    await sql `insert into job_executions (job_id, thing_name, execution_number, status, status_details, force_canceled, queued_at, started_at, last_updated_at, version_number, step_timeout_minutes)
                    values ('old-job', ${`thing-${i}`}, 1, ${status}, null, 0, 0, null, 0, 1, null)`.execute(old.db);
            }
            finally {
                await old.close();
            }
            const store = await open();
            try {
                const rows = await store.db.selectFrom('job_executions').select(['thing_name', 'status', 'listed']).orderBy('thing_name').execute();
                assert.deepEqual(rows.map((r) => [r.status, Number(r.listed)]), STATUSES.map((s) => [s, s === 'QUEUED' || s === 'IN_PROGRESS' ? 1 : 0]));
                // The index's predicate is the flag now, and a query that repeats it uses the index.
                if (backend === 'sqlite') {
                    const { rows: idx } = await sql `select sql from sqlite_master where name = 'job_executions_pending'`.execute(store.db);
                    assert.match(idx[0].sql, /where listed = 1$/i);
                    const { rows: plan } = await sql `explain query plan select * from job_executions e where e.thing_name = 'thing-0' and ${sql.raw(`e.${LISTED} and e.${PENDING_STATUSES}`)}`.execute(store.db);
                    assert.match(plan.map((p) => p.detail).join(' '), /USING INDEX job_executions_pending/);
                }
                else {
                    const { rows: idx } = await sql `select indexdef from pg_indexes where indexname = 'job_executions_pending' and schemaname = current_schema()`.execute(store.db);
                    assert.match(idx[0].indexdef, /WHERE \(listed = 1\)/);
                }
            }
            finally {
                await store.close();
            }
        });
    });
}
//# sourceMappingURL=pending-index.test.js.map