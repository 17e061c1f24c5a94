import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { CreateJobCommand, CreateThingGroupCommand, DeleteJobCommand, DescribeJobCommand, ListJobExecutionsForJobCommand, ListJobsCommand, } from '@aws-sdk/client-iot';
import { BACKENDS, PG_URL, clients, dropSchema, eventually, freshSchema, groupArn } from '../support/harness.js';
import { spawnServer } from '../support/process.js';
/** Seeds a group of n things straight into the schema (fast), as a fleet import would. */
async function seedGroup(schema, group, n) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
        await c.query(`set search_path = "${schema}"`);
        await c.query(`insert into things (thing_name, thing_id, thing_type_name, attributes, version, created_at)
       select $1::text || '-' || lpad(i::text, 6, '0'), md5(random()::text), null, '{}', 1, 0 from generate_series(1, $2) i`, [group, n]);
        await c.query(`insert into group_members (group_name, thing_name) select $1::text, $1::text || '-' || lpad(i::text, 6, '0') from generate_series(1, $2) i`, [group, n]);
    }
    finally {
        await c.end();
    }
}
const gone = async (iot, jobId) => {
    try {
        await iot.send(new DescribeJobCommand({ jobId }));
        return false;
    }
    catch (e) {
        return e.name === 'ResourceNotFoundException';
    }
};
describe('several nodes on one PostgreSQL database', { skip: !BACKENDS.includes('postgres') && 'PostgreSQL backend not selected' }, () => {
    const schema = freshSchema();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    let a;
    let b;
    let ia;
    let ib;
    const spawned = [];
    const start = async (extra = []) => {
        const p = await spawnServer(['--database-url', url, ...extra]);
        spawned.push(p);
        return p;
    };
    before(async () => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`create schema "${schema}"`);
        await c.end();
        // Slow deletions (10 executions a second per node) so that the deletions overlap.
        a = await start(['--deletion-rate', '10']);
        b = await start(['--deletion-rate', '10']);
        ia = clients(a.url).iot;
        ib = clients(b.url).iot;
        await ia.send(new CreateThingGroupCommand({ thingGroupName: 'mn' }));
        await ia.send(new CreateThingGroupCommand({ thingGroupName: 'big' }));
        await ia.send(new CreateThingGroupCommand({ thingGroupName: 'mid' }));
    });
    after(async () => {
        ia.destroy();
        ib.destroy();
        for (const p of spawned)
            p.child.kill('SIGKILL');
        await Promise.all(spawned.map((p) => p.exited));
        await dropSchema(schema);
    });
    test('concurrent DeleteJob calls spread over two nodes never exceed the limit of 10', async () => {
        // 20 executions a job at 10 deletions a second per node: no deletion can finish during the burst.
        await seedGroup(schema, 'mn', 20);
        const ids = Array.from({ length: 16 }, (_, i) => `mn-${i}`);
        for (const id of ids)
            await ia.send(new CreateJobCommand({ jobId: id, targets: [groupArn('mn')], document: '{}' }));
        const results = await Promise.allSettled(ids.map((jobId, i) => (i % 2 ? ia : ib).send(new DeleteJobCommand({ jobId, force: true }))));
        const started = results.filter((r) => r.status === 'fulfilled').length;
        const refused = results.filter((r) => r.status === 'rejected' && r.reason.name === 'LimitExceededException').length;
        assert.ok(started <= 10, `at most 10 deletions started (${started})`);
        assert.equal(started + refused, ids.length, 'every other call was refused with LimitExceededException');
        const listed = await ia.send(new ListJobsCommand({ status: 'DELETION_IN_PROGRESS' }));
        assert.ok((listed.jobs?.length ?? 0) <= 10);
        for (const [i, r] of results.entries())
            if (r.status === 'fulfilled')
                await eventually(() => gone(ia, ids[i]), 60_000, `${ids[i]} deleted`);
    });
    test('a fan-out worked on by two nodes queues each thing exactly once', async () => {
        await seedGroup(schema, 'big', 20_000);
        await ib.send(new CreateJobCommand({ jobId: 'big-1', targets: [groupArn('big')], document: '{}' }));
        const d = await eventually(async () => {
            const j = (await ia.send(new DescribeJobCommand({ jobId: 'big-1' }))).job;
            return j.isConcurrent ? undefined : j;
        }, 30_000, 'fan-out');
        assert.equal(d.jobProcessDetails?.numberOfQueuedThings, 20_000);
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        const { rows } = await c.query(`select count(*)::int as n, count(distinct thing_name)::int as d from "${schema}".job_executions where job_id = 'big-1'`);
        await c.end();
        assert.deepEqual(rows[0], { n: 20_000, d: 20_000 });
        const page = await ib.send(new ListJobExecutionsForJobCommand({ jobId: 'big-1', maxResults: 250 }));
        assert.equal(page.executionSummaries?.length, 250);
    });
    test('a node killed with kill -9 mid-deletion has its deletion finished by another node', async () => {
        // Only the slow node runs now, so it is the one that takes the deletion.
        for (const p of [a, b])
            p.child.kill('SIGKILL');
        await Promise.all([a.exited, b.exited]);
        await seedGroup(schema, 'mid', 3000);
        const slow = await start(['--deletion-rate', '100']);
        const is = clients(slow.url).iot;
        await is.send(new CreateJobCommand({ jobId: 'mn-kill', targets: [groupArn('mid')], document: '{}' }));
        await eventually(async () => !(await is.send(new DescribeJobCommand({ jobId: 'mn-kill' }))).job.isConcurrent, 30_000, 'fan-out');
        await is.send(new DeleteJobCommand({ jobId: 'mn-kill', force: true }));
        await eventually(async () => {
            const q = (await is.send(new DescribeJobCommand({ jobId: 'mn-kill' }))).job?.jobProcessDetails?.numberOfQueuedThings ?? 3000;
            return q < 3000;
        }, 15_000, 'deletion under way');
        slow.child.kill('SIGKILL');
        assert.equal(await slow.exited, 'SIGKILL');
        is.destroy();
        const other = await start();
        const io = clients(other.url).iot;
        assert.equal((await io.send(new DescribeJobCommand({ jobId: 'mn-kill' }))).job?.status, 'DELETION_IN_PROGRESS');
        // The dead node's lease runs out (5 s), then the new node takes the work over.
        await eventually(() => gone(io, 'mn-kill'), 30_000, 'the other node to finish the deletion');
        io.destroy();
    });
});
//# sourceMappingURL=multinode.test.js.map