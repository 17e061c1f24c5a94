import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
/** Another server already serves this data directory (CLI: one line, exit 2). */
export class DataDirLockedError extends Error {
    code = 'EDATADIRLOCKED';
}
/**
 * One SQLite data directory serves one server: two would each run a worker and a broker over the
 * same file, and devices of one would miss the other's notifications. The lock is an exclusive
 * SQLite transaction on a file of its own, that is an OS file lock, so the OS releases it when the
 * process dies, kill -9 included. Returns the release.
 */
export function lockDataDir(dir) {
    mkdirSync(dir, { recursive: true });
    const lock = new Database(join(dir, 'server.lock'));
    try {
        lock.pragma('locking_mode = EXCLUSIVE');
        lock.exec('BEGIN EXCLUSIVE');
    }
    catch (err) {
        lock.close();
        if (err.code === 'SQLITE_BUSY')
            throw new DataDirLockedError(`data directory ${dir} is in use by another iot-jobs server`);
        throw err;
    }
    return () => lock.close();
}
//# sourceMappingURL=data-dir-lock.js.map