import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteJobCommand, DescribeJobCommand, DescribeThingCommand, } from '@aws-sdk/client-iot';
import { BACKENDS, clients, eventually, groupArn } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { spawnServer, storage } from '../support/process.js';
for (const backend of BACKENDS) {
    describe(`crash safety [${backend}]`, () => {
        const cleanups = [];
        after(async () => {
            for (const c of cleanups)
                await c();
        });
        test('kill -9 in the middle of a slow deletion: acknowledged writes survive and the restarted server finishes it', async () => {
            const store = await storage(backend);
            cleanups.push(store.cleanup);
            const first = await spawnServer([...store.args, '--deletion-rate', '20']);
            cleanups.push(async () => void first.child.kill('SIGKILL'));
            let { iot } = clients(first.url);
            await iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleet' }));
            const n = 120;
            for (let i = 0; i < n; i++) {
                const thingName = `crash-${i}`;
                await iot.send(new CreateThingCommand({ thingName }));
                await iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName }));
            }
            await iot.send(new CreateJobCommand({ jobId: 'fw', targets: [groupArn('fleet')], document: '{"v":2}' }));
            await eventually(async () => (await iot.send(new DescribeJobCommand({ jobId: 'fw' }))).job?.jobProcessDetails?.numberOfQueuedThings === n);
            await iot.send(new DeleteJobCommand({ jobId: 'fw', force: true }));
            // Wait until the deletion is visibly under way, then acknowledge one more write and crash.
            await eventually(async () => {
                const q = (await iot.send(new DescribeJobCommand({ jobId: 'fw' }))).job?.jobProcessDetails?.numberOfQueuedThings ?? n;
                return q < n - 10;
            }, 15_000, 'deletion progress');
            await iot.send(new CreateThingCommand({ thingName: 'written-before-crash' }));
            first.child.kill('SIGKILL');
            assert.equal(await first.exited, 'SIGKILL');
            iot.destroy();
            const second = await spawnServer(store.args);
            cleanups.push(async () => {
                second.child.kill('SIGTERM');
                await second.exited;
            });
            ({ iot } = clients(second.url));
            const thing = await iot.send(new DescribeThingCommand({ thingName: 'written-before-crash' }));
            assert.equal(thing.thingName, 'written-before-crash');
            await eventually(async () => {
                try {
                    await iot.send(new DescribeJobCommand({ jobId: 'fw' }));
                    return false;
                }
                catch (e) {
                    return e.name === 'ResourceNotFoundException';
                }
            }, 20_000, 'the deletion to finish after restart');
            await rejectsWith(iot.send(new DescribeJobCommand({ jobId: 'fw' })), 'ResourceNotFoundException', 404);
            // The jobId is free again.
            await iot.send(new CreateJobCommand({ jobId: 'fw', targets: [groupArn('fleet')], document: '{"v":3}' }));
            iot.destroy();
            second.child.kill('SIGTERM');
            assert.equal(await second.exited, 0, 'SIGTERM shuts down cleanly');
        });
    });
}
//# sourceMappingURL=crash.test.js.map