import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { BACKENDS } from '../support/harness.js';
import { storePlace } from '../support/store-place.js';
/** Migration 0010 indexes the things that existed before it, with their static groups. */
for (const backend of BACKENDS) {
    describe(`fleet index backfill [${backend}]`, () => {
        const { open, cleanup } = storePlace(backend);
        after(cleanup);
        test('things written before the migration are searchable after it', async () => {
            const old = await open('0009_listed');
            const n = 2500; // more than one backfill batch
            for (let i = 0; i < n; i += 500)
                await old.db
                    .insertInto('things')
                    .values(Array.from({ length: 500 }, (_, k) => ({ thing_name: `fleetindex-bf-${String(i + k).padStart(5, '0')}`, thing_id: `id-${i + k}`, thing_type_name: (i + k) % 2 ? 'Cam' : null, attributes: JSON.stringify({ n: String(i + k), Model: 'X' }), version: 1, created_at: 0 })))
                    .execute();
            await old.db.insertInto('thing_groups').values({ group_name: 'Old-Group', group_id: 'g', parent_group_name: null, description: null, attributes: '{}', version: 1, created_at: 0 }).execute();
            await old.db.insertInto('group_members').values({ group_name: 'Old-Group', thing_name: 'fleetindex-bf-00007' }).execute();
            await old.close();
            const store = await open();
            try {
                const rows = await store.db.selectFrom('thing_fields').selectAll().where('thing_name', '=', 'fleetindex-bf-00007').orderBy('field').execute();
                assert.deepEqual(rows.map((r) => [r.field, r.value_lc, r.num]), [
                    ['attributes.Model', 'x', null],
                    ['attributes.n', '7', 7],
                    ['connectivity.connected', 'false', null],
                    ['thingGroupNames', 'old-group', null],
                    ['thingId', 'id-7', null],
                    ['thingName', 'fleetindex-bf-00007', null],
                    ['thingTypeName', 'cam', null],
                ]);
                const count = await store.db.selectFrom('thing_fields').select((eb) => eb.fn.countAll().as('c')).where('field', '=', 'thingName').executeTakeFirstOrThrow();
                assert.equal(Number(count.c), n);
                const group = await store.db.selectFrom('group_fields').select(['field', 'value_lc']).where('group_name', '=', 'Old-Group').orderBy('field').execute();
                assert.deepEqual(group.map((r) => [r.field, r.value_lc]), [['thingGroupId', 'g'], ['thingGroupName', 'old-group'], ['thingGroupNames', 'old-group']]);
            }
            finally {
                await store.close();
            }
        });
    });
}
//# sourceMappingURL=fleet-backfill.test.js.map