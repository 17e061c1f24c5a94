import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/harness.js';
import { Engine } from '../../src/workers/engine.js';
import { setTimer } from '../../src/store/timers.js';
// A storm of due timers must not stall the API: the clock POST's drain yields to the event loop
// between batches. On SQLite every query is synchronous, so without the yield no I/O callback (no
// request) runs until the whole drain is done (bench/timeouts.ts found a 1.8 s stall at 100k).
test('drain yields to the event loop between batches [sqlite]', async () => {
    const s = await startServer('sqlite', { clock: 'manual' });
    try {
        const { store, clock } = s.app;
        // Due a second after the clock, so the server's own worker (which has no handler for this kind) leaves them.
        const due = clock.now() + 1000;
        await store.tx(async (db) => {
            for (let i = 0; i < 500; i++)
                await setTimer(db, 'yieldtest', String(i), null, due);
        });
        let macrotaskRan = false;
        const seenInBatch = [];
        const worker = new Engine({
            store,
            clock,
            scope: { region: 'us-east-1', accountId: '000000000000' },
            deletionRate: 0,
            nodeId: 'yield-test',
            batchSize: 100,
            handlers: {
                yieldtest: async (_tx, timers) => {
                    seenInBatch.push(macrotaskRan);
                    assert.equal(timers.length, 100);
                },
            },
        });
        setImmediate(() => (macrotaskRan = true));
        await worker.drain(due);
        assert.equal(seenInBatch.length, 5, 'all 500 timers fired, in batches of 100');
        assert.equal(seenInBatch[0], false, 'the first batch runs before the macrotask');
        assert.equal(seenInBatch.at(-1), true, 'a macrotask ran between batches');
        const left = await store.db.selectFrom('timers').select('id').where('kind', '=', 'yieldtest').execute();
        assert.equal(left.length, 0);
    }
    finally {
        await s.close();
    }
});
// On SQLite a batch holds the API's one connection: with batchBudgetMs the batch size follows the
// measured cost per timer, so that a slow kind of timer comes in small batches (bench/timeouts.ts).
test('batch size follows the time budget [sqlite]', async () => {
    const s = await startServer('sqlite', { clock: 'manual' });
    try {
        const { store, clock } = s.app;
        const due = clock.now() + 1000;
        await store.tx(async (db) => {
            for (let i = 0; i < 2000; i++)
                await setTimer(db, 'slowtest', String(i), null, due);
        });
        const sizes = [];
        const fired = new Set();
        const worker = new Engine({
            store,
            clock,
            scope: { region: 'us-east-1', accountId: '000000000000' },
            deletionRate: 0,
            nodeId: 'budget-test',
            batchSize: 1000,
            batchBudgetMs: 5,
            handlers: {
                // 0.1 ms of CPU per timer: about 50 fit in the budget.
                slowtest: async (_tx, timers) => {
                    sizes.push(timers.length);
                    const c0 = process.cpuUsage();
                    const cpuMs = () => {
                        const c = process.cpuUsage(c0);
                        return (c.user + c.system) / 1000;
                    };
                    while (cpuMs() < timers.length * 0.1)
                        ;
                    for (const t of timers) {
                        assert.ok(!fired.has(t.ref), `timer ${t.ref} fired twice`);
                        fired.add(t.ref);
                    }
                },
            },
        });
        await worker.drain(due);
        assert.equal(fired.size, 2000, 'every timer fired once');
        assert.equal(sizes[0], 200, 'the first batch is the starting size');
        assert.ok(Math.max(...sizes.slice(1)) <= 50, `later batches fit the budget: ${sizes.join(',')}`);
        const left = await store.db.selectFrom('timers').select('id').where('kind', '=', 'slowtest').execute();
        assert.equal(left.length, 0);
    }
    finally {
        await s.close();
    }
});
//# sourceMappingURL=timer-drain-yield.test.js.map