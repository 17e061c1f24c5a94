/**
 * Group commit for the embedded SQLite store. A SQLite commit writes its WAL frames and costs more
 * than the statements of a device update, so transactions that arrive in the same event-loop turn
 * share one BEGIN … COMMIT. Each runs in its own savepoint: one that fails is rolled back alone,
 * exactly as its own transaction would have been. Every caller is answered only after the shared
 * COMMIT, so nothing is acknowledged before it is durable.
 */
export class GroupCommit {
    db;
    exec;
    maxGroup;
    maxPerTurn;
    waiting = [];
    scheduled = false;
    constructor(db, 
    /** Runs one statement on the connection the transaction holds (savepoints, synchronously). */
    exec, maxGroup = 64, 
    /** Transactions committed per turn, in groups of maxGroup one after another. */
    maxPerTurn = 1024) {
        this.db = db;
        this.exec = exec;
        this.maxGroup = maxGroup;
        this.maxPerTurn = maxPerTurn;
    }
    run(fn) {
        return new Promise((resolve, reject) => {
            this.waiting.push({ fn, resolve: resolve, reject });
            this.schedule();
        });
    }
    schedule() {
        if (this.scheduled || this.waiting.length === 0)
            return;
        this.scheduled = true;
        // After the I/O callbacks of this turn: every request read from the sockets joins a group.
        // Taking one group a turn let a backlog grow without bound when more arrived per turn
        // (10,000 devices); taking all of it blocked the event loop for hundreds of milliseconds.
        setImmediate(() => void this.drain());
    }
    async drain() {
        const now = this.waiting.splice(0, this.maxPerTurn);
        try {
            for (let i = 0; i < now.length; i += this.maxGroup)
                await this.commit(now.slice(i, i + this.maxGroup));
        }
        finally {
            this.scheduled = false;
            this.schedule();
        }
    }
    async commit(group) {
        if (group.length === 1) {
            const only = group[0];
            return this.db.transaction().execute(only.fn).then(only.resolve, only.reject);
        }
        const outcomes = [];
        try {
            await this.db.transaction().execute(async (trx) => {
                for (const w of group) {
                    this.exec('savepoint member');
                    let value;
                    try {
                        value = await w.fn(trx);
                    }
                    catch (error) {
                        this.exec('rollback to member');
                        this.exec('release member');
                        outcomes.push({ ok: false, error });
                        continue;
                    }
                    this.exec('release member');
                    outcomes.push({ ok: true, value });
                }
            });
        }
        catch (error) {
            // The shared commit failed: none of the group is durable.
            for (const w of group)
                w.reject(error);
            return;
        }
        group.forEach((w, i) => {
            const o = outcomes[i];
            if (o.ok)
                w.resolve(o.value);
            else
                w.reject(o.error);
        });
    }
}
//# sourceMappingURL=group-commit.js.map