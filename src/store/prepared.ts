import { CompiledQuery, type Compilable, type RawBuilder } from 'kysely';
import type { Db } from './store.js';

/** Marks where an argument goes in a statement built once. */
class Slot {
  constructor(readonly name: string) {}
}

type Arg<A> = <K extends keyof A & string>(name: K) => A[K];

/**
 * A statement built and compiled with Kysely once per dialect, then run with new arguments.
 * On the device hot path, building and compiling a query cost more than SQLite's own work
 * (docs/benchmarks.md). `build` puts `arg('name')` wherever a value of `args` goes; values
 * written directly into the builder stay constant.
 */
export function prepared<A extends object, R>(build: (db: Db, arg: Arg<A>) => Compilable<R> | RawBuilder<R>): (db: Db, args: A) => Promise<R[]> {
  // Keyed by the dialect's adapter (shared by a Kysely instance and its transactions).
  const compiled = new WeakMap<object, { sql: string; parameters: readonly unknown[] }>();
  return async (db, args) => {
    const adapter = db.getExecutor().adapter;
    let c = compiled.get(adapter);
    if (!c) {
      // A raw `sql` query compiles against a db; a query builder ignores the argument.
      const query = build(db, (name) => new Slot(name) as never) as RawBuilder<R>;
      c = query.compile(db);
      compiled.set(adapter, c);
    }
    const parameters = c.parameters.map((p) => (p instanceof Slot ? args[p.name as keyof A] : p));
    const { rows } = await db.executeQuery<R>(CompiledQuery.raw(c.sql, parameters));
    return rows;
  };
}
