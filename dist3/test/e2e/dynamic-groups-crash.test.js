import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateDynamicThingGroupCommand, CreateThingCommand, DescribeThingGroupCommand, ListThingsInThingGroupCommand, UpdateIndexingConfigurationCommand } from '@aws-sdk/client-iot';
import { BACKENDS, clients, eventually } from '../support/harness.js';
import { spawnServer, storage } from '../support/process.js';
async function members(iot, group) {
    const out = [];
    let nextToken;
    do {
        const r = await iot.send(new ListThingsInThingGroupCommand({ thingGroupName: group, nextToken, maxResults: 250 }));
        out.push(...(r.things ?? []));
        nextToken = r.nextToken;
    } while (nextToken);
    return out;
}
for (const backend of BACKENDS) {
    describe(`dynamic group build across a crash [${backend}]`, () => {
        const cleanups = [];
        after(async () => {
            for (const c of cleanups)
                await c();
        });
        test('kill -9 in the middle of a build: the restarted server resumes it and the membership is exact', async () => {
            const store = await storage(backend);
            cleanups.push(store.cleanup);
            // One thing per build step, so that the build is surely caught half-way.
            const env = { IOT_JOBS_GROUP_BUILD_BATCH: '1' };
            const first = await spawnServer(store.args, env);
            cleanups.push(async () => void first.child.kill('SIGKILL'));
            let { iot } = clients(first.url);
            const n = 600;
            const expected = [];
            for (let i = 0; i < n; i++) {
                const thingName = `fleetindex-crash-${String(i).padStart(4, '0')}`;
                await iot.send(new CreateThingCommand({ thingName, attributePayload: { attributes: { k: String(i % 4) } } }));
                if (i % 4 === 1)
                    expected.push(thingName);
            }
            await iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY' } }));
            await iot.send(new CreateDynamicThingGroupCommand({ thingGroupName: 'fleetindex-crash', queryString: 'attributes.k:1' }));
            const partial = await eventually(async () => {
                const m = await members(iot, 'fleetindex-crash');
                return m.length >= 10 && m;
            }, 20_000, 'the build under way');
            first.child.kill('SIGKILL');
            assert.equal(await first.exited, 'SIGKILL');
            iot.destroy();
            assert.ok(partial.length < expected.length, `killed half-way (${partial.length} of ${expected.length})`);
            const second = await spawnServer(store.args);
            cleanups.push(async () => {
                second.child.kill('SIGTERM');
                await second.exited;
            });
            ({ iot } = clients(second.url));
            await eventually(async () => (await iot.send(new DescribeThingGroupCommand({ thingGroupName: 'fleetindex-crash' }))).status === 'ACTIVE', 30_000, 'ACTIVE after restart');
            assert.deepEqual(await members(iot, 'fleetindex-crash'), expected);
            iot.destroy();
        });
    });
}
//# sourceMappingURL=dynamic-groups-crash.test.js.map