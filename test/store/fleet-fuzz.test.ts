import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Store } from '../../src/store/store.js';
import { parseQuery, QuerySyntaxError } from '../../src/domain/fleet-query.js';
import { compile, compileSet, withThingRows } from '../../src/store/fleet-sql.js';
import { BACKENDS } from '../support/harness.js';
import { storePlace } from '../support/store-place.js';
import { rng } from '../support/bad-input.js';

/**
 * Random queries from the language's own pieces and stray characters: each either parses and
 * runs as SQL on the backend (whole fleet, one thing, a build slice), or is a QuerySyntaxError;
 * never another error (which the API would answer with a 500).
 */
const PIECES = [
  'attributes.a', 'attributes.b', 'thingName', 'thingTypeName', 'thingGroupNames', 'connectivity.connected', 'shadow.x', ':', ' ', ' ', ' ',
  '<', '<=', '>', '>=', '[', ']', '{', '}', ' TO ', '(', ')', ' AND ', ' OR ', 'NOT ', '-', '!', '&&', '||', '*', '?', '"', '\\', 'x', '7', '1.5',
  'abc', 'a*', '*b', 'é', "'", ';', '%', '_', '\u0000', '"quoted value"', 'TO', '+',
];
const COUNT = 1500;

for (const backend of BACKENDS) {
  describe(`fleet query fuzz [${backend}]`, () => {
    let store: Store;
    const place = storePlace(backend);
    before(async () => {
      store = await place.open();
      await store.db.insertInto('things').values({ thing_name: 'fleetindex-fz', thing_id: 'i', thing_type_name: null, attributes: '{"a":"7"}', version: 1, created_at: 0 }).execute();
      await store.db.insertInto('thing_fields').values({ thing_name: 'fleetindex-fz', field: 'attributes.a', value_lc: '7', num: 7 }).execute();
    });
    after(async () => {
      await store?.close();
      await place.cleanup();
    });

    test(`${COUNT} random queries: parsed and run, or a syntax error`, async () => {
      const r = rng(20261207);
      let parsed = 0;
      for (let i = 0; i < COUNT; i++) {
        const text = Array.from({ length: 1 + Math.floor(r() * 9) }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
        let q;
        try {
          q = parseQuery(text);
        } catch (err) {
          assert.ok(err instanceof QuerySyntaxError, `${JSON.stringify(text)}: ${String(err)}`);
          continue;
        }
        parsed++;
        const o = { dialect: store.dialect, connectivity: r() < 0.5 };
        try {
          await store.db.selectFrom('things as t').select('t.thing_name').where(compile(q, 'set', o)).execute();
          await sql`${withThingRows('fleetindex-fz')}select t.thing_name from things t where ${compile(q, 'one', o)} and t.thing_name = ${'fleetindex-fz'}`.execute(store.db);
          await sql`${compileSet(q, { ...o, range: { after: '', upTo: 'z' } })}`.execute(store.db);
        } catch (err) {
          assert.fail(`${JSON.stringify(text)} parsed but failed in SQL: ${String(err)}`);
        }
      }
      assert.ok(parsed > COUNT / 10, `only ${parsed} of ${COUNT} parsed: the fuzz barely reaches SQL`);
    });
  });
}
