/**
 * The checkpointer's thread (checkpointer.ts): PASSIVE checkpoints of the WAL on a connection of
 * its own. A passive checkpoint never blocks the writer; one that finds the writer busy simply
 * copies less, and the next one goes on. It polls quickly while the WAL grows and slowly when idle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
const { file, fastMs, slowMs } = workerData;
const db = new Database(file);
db.pragma('busy_timeout = 0');
let timer;
let stopped = false;
let before = '';
function checkpoint() {
    let moved = false;
    try {
        // One row: busy, frames in the WAL, frames copied into the database file.
        const [r] = db.pragma('wal_checkpoint(PASSIVE)');
        const now = r ? `${r.log}/${r.checkpointed}` : '';
        moved = now !== before;
        before = now;
    }
    catch {
        // SQLITE_BUSY (another checkpoint, or a recovery): the next round does it.
        moved = true;
    }
    if (!stopped)
        timer = setTimeout(checkpoint, moved ? fastMs : slowMs);
}
parentPort.on('message', () => {
    stopped = true;
    clearTimeout(timer);
    db.close();
    parentPort.close();
});
timer = setTimeout(checkpoint, fastMs);
//# sourceMappingURL=checkpoint-thread.js.map