import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrate } from './migrations.js';
import { ALL_EVENTS_OFF, Tx } from './tx.js';
import { GroupCommit } from './group-commit.js';
import { Checkpointer } from './checkpointer.js';
/**
 * A row changed between the transaction's read and its conditional write (another transaction
 * committed first). tx() runs the whole transaction again, which then reads the new row and
 * decides as single-threaded code would.
 */
export class StaleRead extends Error {
    constructor(what) {
        super(`${what} changed concurrently`);
        this.name = 'StaleRead';
    }
}
/** PostgreSQL's serialization_failure, deadlock_detected and unique_violation (a racing insert). */
const RETRYABLE_CODES = new Set(['40001', '40P01', '23505']);
const MAX_TX_ATTEMPTS = 12;
export function isRetryable(err) {
    return err instanceof StaleRead || RETRYABLE_CODES.has(err?.code ?? '');
}
/** True for a PostgreSQL connection or transaction (row locks needed; SQLite serialises writers). */
export const isPostgres = (db) => db.getExecutor().adapter instanceof PostgresAdapter;
/** A select that row-locks what it reads until the transaction ends, on PostgreSQL. */
export const forUpdate = (db, qb) => (isPostgres(db) ? qb.forUpdate() : qb);
/**
 * The one store: Kysely over better-sqlite3 (embedded) or pg (scale-out). Operations run their
 * reads and writes inside `tx`. Where the dialects differ, the twin statements sit side by side.
 */
export class Store {
    dialect;
    db;
    onClose;
    group;
    /** Where a lifecycle transaction's after-commit effects go (app.ts wires the notifier and the engine). */
    effects;
    /** Which event types transitions write to the outbox (app.ts wires the stored configuration). */
    eventSwitch = ALL_EVENTS_OFF;
    /** Region and account of the service (app.ts), for the ARNs in events. */
    scope;
    constructor(dialect, db, onClose, group) {
        this.dialect = dialect;
        this.db = db;
        this.onClose = onClose;
        this.group = group;
    }
    static async open(opts) {
        const store = opts.databaseUrl ? await openPostgres(opts) : openSqlite(opts);
        await migrate(store.db, store.dialect, opts.migrateTo);
        return store;
    }
    /**
     * One transaction. On SQLite it may share its commit with others of the same turn
     * (group-commit.ts); an `urgent` one runs at once instead, ahead of those waiting.
     */
    async tx(fn, opts = {}) {
        // A transaction that lost a race (StaleRead, a deadlock, a duplicate insert) is rolled back
        // and run again from the start, so the caller sees the answer of a serial execution.
        for (let attempt = 1;; attempt++) {
            try {
                return await (this.group && !opts.urgent ? this.group.run(fn) : this.db.transaction().execute(fn));
            }
            catch (err) {
                if (attempt >= MAX_TX_ATTEMPTS || !isRetryable(err))
                    throw err;
                // A little jitter, so that the losers of one race do not collide again in lockstep.
                await sleep(Math.random() * 2 * attempt);
            }
        }
    }
    /**
     * A transaction of the lifecycle (tx.ts): it knows which jobs it has locked and collects what is
     * owed after COMMIT (notifications, wake-ups), which it publishes once the commit is done. A
     * transaction that runs again starts with nothing owed.
     */
    async run(fn, opts = {}) {
        let last;
        const out = await this.tx((db) => fn((last = new Tx(db, this.dialect, this.eventSwitch, this.scope))), opts);
        if (this.effects)
            last?.publish(this.effects);
        return out;
    }
    /** Sets where run()'s after-commit effects go. */
    publishTo(effects) {
        this.effects = effects;
    }
    /** Row lock for read-modify-write; SQLite serialises writers already. */
    lock(qb) {
        return forUpdate(this.db, qb);
    }
    /** Serialises DeleteJob calls across nodes so the limit of concurrent deletions holds. */
    async lockDeletionSlots(trx) {
        if (this.dialect === 'postgres')
            await sql `select pg_advisory_xact_lock(7320001)`.execute(trx);
    }
    /**
     * PostgreSQL only: ANALYZE a table whose statistics lag far behind its contents (a group of 1M
     * things registered a moment ago). Stale counts make the planner sort a whole group for every
     * fan-out batch instead of walking the index, which turns the fan-out quadratic.
     */
    async freshenStats(table) {
        if (this.dialect !== 'postgres')
            return;
        const { rows } = await sql `
      select n_mod_since_analyze > 1000 + n_live_tup / 10 as stale
      from pg_stat_user_tables where relname = ${table} and schemaname = current_schema()`.execute(this.db);
        if (rows[0]?.stale)
            await sql `analyze ${sql.table(table)}`.execute(this.db);
    }
    async ping() {
        try {
            await sql `select 1`.execute(this.db);
            return true;
        }
        catch {
            return false;
        }
    }
    close() {
        return this.onClose();
    }
    /** Test helper and constructor for both dialects. */
    static wrap(dialect, db, onClose, group) {
        return new Store(dialect, db, onClose, group);
    }
}
const STATEMENT_CACHE_MAX = 2000;
function openSqlite(opts) {
    mkdirSync(opts.dataDir, { recursive: true });
    const file = join(opts.dataDir, 'iot-jobs.sqlite');
    const raw = new Database(file);
    // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only an OS crash
    // or power loss could lose the last commits.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma('foreign_keys = OFF');
    const checkpointer = new Checkpointer(raw, file);
    // Kysely prepares every query anew; keep prepared statements, keyed by SQL text.
    const cache = new Map();
    const database = {
        prepare(text) {
            let stmt = cache.get(text);
            if (!stmt) {
                if (cache.size >= STATEMENT_CACHE_MAX)
                    cache.clear();
                stmt = raw.prepare(text);
                cache.set(text, stmt);
            }
            return stmt;
        },
        close() {
            raw.close();
        },
    };
    const db = new Kysely({ dialect: new SqliteDialect({ database: database }) });
    const group = new GroupCommit(db, (statement) => database.prepare(statement).run());
    return Store.wrap('sqlite', db, async () => {
        await checkpointer.stop();
        await db.destroy();
    }, group);
}
// int8 and numeric come back as strings by default; every number we store fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));
async function openPostgres(opts) {
    if (opts.schema) {
        const client = new pg.Client({ connectionString: opts.databaseUrl });
        await client.connect();
        try {
            await client.query(`create schema if not exists "${opts.schema.replace(/"/g, '""')}"`);
        }
        finally {
            await client.end();
        }
    }
    const pool = new pg.Pool({
        connectionString: opts.databaseUrl,
        max: opts.poolSize ?? 10,
        connectionTimeoutMillis: 5000,
        ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the next query fails instead.
    pool.on('error', () => { });
    // A checked-out client that loses its connection emits 'error' too; its query fails on its own.
    pool.on('connect', (client) => client.on('error', () => { }));
    const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
    return Store.wrap('postgres', db, () => db.destroy());
}
/**
 * A row limit written into the SQL text instead of bound. SQLite re-prepares a statement on every
 * run when its LIMIT is a bound parameter (measured: 6–25 µs a query), which defeats the statement
 * cache; the limits we use are few distinct integers, so each stays one cached statement.
 */
export function rowLimit(n) {
    if (!Number.isSafeInteger(n) || n < 0)
        throw new RangeError(`row limit ${n} is not a non-negative integer`);
    return sql.lit(n);
}
/** The text value of one key of a JSON text column, in the store's dialect. */
export function jsonText(dialect, column, key) {
    return dialect === 'postgres'
        ? sql `(${sql.ref(column)}::jsonb ->> ${key})`
        : sql `json_extract(${sql.ref(column)}, ${'$."' + key.replace(/"/g, '') + '"'})`;
}
/**
 * A list of integer ids as one statement argument (see `inIds`): one statement text for any
 * length, so the statement cache holds it and no statement is cut into chunks of parameters.
 */
export const idsArg = (dialect, ids) => (dialect === 'postgres' ? ids : JSON.stringify(ids));
/** `column` is one of the ids passed with `idsArg`: json_each on SQLite, an array on PostgreSQL. */
export function inIds(db, column, ids) {
    return isPostgres(db) ? sql `${sql.ref(column)} = any(cast(${ids} as bigint[]))` : sql `${sql.ref(column)} in (select value from json_each(${ids}))`;
}
//# sourceMappingURL=store.js.map