import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
/** WAL frames after which the writer checkpoints itself: the fallback if the thread falls behind. */
const FALLBACK_PAGES = 10_000;
/** The thread's polls: while the WAL moves, and when it is idle. */
const FAST_MS = 50;
const SLOW_MS = 1000;
/**
 * WAL checkpoints on a thread of their own, for the embedded store. SQLite's automatic
 * checkpoint runs inside the COMMIT that crosses wal_autocheckpoint (1,000 pages), on the event
 * loop: copying the frames into the database file and its fsync were half the commit time of a
 * bulk cancel (docs/benchmarks.md, abort). The thread runs PASSIVE checkpoints, which never block
 * the writer; the writer keeps an automatic checkpoint at FALLBACK_PAGES in case it lags or dies.
 */
export class Checkpointer {
    worker;
    exited;
    constructor(raw, file) {
        raw.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
        this.worker = new Worker(new URL('./checkpoint-thread.js', import.meta.url), { workerData: { file, fastMs: FAST_MS, slowMs: SLOW_MS } });
        // An unclosed store must not keep the process alive, nor a failed thread take it down: the
        // writer's own checkpoint goes on either way.
        this.worker.unref();
        this.worker.on('error', () => { });
        this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    }
    /** Stops the thread and waits for it to close its connection (before the writer closes its own). */
    async stop() {
        // Referenced again: the caller awaits its exit.
        this.worker.ref();
        this.worker.postMessage('stop');
        await Promise.race([this.exited, sleep(5000, undefined, { ref: false }).then(() => this.worker.terminate())]);
    }
}
//# sourceMappingURL=checkpointer.js.map