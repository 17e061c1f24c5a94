import { CompiledQuery, type Compilable, type Kysely, type QueryResult, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from './schema.js';

// store.ts's Db, spelt here: the outbox (written by tx.ts, which store.ts builds) prepares its insert too.
type Db = Kysely<DB> | Transaction<DB>;

/** Marks where an argument goes in a statement built once. */
class Slot {
  constructor(readonly name: string) {}
}

type Arg<A> = <K extends keyof A & string>(name: K) => A[K];
type Build<A, R> = (db: Db, arg: Arg<A>) => Compilable<R> | RawBuilder<R>;

function compiled<A extends object, R>(build: Build<A, R>): (db: Db, args: A) => Promise<QueryResult<R>> {
  // Keyed by the dialect's adapter (shared by a Kysely instance and its transactions).
  const byAdapter = new WeakMap<object, { sql: string; parameters: readonly unknown[] }>();
  return (db, args) => {
    const adapter = db.getExecutor().adapter;
    let c = byAdapter.get(adapter);
    if (!c) {
      // A raw `sql` query compiles against a db; a query builder ignores the argument.
      const query = build(db, (name) => new Slot(name) as never) as RawBuilder<R>;
      c = query.compile(db);
      byAdapter.set(adapter, c);
    }
    const parameters = c.parameters.map((p) => (p instanceof Slot ? args[p.name as keyof A] : p));
    return db.executeQuery<R>(CompiledQuery.raw(c.sql, parameters));
  };
}

/**
 * A statement built and compiled with Kysely once per dialect, then run with new arguments.
 * On the device hot path, building and compiling a query cost more than SQLite's own work
 * (docs/benchmarks.md). `build` puts `arg('name')` wherever a value of `args` goes; values
 * written directly into the builder stay constant.
 */
export function prepared<A extends object, R>(build: Build<A, R>): (db: Db, args: A) => Promise<R[]> {
  const run = compiled(build);
  return async (db, args) => (await run(db, args)).rows;
}

/** `prepared` for an UPDATE or DELETE: resolves with the number of rows it changed. */
export function preparedWrite<A extends object>(build: Build<A, unknown>): (db: Db, args: A) => Promise<number> {
  const run = compiled(build);
  return async (db, args) => Number((await run(db, args)).numAffectedRows ?? 0);
}
