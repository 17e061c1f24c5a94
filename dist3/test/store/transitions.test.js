/**
 * The specification of every execution and job transition and its consequences (issue "one place
 * for every state change"): for each cause, the rows it leaves (status, the pending flag, the
 * timeout timer), the job's counters and status, retries, abort and completion, and the
 * notifications owed after commit. Table-driven, on both backends, on the manual clock; it reads
 * the store's rows directly, so it checks what no API shows (timer rows, `listed`, `timeout_at`).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { AddThingToThingGroupCommand, CancelJobCommand, CancelJobExecutionCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteJobCommand, DeleteJobExecutionCommand, DeleteThingCommand, DescribeJobCommand, RemoveThingFromThingGroupCommand, } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, CREDENTIALS, PG_URL, REGION, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { clockRequest } from '../../src/cli/clock-client.js';
import { formatScheduleTime } from '../../src/domain/schedule.js';
const MIN = 60_000;
const TIMEOUT_5 = { timeoutConfig: { inProgressTimeoutInMinutes: 5 } };
const CASES = [
    {
        name: 'device start: QUEUED → IN_PROGRESS arms the timeout timer',
        things: 1,
        setup: (c) => c.create(TIMEOUT_5),
        act: (c) => c.start(c.t[0]),
        expect: { executions: { 0: [{ status: 'IN_PROGRESS', listed: 1, timer: true }] }, job: 'IN_PROGRESS', counters: { IN_PROGRESS: 1, QUEUED: 0 }, notified: ['0'], timers: 1 },
    },
    {
        name: 'device step timer, no status change: the timer moves, nothing is owed',
        things: 1,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: (c) => c.update(c.t[0], 'IN_PROGRESS', { stepTimeoutInMinutes: 2 }),
        expect: { executions: { 0: [{ status: 'IN_PROGRESS', listed: 1, timer: true }] }, counters: { IN_PROGRESS: 1 }, notified: [], timers: 1 },
    },
    {
        name: 'device SUCCEEDED: the timer goes, the SNAPSHOT job completes',
        things: 1,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: (c) => c.update(c.t[0], 'SUCCEEDED'),
        expect: { executions: { 0: [{ status: 'SUCCEEDED', listed: 0, timer: false }] }, job: 'COMPLETED', counters: { SUCCEEDED: 1, IN_PROGRESS: 0 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'device FAILED with a retry config: a new QUEUED attempt',
        things: 1,
        setup: async (c) => {
            await c.create({ ...TIMEOUT_5, jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] } });
            await c.start(c.t[0]);
        },
        act: (c) => c.update(c.t[0], 'FAILED'),
        expect: {
            executions: { 0: [{ status: 'QUEUED', listed: 1, number: 2 }, { status: 'FAILED', listed: 0, timer: false, number: 1 }] },
            job: 'IN_PROGRESS',
            counters: { FAILED: 1, QUEUED: 1 },
            notified: ['0'],
            timers: 0,
        },
    },
    {
        name: 'device REJECTED: ends, the job completes',
        things: 1,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: (c) => c.update(c.t[0], 'REJECTED'),
        expect: { executions: { 0: [{ status: 'REJECTED', listed: 0, timer: false }] }, job: 'COMPLETED', counters: { REJECTED: 1 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'timeout fires: IN_PROGRESS → TIMED_OUT and a retry',
        things: 1,
        setup: async (c) => {
            await c.create({ ...TIMEOUT_5, jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'TIMED_OUT', numberOfRetries: 1 }] } });
            await c.start(c.t[0]);
        },
        act: (c) => c.advance(6 * 60),
        expect: {
            executions: { 0: [{ status: 'QUEUED', listed: 1, number: 2 }, { status: 'TIMED_OUT', listed: 0, timer: false, number: 1 }] },
            job: 'IN_PROGRESS',
            counters: { TIMED_OUT: 1, QUEUED: 1, IN_PROGRESS: 0 },
            notified: ['0'],
            timers: 0,
        },
    },
    {
        name: 'CancelJobExecution of a QUEUED execution',
        things: 2,
        setup: (c) => c.create(),
        act: async (c) => {
            await c.s.iot.send(new CancelJobExecutionCommand({ jobId: c.job, thingName: c.t[0] }));
        },
        expect: { executions: { 0: [{ status: 'CANCELED', listed: 0 }], 1: [{ status: 'QUEUED', listed: 1 }] }, job: 'IN_PROGRESS', counters: { CANCELED: 1, QUEUED: 1 }, notified: ['0'] },
    },
    {
        name: 'CancelJobExecution --force of an IN_PROGRESS execution: its timer goes',
        things: 1,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new CancelJobExecutionCommand({ jobId: c.job, thingName: c.t[0], force: true }));
        },
        expect: { executions: { 0: [{ status: 'CANCELED', listed: 0, timer: false }] }, job: 'COMPLETED', counters: { CANCELED: 1 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'DeleteJobExecution --force of an IN_PROGRESS execution: the row, its counter and its timer go',
        things: 2,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new DeleteJobExecutionCommand({ jobId: c.job, thingName: c.t[0], executionNumber: 1, force: true }));
        },
        expect: { executions: { 0: [], 1: [{ status: 'QUEUED', listed: 1 }] }, job: 'IN_PROGRESS', counters: { IN_PROGRESS: 0, QUEUED: 1 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'DeleteJobExecution of a terminal execution: its counter goes, nothing is owed',
        things: 2,
        setup: async (c) => {
            await c.create();
            await c.start(c.t[0]);
            await c.update(c.t[0], 'SUCCEEDED');
        },
        act: async (c) => {
            await c.s.iot.send(new DeleteJobExecutionCommand({ jobId: c.job, thingName: c.t[0], executionNumber: 1 }));
        },
        expect: { executions: { 0: [], 1: [{ status: 'QUEUED' }] }, counters: { SUCCEEDED: 0, QUEUED: 1 }, notified: [] },
    },
    {
        name: 'leaving a CONTINUOUS job’s group: IN_PROGRESS → REMOVED, its timer goes',
        things: 2,
        setup: async (c) => {
            await c.s.iot.send(new CreateThingGroupCommand({ thingGroupName: c.group }));
            for (const t of c.t)
                await c.s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: c.group, thingName: t }));
            await c.create({ ...TIMEOUT_5, targetSelection: 'CONTINUOUS' }, [groupArn(c.group)]);
            await eventually(async () => (await c.s.iot.send(new DescribeJobCommand({ jobId: c.job }))).job.jobProcessDetails.numberOfQueuedThings === 2);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: c.group, thingName: c.t[0] }));
        },
        expect: { executions: { 0: [{ status: 'REMOVED', listed: 0, timer: false }], 1: [{ status: 'QUEUED', listed: 1 }] }, job: 'IN_PROGRESS', counters: { REMOVED: 1, QUEUED: 1 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'DeleteThing: its pending executions become REMOVED, timers go',
        things: 2,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new DeleteThingCommand({ thingName: c.t[0] }));
        },
        expect: { executions: { 0: [{ status: 'REMOVED', listed: 0, timer: false }], 1: [{ status: 'QUEUED' }] }, job: 'IN_PROGRESS', counters: { REMOVED: 1, QUEUED: 1 }, notified: ['0'], timers: 0 },
    },
    {
        name: 'CancelJob: QUEUED → CANCELED, IN_PROGRESS keeps running with its timer',
        things: 2,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new CancelJobCommand({ jobId: c.job, comment: 'stop' }));
        },
        expect: {
            executions: { 0: [{ status: 'IN_PROGRESS', listed: 1, timer: true }], 1: [{ status: 'CANCELED', listed: 0 }] },
            job: 'CANCELED',
            forceCanceled: false,
            counters: { IN_PROGRESS: 1, CANCELED: 1 },
            notified: ['1'],
            timers: 1,
        },
    },
    {
        name: 'CancelJob --force over running executions under timeoutConfig: no timer is left behind',
        things: 3,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            for (const t of c.t)
                await c.start(t);
        },
        act: async (c) => {
            await c.s.iot.send(new CancelJobCommand({ jobId: c.job, force: true }));
        },
        expect: {
            executions: { 0: [{ status: 'CANCELED', listed: 0, timer: false }], 1: [{ status: 'CANCELED', timer: false }], 2: [{ status: 'CANCELED', timer: false }] },
            job: 'CANCELED',
            forceCanceled: true,
            counters: { CANCELED: 3, IN_PROGRESS: 0 },
            notified: ['0', '1', '2'],
            timers: 0,
        },
    },
    {
        name: 'CancelJob --force then DeleteJob: the job and every timer are gone',
        things: 3,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            for (const t of c.t)
                await c.start(t);
            await c.s.iot.send(new CancelJobCommand({ jobId: c.job, force: true }));
        },
        act: async (c) => {
            await c.s.iot.send(new DeleteJobCommand({ jobId: c.job }));
            await eventually(async () => !(await c.s.app.store.db.selectFrom('jobs').select('job_id').where('job_id', '=', c.job).executeTakeFirst()), 10_000, 'the job gone');
        },
        expect: { executions: { 0: [], 1: [], 2: [] }, job: null, timers: 0 },
    },
    {
        name: 'DeleteJob --force of a running job: its executions and timers go',
        things: 2,
        setup: async (c) => {
            await c.create(TIMEOUT_5);
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.s.iot.send(new DeleteJobCommand({ jobId: c.job, force: true }));
            await eventually(async () => !(await c.s.app.store.db.selectFrom('jobs').select('job_id').where('job_id', '=', c.job).executeTakeFirst()), 10_000, 'the job gone');
        },
        expect: { executions: { 0: [], 1: [] }, job: null, timers: 0, notified: ['0', '1'] },
    },
    {
        name: 'abort by timeouts: the job is CANCELED and its QUEUED executions are canceled before the clock POST answers',
        things: 4,
        setup: async (c) => {
            await c.create({
                ...TIMEOUT_5,
                abortConfig: { criteriaList: [{ failureType: 'TIMED_OUT', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 2 }] },
            });
            await c.start(c.t[0]);
            await c.start(c.t[1]);
        },
        act: (c) => c.advance(6 * 60),
        expect: {
            executions: { 0: [{ status: 'TIMED_OUT', timer: false }], 1: [{ status: 'TIMED_OUT', timer: false }], 2: [{ status: 'CANCELED', listed: 0 }], 3: [{ status: 'CANCELED', listed: 0 }] },
            job: 'CANCELED',
            reasonCode: 'AUTOMATED_ABORT_TIMED_OUT',
            forceCanceled: false,
            counters: { TIMED_OUT: 2, CANCELED: 2, QUEUED: 0 },
            notified: ['0', '1', '2', '3'],
            timers: 0,
        },
    },
    {
        name: 'abort by a device FAILED: the job is CANCELED, its QUEUED executions follow',
        things: 3,
        setup: async (c) => {
            await c.create({ abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 1 }] } });
            await c.start(c.t[0]);
        },
        act: async (c) => {
            await c.update(c.t[0], 'FAILED');
            await c.advance(1);
        },
        expect: {
            executions: { 0: [{ status: 'FAILED' }], 1: [{ status: 'CANCELED', listed: 0 }], 2: [{ status: 'CANCELED', listed: 0 }] },
            job: 'CANCELED',
            reasonCode: 'AUTOMATED_ABORT_FAILED',
            counters: { FAILED: 1, CANCELED: 2, QUEUED: 0 },
            notified: ['0', '1', '2'],
        },
    },
    {
        name: 'schedulingConfig.endTime with endBehavior FORCE_CANCEL: everything pending is canceled, timers go',
        things: 2,
        setup: async (c) => {
            const now = Date.parse((await clockRequest({ url: c.s.url, region: REGION, credentials: CREDENTIALS })).body.now);
            await c.create({ schedulingConfig: { endTime: formatScheduleTime(Math.ceil((now + 31 * MIN) / MIN) * MIN), endBehavior: 'FORCE_CANCEL' } });
            await c.start(c.t[0], { stepTimeoutInMinutes: 60 });
        },
        act: (c) => c.advance(33 * 60),
        expect: {
            executions: { 0: [{ status: 'CANCELED', listed: 0, timer: false }], 1: [{ status: 'CANCELED', listed: 0 }] },
            job: 'CANCELED',
            forceCanceled: true,
            counters: { CANCELED: 2 },
            notified: ['0', '1'],
            timers: 0,
        },
    },
    {
        name: 'a CONTINUOUS job does not complete when its executions end',
        things: 1,
        setup: async (c) => {
            await c.create({ targetSelection: 'CONTINUOUS' });
            await c.start(c.t[0]);
        },
        act: (c) => c.update(c.t[0], 'SUCCEEDED'),
        expect: { executions: { 0: [{ status: 'SUCCEEDED' }] }, job: 'IN_PROGRESS', notified: ['0'] },
    },
];
for (const backend of BACKENDS) {
    describe(`transition table [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        let s;
        const seen = [];
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
            s.app.events.on((e) => seen.push(e.thingNames));
        });
        after(async () => {
            await s.close();
        });
        for (const [i, tc] of CASES.entries()) {
            if (tc.only && tc.only !== backend)
                continue;
            test(tc.name, async () => {
                const job = `tr${i}-${run}`;
                const t = Array.from({ length: tc.things }, (_, k) => `tr${i}-${k}-${run}`);
                const notified = new Set();
                const ctx = {
                    s,
                    job,
                    t,
                    group: `trg${i}-${run}`,
                    notified,
                    async create(extra = {}, targets = t.map(thingArn)) {
                        await s.iot.send(new CreateJobCommand({ jobId: job, targets, document: '{"op":"x"}', ...extra }));
                    },
                    async start(thing, extra = {}) {
                        const r = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: thing, ...extra }));
                        assert.equal(r.execution?.jobId, job, `${thing} started ${job}`);
                    },
                    async update(thing, status, extra = {}) {
                        await s.data.send(new UpdateJobExecutionCommand({ thingName: thing, jobId: job, status: status, ...extra }));
                    },
                    async advance(seconds) {
                        const r = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: seconds });
                        assert.equal(r.status, 200, JSON.stringify(r.body));
                    },
                };
                for (const name of t)
                    await s.iot.send(new CreateThingCommand({ thingName: name }));
                await tc.setup(ctx);
                seen.length = 0;
                await tc.act(ctx);
                // Other cases' timers may fire on the same clock move: only this case's things count.
                for (const names of seen)
                    for (const n of names)
                        if (t.includes(n))
                            notified.add(n);
                await check(s, backend, ctx, tc.expect);
            });
        }
        if (backend === 'postgres')
            test('a device update that changes no status still takes its job’s lock first (the one lock order)', async () => {
                const job = `trlock-${run}`;
                const thing = `trlock-t-${run}`;
                await s.iot.send(new CreateThingCommand({ thingName: thing }));
                await s.iot.send(new CreateJobCommand({ jobId: job, targets: [thingArn(thing)], document: '{}', ...TIMEOUT_5 }));
                await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: thing }));
                const schema = (await s.app.store.db.selectNoFrom((eb) => eb.fn('current_schema', []).as('s')).executeTakeFirstOrThrow()).s;
                const other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
                await other.connect();
                try {
                    await other.query('begin');
                    await other.query('select job_id from jobs where job_id = $1 for update', [job]);
                    let done = false;
                    const update = s.data
                        .send(new UpdateJobExecutionCommand({ thingName: thing, jobId: job, status: 'IN_PROGRESS', stepTimeoutInMinutes: 3 }))
                        .then(() => (done = true));
                    await new Promise((r) => setTimeout(r, 400));
                    assert.equal(done, false, 'the update waits for the job row held by another transaction');
                    await other.query('commit');
                    await update;
                    assert.equal(done, true);
                }
                finally {
                    await other.end();
                }
            });
    });
}
async function check(s, backend, c, want) {
    const db = s.app.store.db;
    const rows = await db.selectFrom('job_executions').selectAll().where('job_id', '=', c.job).orderBy('thing_name').orderBy('execution_number', 'desc').execute();
    const timers = await db.selectFrom('timers').select(['kind', 'ref', 'job_id']).where('job_id', '=', c.job).execute();
    const timeoutRefs = new Set(timers.filter((x) => x.kind === 'timeout').map((x) => x.ref));
    for (const [idx, list] of Object.entries(want.executions ?? {})) {
        const thing = c.t[Number(idx)];
        const got = rows.filter((r) => r.thing_name === thing);
        assert.equal(got.length, list.length, `${thing}: ${got.length} executions, expected ${list.length} [${backend}]`);
        for (const [k, w] of list.entries()) {
            const r = got[k];
            assert.equal(r.status, w.status, `${thing} #${r.execution_number} status`);
            if (w.number !== undefined)
                assert.equal(r.execution_number, w.number, `${thing} executionNumber`);
            if (w.listed !== undefined)
                assert.equal(Number(r.listed), w.listed, `${thing} #${r.execution_number} listed`);
            if (w.timer !== undefined) {
                assert.equal(timeoutRefs.has(String(r.id)), w.timer, `${thing} #${r.execution_number} timeout timer row`);
                assert.equal(r.timeout_at !== null, w.timer, `${thing} #${r.execution_number} timeout_at`);
            }
            // A pending flag that lags its status would let a device see an ended execution.
            if (r.status !== 'QUEUED' && r.status !== 'IN_PROGRESS' && w.listed === undefined)
                assert.notEqual(r.status, 'IN_PROGRESS');
        }
    }
    const job = await db.selectFrom('jobs').selectAll().where('job_id', '=', c.job).executeTakeFirst();
    if (want.job !== undefined)
        assert.equal(job?.status ?? null, want.job, 'job status');
    if (job) {
        // The counters always equal the rows.
        const byStatus = {};
        for (const r of rows)
            byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
        const col = {
            QUEUED: job.n_queued,
            IN_PROGRESS: job.n_in_progress,
            SUCCEEDED: job.n_succeeded,
            FAILED: job.n_failed,
            REJECTED: job.n_rejected,
            CANCELED: job.n_canceled,
            REMOVED: job.n_removed,
            TIMED_OUT: job.n_timed_out,
        };
        for (const [status, n] of Object.entries(col))
            assert.equal(Number(n), byStatus[status] ?? 0, `counter ${status}`);
        for (const [status, n] of Object.entries(want.counters ?? {}))
            assert.equal(Number(col[status]), n, `counter ${status} (expected)`);
        if (want.reasonCode !== undefined)
            assert.equal(job.reason_code, want.reasonCode);
        if (want.forceCanceled !== undefined)
            assert.equal(job.force_canceled === 1, want.forceCanceled, 'forceCanceled');
    }
    if (want.timers !== undefined)
        assert.equal(timers.length, want.timers, `timer rows of the job: ${JSON.stringify(timers)}`);
    if (want.notified !== undefined) {
        const expected = want.notified.map((i) => c.t[Number(i)]).sort();
        assert.deepEqual([...c.notified].sort(), expected, 'things notified after commit');
    }
    // No timeout timer anywhere points at an execution that is not IN_PROGRESS.
    const { rows: orphans } = await sql `
    select t.ref from timers t where t.kind = 'timeout' and t.job_id = ${c.job}
    and not exists (select 1 from job_executions e where cast(e.id as varchar(32)) = t.ref and e.status = 'IN_PROGRESS')`.execute(db);
    assert.deepEqual(orphans, [], 'timeout timers of executions that are not running');
}
//# sourceMappingURL=transitions.test.js.map