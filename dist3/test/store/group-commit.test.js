import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../src/store/store.js';
const addThing = (db, name) => db.insertInto('things').values({ thing_name: name, thing_id: name, thing_type_name: null, attributes: '{}', version: 1, created_at: 0 }).execute();
test('SQLite group commit: transactions of one turn share a commit, each fails alone, none is answered before the commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-group-'));
    const store = await Store.open({ dataDir: dir });
    // A second connection sees only what is committed.
    const other = new Database(join(dir, 'iot-jobs.sqlite'), { readonly: true });
    const committed = (name) => other.prepare('select count(*) as n from things where thing_name = ?').get(name);
    try {
        const seenInsideB = [];
        const seenWhenAnswered = {};
        const a = store.tx(async (db) => {
            await addThing(db, 'a');
            return 'a done';
        });
        const b = store.tx(async (db) => {
            seenInsideB.push(committed('a').n);
            await addThing(db, 'b');
            throw new Error('b fails after writing');
        });
        const c = store.tx(async (db) => {
            await addThing(db, 'c');
            return 'c done';
        });
        void a.then(() => (seenWhenAnswered.a = committed('a').n));
        void c.then(() => (seenWhenAnswered.c = committed('c').n));
        assert.equal(await a, 'a done');
        await assert.rejects(b, /b fails after writing/);
        assert.equal(await c, 'c done');
        // b ran inside the same transaction as a, before it was committed.
        assert.deepEqual(seenInsideB, [0]);
        // a and c were answered only once their writes were durable.
        assert.deepEqual(seenWhenAnswered, { a: 1, c: 1 });
        // b's own write was rolled back, the others stayed.
        assert.deepEqual([committed('a').n, committed('b').n, committed('c').n], [1, 0, 1]);
        // A transaction of a later turn commits on its own and sees the earlier ones.
        const names = await store.tx(async (db) => (await db.selectFrom('things').select('thing_name').orderBy('thing_name').execute()).map((r) => r.thing_name));
        assert.deepEqual(names, ['a', 'c']);
    }
    finally {
        other.close();
        await store.close();
    }
});
//# sourceMappingURL=group-commit.test.js.map