import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { Store, StaleRead } from '../../src/store/store.js';
import { createDispatch } from '../../src/operations/index.js';
import { ServiceError } from '../../src/errors.js';
import { BACKENDS, PG_URL, dropSchema, freshSchema } from '../support/harness.js';
/** A store of its own on the backend, removed afterwards. */
async function withStore(backend, fn) {
    const dataDir = mkdtempSync(join(tmpdir(), 'iot-jobs-retry-'));
    const schema = backend === 'postgres' ? freshSchema() : undefined;
    const store = await Store.open({ dataDir, databaseUrl: schema ? PG_URL : undefined, schema });
    try {
        await fn(store);
    }
    finally {
        await store.close();
        if (schema)
            await dropSchema(schema);
        rmSync(dataDir, { recursive: true, force: true });
    }
}
for (const backend of BACKENDS) {
    test(`store.tx [${backend}]: a transaction that lost a race runs again; one that keeps losing gives up, and the client is told to retry`, async () => {
        await withStore(backend, async (store) => {
            let runs = 0;
            const value = await store.tx(async () => {
                if (++runs < 3)
                    throw new StaleRead('a row');
                return 'done';
            });
            assert.equal(value, 'done');
            assert.equal(runs, 3);
            runs = 0;
            await assert.rejects(store.tx(async () => {
                runs++;
                throw new StaleRead('a row');
            }), StaleRead);
            assert.equal(runs, 12, 'gives up after 12 runs');
            // Other errors are not run again.
            runs = 0;
            await assert.rejects(store.tx(async () => {
                runs++;
                throw new Error('bug');
            }), /bug/);
            assert.equal(runs, 1);
            const ctx = { store };
            const dispatch = createDispatch(ctx, { iot: { Losing: async () => store.tx(async () => Promise.reject(new StaleRead('a row'))) }, 'iot-jobs-data': {} });
            const err = await dispatch('iot', 'Losing', {}).then(() => undefined, (e) => e);
            assert.ok(err instanceof ServiceError);
            assert.equal(err.code, 'ThrottlingException');
        });
    });
}
if (BACKENDS.includes('postgres'))
    test('store.tx [postgres]: of two transactions that deadlock, the one PostgreSQL aborts runs again and both commit', async () => {
        await withStore('postgres', async (store) => {
            await sql `create table pair (id int primary key, n int not null)`.execute(store.db);
            await sql `insert into pair values (1, 0), (2, 0)`.execute(store.db);
            let runs = 0;
            // Both hold their first row before either asks for its second: a deadlock on the first try.
            let arrived = 0;
            let release;
            const bothHoldOne = new Promise((r) => (release = r));
            const cross = (first, second) => store.tx(async (db) => {
                const attempt = ++runs;
                await sql `update pair set n = n + 1 where id = ${first}`.execute(db);
                if (attempt <= 2) {
                    if (++arrived === 2)
                        release();
                    await bothHoldOne;
                }
                await sql `update pair set n = n + 1 where id = ${second}`.execute(db);
            }, { urgent: true });
            await Promise.all([cross(1, 2), cross(2, 1)]);
            assert.equal(runs, 3, 'one of the two ran again');
            const { rows } = await sql `select n from pair order by id`.execute(store.db);
            assert.deepEqual(rows.map((r) => r.n), [2, 2], 'each committed once');
        });
    });
//# sourceMappingURL=retry.test.js.map