import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/harness.js';
import { TimerWorker } from '../../src/workers/timer-worker.js';
import { setTimer } from '../../src/store/timers.js';

// A storm of due timers must not stall the API: the clock POST's drain yields to the event loop
// between batches. On SQLite every query is synchronous, so without the yield no I/O callback (no
// request) runs until the whole drain is done (bench/timeouts.ts found a 1.8 s stall at 100k).
test('drain yields to the event loop between batches [sqlite]', async () => {
  const s = await startServer('sqlite', { clock: 'manual' });
  try {
    const { store, clock, events } = s.app;
    // Due a second after the clock, so the server's own worker (which has no handler for this kind) leaves them.
    const due = clock.now() + 1000;
    await store.tx(async (db) => {
      for (let i = 0; i < 500; i++) await setTimer(db, 'yieldtest', String(i), null, due);
    });
    let macrotaskRan = false;
    const seenInBatch: boolean[] = [];
    const worker = new TimerWorker({
      store,
      clock,
      events,
      nodeId: 'yield-test',
      batchSize: 100,
      handlers: {
        yieldtest: async (_db, timers) => {
          seenInBatch.push(macrotaskRan);
          assert.equal(timers.length, 100);
          return { things: [] };
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
  } finally {
    await s.close();
  }
});
