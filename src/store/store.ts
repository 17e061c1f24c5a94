import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DB, DialectName } from './schema.js';
import { migrate } from './migrations.js';
import { ALL_EVENTS_OFF, Tx, type Effects, type EventSwitch, type Listened } from './tx.js';
import { GroupCommit } from './group-commit.js';
import { Checkpointer } from './checkpointer.js';

export type { DialectName };
/** A connection or a transaction: store functions take either. */
export type Db = Kysely<DB> | Transaction<DB>;

/**
 * A row changed between the transaction's read and its conditional write (another transaction
 * committed first). tx() runs the whole transaction again, which then reads the new row and
 * decides as single-threaded code would.
 */
export class StaleRead extends Error {
  constructor(what: string) {
    super(`${what} changed concurrently`);
    this.name = 'StaleRead';
  }
}

/** PostgreSQL's serialization_failure, deadlock_detected and unique_violation (a racing insert). */
const RETRYABLE_CODES = new Set(['40001', '40P01', '23505']);
const MAX_TX_ATTEMPTS = 12;

export function isRetryable(err: unknown): boolean {
  return err instanceof StaleRead || RETRYABLE_CODES.has((err as { code?: string } | null)?.code ?? '');
}

/** True for a PostgreSQL connection or transaction (row locks needed; SQLite serialises writers). */
export const isPostgres = (db: Db): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** A select that row-locks what it reads until the transaction ends, on PostgreSQL. */
export const forUpdate = <QB extends SelectQueryBuilder<DB, keyof DB, object>>(db: Db, qb: QB): QB => (isPostgres(db) ? (qb.forUpdate() as QB) : qb);

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  poolSize?: number;
  /** PostgreSQL schema to use (created if missing); lets test runs stay apart. */
  schema?: string | undefined;
  /** Migrate only this far (tests of an upgrade); the latest version when absent. */
  migrateTo?: string;
}

/**
 * The one store: Kysely over better-sqlite3 (embedded) or pg (scale-out). Operations run their
 * reads and writes inside `tx`. Where the dialects differ, the twin statements sit side by side.
 */
export class Store {
  /** Where a lifecycle transaction's after-commit effects go (app.ts wires the notifier and the engine). */
  private effects: Effects | undefined;
  /** Which event types transitions write to the outbox (app.ts wires the stored configuration). */
  eventSwitch: EventSwitch = ALL_EVENTS_OFF;
  /** Whether anyone could receive an event's topic (the embedded broker's subscribers); the always-on events ask it. */
  listened: Listened = () => true;
  /** Region and account of the service (app.ts), for the ARNs in events. */
  scope: { region: string; accountId: string } | undefined;

  private constructor(
    readonly dialect: DialectName,
    readonly db: Kysely<DB>,
    private readonly onClose: () => Promise<void>,
    private readonly group?: GroupCommit<DB>,
  ) {}

  static async open(opts: StoreOptions): Promise<Store> {
    const store = opts.databaseUrl ? await openPostgres(opts) : openSqlite(opts);
    await migrate(store.db as Kysely<unknown>, store.dialect, opts.migrateTo);
    return store;
  }

  /**
   * One transaction. On SQLite it may share its commit with others of the same turn
   * (group-commit.ts); an `urgent` one runs at once instead, ahead of those waiting.
   */
  async tx<T>(fn: (trx: Transaction<DB>) => Promise<T>, opts: { urgent?: boolean } = {}): Promise<T> {
    // A transaction that lost a race (StaleRead, a deadlock, a duplicate insert) is rolled back
    // and run again from the start, so the caller sees the answer of a serial execution.
    for (let attempt = 1; ; attempt++) {
      try {
        return await (this.group && !opts.urgent ? this.group.run(fn) : this.db.transaction().execute(fn));
      } catch (err) {
        if (attempt >= MAX_TX_ATTEMPTS || !isRetryable(err)) throw err;
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
  async run<T>(fn: (tx: Tx) => Promise<T>, opts: { urgent?: boolean } = {}): Promise<T> {
    let last: Tx | undefined;
    const out = await this.tx((db) => fn((last = new Tx(db, this.dialect, this.eventSwitch, this.scope, this.listened))), opts);
    if (this.effects) last?.publish(this.effects);
    return out;
  }

  /** Sets where run()'s after-commit effects go. */
  publishTo(effects: Effects): void {
    this.effects = effects;
  }

  /** Row lock for read-modify-write; SQLite serialises writers already. */
  lock<QB extends SelectQueryBuilder<DB, keyof DB, object>>(qb: QB): QB {
    return forUpdate(this.db, qb);
  }

  /** Serialises DeleteJob calls across nodes so the limit of concurrent deletions holds. */
  async lockDeletionSlots(trx: Transaction<DB>): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(7320001)`.execute(trx);
  }

  /**
   * PostgreSQL only: ANALYZE a table whose statistics lag far behind its contents (a group of 1M
   * things registered a moment ago). Stale counts make the planner sort a whole group for every
   * fan-out batch instead of walking the index, which turns the fan-out quadratic.
   */
  async freshenStats(table: 'group_members' | 'job_executions'): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const { rows } = await sql<{ stale: boolean }>`
      select n_mod_since_analyze > 1000 + n_live_tup / 10 as stale
      from pg_stat_user_tables where relname = ${table} and schemaname = current_schema()`.execute(this.db);
    if (rows[0]?.stale) await sql`analyze ${sql.table(table)}`.execute(this.db);
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /** Test helper and constructor for both dialects. */
  static wrap(dialect: DialectName, db: Kysely<DB>, onClose: () => Promise<void>, group?: GroupCommit<DB>): Store {
    return new Store(dialect, db, onClose, group);
  }
}

const STATEMENT_CACHE_MAX = 2000;

function openSqlite(opts: StoreOptions): Store {
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
  const cache = new Map<string, Database.Statement>();
  const database = {
    prepare(text: string) {
      let stmt = cache.get(text);
      if (!stmt) {
        if (cache.size >= STATEMENT_CACHE_MAX) cache.clear();
        stmt = raw.prepare(text);
        cache.set(text, stmt);
      }
      return stmt;
    },
    close() {
      raw.close();
    },
  };
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: database as unknown as Database.Database }) });
  const group = new GroupCommit(db, (statement) => database.prepare(statement).run());
  return Store.wrap(
    'sqlite',
    db,
    async () => {
      await checkpointer.stop();
      await db.destroy();
    },
    group,
  );
}

// int8 and numeric come back as strings by default; every number we store fits in a double.
pg.types.setTypeParser(20, (v) => Number(v));

async function openPostgres(opts: StoreOptions): Promise<Store> {
  if (opts.schema) {
    const client = new pg.Client({ connectionString: opts.databaseUrl });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${opts.schema.replace(/"/g, '""')}"`);
    } finally {
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
  pool.on('error', () => {});
  // A checked-out client that loses its connection emits 'error' too; its query fails on its own.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return Store.wrap('postgres', db, () => db.destroy());
}

/**
 * A row limit written into the SQL text instead of bound. SQLite re-prepares a statement on every
 * run when its LIMIT is a bound parameter (measured: 6–25 µs a query), which defeats the statement
 * cache; the limits we use are few distinct integers, so each stays one cached statement.
 */
export function rowLimit(n: number) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`row limit ${n} is not a non-negative integer`);
  return sql.lit(n);
}

/** The text value of one key of a JSON text column, in the store's dialect. */
export function jsonText(dialect: DialectName, column: string, key: string) {
  return dialect === 'postgres'
    ? sql<string>`(${sql.ref(column)}::jsonb ->> ${key})`
    : sql<string>`json_extract(${sql.ref(column)}, ${'$."' + key.replace(/"/g, '') + '"'})`;
}

/**
 * A list of integer ids as one statement argument (see `inIds`): one statement text for any
 * length, so the statement cache holds it and no statement is cut into chunks of parameters.
 */
export const idsArg = (dialect: DialectName, ids: number[]): unknown => (dialect === 'postgres' ? ids : JSON.stringify(ids));

/** `column` is one of the ids passed with `idsArg`: json_each on SQLite, an array on PostgreSQL. */
export function inIds(db: Db, column: string, ids: unknown) {
  return isPostgres(db) ? sql<boolean>`${sql.ref(column)} = any(cast(${ids} as bigint[]))` : sql<boolean>`${sql.ref(column)} in (select value from json_each(${ids}))`;
}
