import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { parseQuery } from '../../src/domain/fleet-query.js';
import { compileSet } from '../../src/store/fleet-sql.js';
import { searchPage } from '../../src/operations/fleet-index.js';
import { BACKENDS } from '../support/harness.js';
import { storePlace } from '../support/store-place.js';
/**
 * The plans of SearchIndex's statement over a fleet of 100,000 indexed things (statistics fresh):
 * each leaf reads thing_fields through one of its indexes, and no query over a field scans the
 * things table or the whole index table.
 */
const N = 100_000;
/** [query, an index the plan must use]. */
const CASES = [
    ['attributes.model:m7', /thing_fields_value/],
    ['attributes.n < 200', /thing_fields_num/],
    ['attributes.n:[100 TO 299]', /thing_fields_num/],
    ['thingName:fleetindex-plan-00123*', /thing_fields_value|thing_fields_any/],
    ['attributes.model:m7 AND attributes.n > 99000', /thing_fields_num/],
    ['attributes.model:m7 OR attributes.model:m8', /thing_fields_value/],
    ['m7', /thing_fields_any|thing_fields_value/],
];
for (const backend of BACKENDS) {
    describe(`fleet query plans [${backend}]`, () => {
        let store;
        const place = storePlace(backend);
        before(async () => {
            store = await place.open();
            const db = store.db;
            const pad = backend === 'postgres' ? sql `lpad(cast(i as text), 6, '0')` : sql `substr('000000' || i, -6)`;
            await sql `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${N})
        insert into things (thing_name, thing_id, thing_type_name, attributes, version, created_at)
        select 'fleetindex-plan-' || ${pad}, 'id-' || i, null, '{}', 1, 0 from n`.execute(db);
            await sql `insert into thing_fields (thing_name, field, value_lc, num) select thing_name, 'thingName', thing_name, null from things`.execute(db);
            await sql `insert into thing_fields (thing_name, field, value_lc, num)
        select thing_name, 'attributes.model', 'm' || cast(cast(substr(thing_name, 17) as integer) % 100 as varchar(8)), null from things`.execute(db);
            await sql `insert into thing_fields (thing_name, field, value_lc, num)
        select thing_name, 'attributes.n', cast(cast(substr(thing_name, 17) as integer) as varchar(8)), cast(substr(thing_name, 17) as integer) from things`.execute(db);
            await sql `analyze`.execute(db);
        });
        after(async () => {
            await store?.close();
            await place.cleanup();
        });
        test('each query reads through an index of thing_fields, never a scan of things', async () => {
            for (const [q, index] of CASES) {
                const cond = compileSet(parseQuery(q), { dialect: store.dialect, connectivity: false });
                const compiled = searchPage(store.db, cond, 'fleetindex-plan-000010', 101).compile();
                const explain = backend === 'postgres' ? 'explain ' : 'explain query plan ';
                const { rows } = await store.db.executeQuery({ ...compiled, sql: explain + compiled.sql, query: compiled.query });
                const plan = rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
                assert.match(plan, index, `${q}:\n${plan}`);
                assert.doesNotMatch(plan, /Seq Scan on things\b|SCAN t\b|SCAN things\b|Seq Scan on thing_fields|SCAN f\b/, `${q}:\n${plan}`);
                // And the statement answers: the first page, in name order.
                const page = await searchPage(store.db, cond, 'fleetindex-plan-000010', 3).execute();
                assert.ok(page.length > 0 && page.every((r, i) => i === 0 || r.thing_name > page[i - 1].thing_name), q);
            }
        });
        test("a build step's slice of 500 names reads through indexes, whatever the query matches elsewhere", async () => {
            const range = { after: 'fleetindex-plan-050000', upTo: 'fleetindex-plan-050500' };
            for (const [q] of [...CASES, ['NOT attributes.model:m7'], ['*']]) {
                const set = compileSet(parseQuery(q), { dialect: store.dialect, connectivity: false, range });
                const compiled = sql `${set}`.compile(store.db);
                const explain = backend === 'postgres' ? 'explain ' : 'explain query plan ';
                const { rows } = await store.db.executeQuery({ ...compiled, sql: explain + compiled.sql });
                const plan = rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
                assert.doesNotMatch(plan, /Seq Scan|SCAN things\b|SCAN f\b/, `${q}:\n${plan}`);
                const { rows: names } = await sql `${set}`.execute(store.db);
                assert.ok(names.every((r) => r.name > range.after && r.name <= range.upTo), q);
            }
        });
    });
}
//# sourceMappingURL=fleet-plan.test.js.map