import { CompiledQuery } from 'kysely';
/** Marks where an argument goes in a statement built once. */
class Slot {
    name;
    constructor(name) {
        this.name = name;
    }
}
function compiled(build) {
    // Keyed by the dialect's adapter (shared by a Kysely instance and its transactions).
    const byAdapter = new WeakMap();
    return (db, args) => {
        const adapter = db.getExecutor().adapter;
        let c = byAdapter.get(adapter);
        if (!c) {
            // A raw `sql` query compiles against a db; a query builder ignores the argument.
            const query = build(db, (name) => new Slot(name));
            c = query.compile(db);
            byAdapter.set(adapter, c);
        }
        const parameters = c.parameters.map((p) => (p instanceof Slot ? args[p.name] : p));
        return db.executeQuery(CompiledQuery.raw(c.sql, parameters));
    };
}
/**
 * A statement built and compiled with Kysely once per dialect, then run with new arguments.
 * On the device hot path, building and compiling a query cost more than SQLite's own work
 * (docs/benchmarks.md). `build` puts `arg('name')` wherever a value of `args` goes; values
 * written directly into the builder stay constant.
 */
export function prepared(build) {
    const run = compiled(build);
    return async (db, args) => (await run(db, args)).rows;
}
/** `prepared` for an UPDATE or DELETE: resolves with the number of rows it changed. */
export function preparedWrite(build) {
    const run = compiled(build);
    return async (db, args) => Number((await run(db, args)).numAffectedRows ?? 0);
}
//# sourceMappingURL=prepared.js.map