import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../src/store/store.js';
import { eventually } from '../support/harness.js';
test('sqlite: the WAL is checkpointed by the thread, not by the commits, and close waits for the thread', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iot-jobs-ckpt-'));
    const file = join(dataDir, 'iot-jobs.sqlite');
    const store = await Store.open({ dataDir });
    try {
        // Let the thread copy the migrations in, then note the database file's size.
        await new Promise((r) => setTimeout(r, 1500));
        const before = statSync(file).size;
        // ≈ 8 MB, ≈ 2,000 pages: far below the writer's own checkpoint at 10,000 pages, so only the
        // thread can have moved it into the database file.
        const attributes = JSON.stringify({ pad: 'x'.repeat(4000) });
        for (let t = 0; t < 20; t++)
            await store.tx((db) => db
                .insertInto('things')
                .values(Array.from({ length: 100 }, (_, i) => ({ thing_name: `ckpt-${t}-${i}`, thing_id: `id-${t}-${i}`, thing_type_name: null, attributes, version: 1, created_at: 0 })))
                .execute());
        const walPages = Math.round(statSync(`${file}-wal`).size / 4096);
        assert.ok(walPages < 10_000, `the WAL reached ${walPages} pages`);
        const grown = await eventually(async () => {
            const size = statSync(file).size;
            return size - before > 6_000_000 && size;
        }, 10_000, 'the database file to take the WAL in');
        assert.ok(grown > before);
    }
    finally {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
    }
    // After close, nothing of the thread keeps the process (node --test would time out).
});
//# sourceMappingURL=checkpointer.test.js.map