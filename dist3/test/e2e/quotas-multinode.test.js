import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { pgNodes, thingArn } from '../support/harness.js';
import { REFRESH_MS } from '../../src/quotas/shares.js';
/**
 * Two nodes on one PostgreSQL: a bucket is the service's, not each node's. Each node holds a share
 * in proportion to its demand (src/quotas/shares.ts), so the service admits about rate x seconds
 * + burst whether the load is spread over both nodes or sent to one. Without sharing, two nodes
 * would admit twice that.
 */
const RATE = 5;
const BURST = 5;
const SECONDS = 4;
// Service-wide allowance over the window, and the documented tolerance (docs/compatibility.md):
// a quarter above it, plus one token per node (a share never holds less than one).
const ALLOWED = BURST + RATE * SECONDS;
const CEILING = ALLOWED * 1.25 + 2;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Sends DescribeJob to the given nodes in turn every `everyMs` for `seconds`; counts the 200s. */
async function hammer(nodes, jobId, seconds, everyMs) {
    const end = Date.now() + seconds * 1000;
    let ok = 0;
    let throttled = 0;
    const calls = [];
    for (let i = 0; Date.now() < end; i++) {
        const node = nodes[i % nodes.length];
        calls.push(node.iot.send(new DescribeJobCommand({ jobId })).then(() => void (ok += 1), (e) => {
            assert.equal(e.name, 'ThrottlingException');
            throttled += 1;
        }));
        await sleep(everyMs);
    }
    await Promise.all(calls);
    return { ok, throttled };
}
describe('--quotas across two PostgreSQL nodes', () => {
    let cluster;
    const jobId = 'quotas-mn-job';
    before(async () => {
        cluster = await pgNodes(2, { quotas: { rates: { 'iot:DescribeJob': { rate: RATE, burst: BURST } }, jobs: {} } });
        const [a] = cluster.nodes;
        await a.iot.send(new CreateThingCommand({ thingName: 'quotas-mn-t' }));
        await a.iot.send(new CreateJobCommand({ jobId, targets: [thingArn('quotas-mn-t')], document: '{}' }));
        // Both nodes have seen each other's reports.
        await sleep(2 * REFRESH_MS);
    });
    after(() => cluster?.close());
    test('load spread over both nodes: the service admits one bucket, not two', async (t) => {
        const { ok, throttled } = await hammer(cluster.nodes, jobId, SECONDS, 10);
        t.diagnostic(`spread: ${ok} admitted, ${throttled} throttled in ${SECONDS} s (allowance ${ALLOWED}, two buckets would give ${2 * ALLOWED})`);
        assert.ok(ok <= CEILING, `${ok} admitted, more than ${CEILING}`);
        assert.ok(ok >= ALLOWED * 0.6, `${ok} admitted: the shares starve the service`);
        assert.ok(throttled > 0);
    });
    test('load on one node: that node takes most of the bucket within a refresh', async (t) => {
        await sleep(2 * REFRESH_MS);
        const { ok, throttled } = await hammer([cluster.nodes[0]], jobId, SECONDS, 10);
        t.diagnostic(`one node: ${ok} admitted, ${throttled} throttled in ${SECONDS} s (allowance ${ALLOWED}; a fixed half share would give ${ALLOWED / 2})`);
        assert.ok(ok <= CEILING, `${ok} admitted, more than ${CEILING}`);
        assert.ok(ok >= ALLOWED * 0.6, `${ok} admitted: an idle node keeps the share the busy one needs`);
    });
});
//# sourceMappingURL=quotas-multinode.test.js.map