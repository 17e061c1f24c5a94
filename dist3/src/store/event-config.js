import { EVENT_TYPES } from '../domain/event-types.js';
import { forUpdate } from './store.js';
const ROW = 'events';
/** How often a PostgreSQL node asks whether another node changed the settings. */
export const EVENT_CONFIG_POLL_MS = 1000;
function state(row) {
    const parsed = JSON.parse(row.enabled);
    const enabled = new Set(EVENT_TYPES.filter((t) => parsed[t] === true));
    return { enabled, version: Number(row.version), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}
/** The row, created on first use: everything off, created now (AWS does not say when; docs/compatibility.md). */
async function ensureRow(db, now) {
    await db
        .insertInto('event_config')
        .values({ name: ROW, enabled: '{}', version: 0, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
}
/**
 * The event configuration (UpdateEventConfigurations), stored in one versioned row and cached on
 * each node so that the event publisher's `isEnabled` is a Set lookup, never a query.
 *
 * Propagation: the node that changes the settings updates its cache when the change commits;
 * PostgreSQL nodes read the row's version every EVENT_CONFIG_POLL_MS (one primary-key read) and
 * reload the row when it moved, so another node follows within about a second. A SQLite data
 * directory has one server, which is always the node that changed it.
 */
export class EventConfig {
    store;
    clock;
    log;
    current = { enabled: new Set(), version: -1, createdAt: 0, updatedAt: 0 };
    timer;
    polling;
    constructor(store, clock, log) {
        this.store = store;
        this.clock = clock;
        this.log = log;
    }
    /** Loads the settings and, on PostgreSQL, starts following other nodes' changes. */
    static async open(store, clock, log) {
        const c = new EventConfig(store, clock, log);
        await c.refresh();
        if (store.dialect === 'postgres') {
            c.timer = setInterval(() => {
                c.polling ??= c
                    .refresh()
                    .catch((err) => c.log?.warn({ err: err.message }, 'event configuration refresh failed; keeping the cached one'))
                    .finally(() => (c.polling = undefined));
            }, EVENT_CONFIG_POLL_MS);
            c.timer.unref();
        }
        return c;
    }
    /** Whether events of this type are published now (cached; see the class comment for how fresh). */
    isEnabled(type) {
        return this.current.enabled.has(type);
    }
    /** Reads the row's version and reloads the row if another node changed it. */
    async refresh() {
        const v = await this.store.db.selectFrom('event_config').select('version').where('name', '=', ROW).executeTakeFirst();
        if (v === undefined || Number(v.version) === this.current.version)
            return;
        const row = await this.store.db.selectFrom('event_config').selectAll().where('name', '=', ROW).executeTakeFirst();
        if (row)
            this.adopt(state(row));
    }
    /** DescribeEventConfigurations: the stored settings (the row is created, all off, on a fresh store). */
    async describe() {
        const row = await this.store.db.selectFrom('event_config').selectAll().where('name', '=', ROW).executeTakeFirst();
        if (row)
            return this.adopt(state(row));
        await this.store.tx((db) => ensureRow(db, this.clock.now()));
        return this.adopt(state(await this.store.db.selectFrom('event_config').selectAll().where('name', '=', ROW).executeTakeFirstOrThrow()));
    }
    /** UpdateEventConfigurations: the types named take the value given; the others keep theirs. */
    async update(changes) {
        const next = await this.store.tx(async (db) => {
            await ensureRow(db, this.clock.now());
            const row = await forUpdate(db, db.selectFrom('event_config').selectAll().where('name', '=', ROW)).executeTakeFirstOrThrow();
            const enabled = {};
            for (const t of state(row).enabled)
                enabled[t] = true;
            for (const [t, on] of Object.entries(changes)) {
                if (on)
                    enabled[t] = true;
                else
                    delete enabled[t];
            }
            const updated = { enabled: JSON.stringify(enabled), version: Number(row.version) + 1, created_at: row.created_at, updated_at: this.clock.now() };
            await db.updateTable('event_config').set({ enabled: updated.enabled, version: updated.version, updated_at: updated.updated_at }).where('name', '=', ROW).execute();
            return state(updated);
        });
        return this.adopt(next);
    }
    /** Keeps the newest version seen: a slower reader never puts an older one back. */
    adopt(s) {
        if (s.version > this.current.version)
            this.current = s;
        return s;
    }
    close() {
        if (this.timer)
            clearInterval(this.timer);
    }
}
//# sourceMappingURL=event-config.js.map