const ROW = 'manual';
/**
 * The manual clock, kept in the store: a restart does not fall back to real time, and the nodes of
 * a PostgreSQL service share one time. now() is synchronous, so each node caches the stored time
 * and refreshes it before every request and every worker step (refresh()). The time only grows.
 */
export class StoredClock {
    store;
    t = 0;
    constructor(store) {
        this.store = store;
    }
    /** Loads the stored time; the first start of a store begins at the real current time. */
    static async open(store) {
        const c = new StoredClock(store);
        await store.db.insertInto('clock_state').values({ name: ROW, now_ms: Date.now() }).onConflict((oc) => oc.column('name').doNothing()).execute();
        await c.refresh();
        return c;
    }
    /** The stored manual time, if this store ever ran on the manual clock; read only. */
    static async stored(store) {
        const row = await store.db.selectFrom('clock_state').select('now_ms').where('name', '=', ROW).executeTakeFirst();
        return row ? Number(row.now_ms) : undefined;
    }
    now() {
        return this.t;
    }
    async refresh() {
        const row = await this.store.db.selectFrom('clock_state').select('now_ms').where('name', '=', ROW).executeTakeFirstOrThrow();
        this.t = Math.max(this.t, Number(row.now_ms));
        return this.t;
    }
    /**
     * Moves the clock to `to(current)`; `to` returns undefined (or throws) to refuse. One
     * conditional UPDATE, so two nodes moving it at once each move it from the time they read.
     */
    async move(to) {
        for (;;) {
            const current = await this.refresh();
            const next = to(current);
            const r = await this.store.db
                .updateTable('clock_state')
                .set({ now_ms: next })
                .where('name', '=', ROW)
                .where('now_ms', '=', current)
                .executeTakeFirst();
            if (Number(r.numUpdatedRows) === 1) {
                this.t = Math.max(this.t, next);
                return this.t;
            }
        }
    }
}
//# sourceMappingURL=clock.js.map