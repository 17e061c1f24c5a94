import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CancelJobCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteJobCommand, DescribeJobCommand, DescribeJobExecutionCommand, DescribeThingCommand, } from '@aws-sdk/client-iot';
import { UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, clients, groupArn } from '../support/harness.js';
import { spawnServer, storage } from '../support/process.js';
import { counterDrift, listAll, outcome, pool } from '../support/invariants.js';
/**
 * Crash trials: while a job fans out to a group bigger than CreateJob handles inline, older jobs
 * are canceled and deleted and devices update their executions, the server is killed with
 * SIGKILL at a random moment, then restarted. Every acknowledged write must be there, the
 * background work must finish, and every job's counters must equal its listed executions.
 * Seeded (IOT_JOBS_CRASH_SEED), so that a failing trial can be run again.
 */
const TRIALS = Number(process.env.IOT_JOBS_CRASH_TRIALS ?? 20);
const SEED = Number(process.env.IOT_JOBS_CRASH_SEED ?? 20261202);
/** Above CreateJob's inline batch (2,000), so the worker finishes each fan-out after the request. */
const FLEET = 2050;
/** Slow enough that a kill often lands in the middle of a deletion. */
const DELETION_RATE = '4000';
/** mulberry32: a small seeded generator. */
function random(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const backend of BACKENDS) {
    describe(`crash trials [${backend}]`, () => {
        const cleanups = [];
        after(async () => {
            for (const c of cleanups.reverse())
                await c();
        });
        test(`${TRIALS} seeded kill -9 trials during fan-out, cancel, deletion and device updates`, async () => {
            const rng = random(SEED + (backend === 'postgres' ? 1 : 0));
            const pick = (xs) => xs[Math.floor(rng() * xs.length)];
            const store = await storage(backend);
            cleanups.push(store.cleanup);
            const args = [...store.args, '--deletion-rate', DELETION_RATE];
            let server = await spawnServer(args);
            cleanups.push(async () => {
                server.child.kill('SIGKILL');
                await server.exited;
            });
            let c = clients(server.url);
            const things = Array.from({ length: FLEET }, (_, i) => `k-${String(i).padStart(4, '0')}`);
            await c.iot.send(new CreateThingGroupCommand({ thingGroupName: 'fleet' }));
            await pool(things, 16, async (thingName) => {
                await c.iot.send(new CreateThingCommand({ thingName }));
                await c.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'fleet', thingName }));
            });
            /** Jobs that exist and are not being deleted, oldest first. */
            let live = [];
            /** How long the last acknowledged CreateJob took. */
            let createMs = 200;
            const canceled = new Set();
            const violations = [];
            const tally = { trials: 0, acked: 0, killedDuringCreateJob: 0, killedDuringCancel: 0, killedDuringDeleteJob: 0, jobsCreated: 0, jobsDeleted: 0, deviceUpdatesInFlight: 0, violations: 0 };
            const violate = (trial, what) => violations.push(`trial ${trial}: ${what}`);
            for (let trial = 0; trial < TRIALS; trial++) {
                tally.trials++;
                let killed = false;
                const jobId = `t${trial}`;
                const acked = {
                    created: false,
                    things: [],
                    cancel: undefined,
                    deleted: undefined,
                    updates: new Map(),
                };
                const inFlight = { create: true, cancel: false, delete: false, updates: 0 };
                const ops = [];
                const { iot, data } = c;
                const t0 = Date.now();
                const created = outcome(iot.send(new CreateJobCommand({ jobId, targets: [groupArn('fleet')], document: '{"v":1}' }))).then((o) => {
                    inFlight.create = false;
                    if (o.ok) {
                        acked.created = true;
                        createMs = Date.now() - t0;
                    }
                });
                ops.push(created);
                const deviceJobs = [...live];
                if (deviceJobs.length)
                    for (let w = 0; w < 6; w++)
                        ops.push((async () => {
                            while (!killed) {
                                const job = pick(deviceJobs);
                                const thing = pick(things);
                                for (const status of ['IN_PROGRESS', rng() < 0.5 ? 'SUCCEEDED' : 'FAILED']) {
                                    inFlight.updates++;
                                    const o = await outcome(data.send(new UpdateJobExecutionCommand({ jobId: job, thingName: thing, status: status, includeJobExecutionState: true })));
                                    inFlight.updates--;
                                    if (!o.ok)
                                        break;
                                    const version = o.value.executionState.versionNumber;
                                    acked.updates.set(`${job}/${thing}`, { jobId: job, thing, status, version });
                                }
                            }
                        })());
                const cancelable = live.filter((j) => !canceled.has(j));
                if (cancelable.length && rng() < 0.5) {
                    const target = { jobId: pick(cancelable), force: rng() < 0.5 };
                    inFlight.cancel = true;
                    ops.push(outcome(iot.send(new CancelJobCommand(target))).then((o) => {
                        inFlight.cancel = false;
                        if (o.ok)
                            acked.cancel = target;
                    }));
                }
                const deleting = live.length >= 2 ? live[0] : undefined;
                if (deleting) {
                    inFlight.delete = true;
                    ops.push(outcome(iot.send(new DeleteJobCommand({ jobId: deleting, force: true }))).then((o) => {
                        inFlight.delete = false;
                        if (o.ok)
                            acked.deleted = deleting;
                    }));
                }
                ops.push((async () => {
                    for (let k = 0; !killed; k++) {
                        const thingName = `m-${trial}-${k}`;
                        if ((await outcome(iot.send(new CreateThingCommand({ thingName })))).ok)
                            acked.things.push(thingName);
                    }
                })());
                // A third of the kills land while CreateJob (and CancelJob, DeleteJob) still run, timed by
                // how long the last CreateJob took on this machine; the others after CreateJob answered,
                // while the worker finishes the fan-out, deletes and devices update.
                if (rng() < 1 / 3)
                    await sleep(rng() * 1.2 * createMs);
                else {
                    await Promise.race([created, sleep(5000)]);
                    await sleep(rng() * 500);
                }
                // What was under way when the kill came (read before it: a dying socket settles requests).
                if (inFlight.create)
                    tally.killedDuringCreateJob++;
                if (inFlight.cancel)
                    tally.killedDuringCancel++;
                if (inFlight.delete)
                    tally.killedDuringDeleteJob++;
                tally.deviceUpdatesInFlight += inFlight.updates;
                server.child.kill('SIGKILL');
                await server.exited;
                killed = true;
                await Promise.all(ops);
                iot.destroy();
                data.destroy();
                server = await spawnServer(args);
                c = clients(server.url);
                const after = c;
                // Every acknowledged write is there.
                tally.acked += acked.things.length + acked.updates.size + (acked.created ? 1 : 0) + (acked.cancel ? 1 : 0) + (acked.deleted ? 1 : 0);
                await pool(acked.things, 8, async (thingName) => {
                    const o = await outcome(after.iot.send(new DescribeThingCommand({ thingName })));
                    if (!o.ok)
                        violate(trial, `acknowledged CreateThing ${thingName} is gone (${o.name})`);
                });
                await pool([...acked.updates.values()], 8, async (u) => {
                    const o = await outcome(after.iot.send(new DescribeJobExecutionCommand({ jobId: u.jobId, thingName: u.thing })));
                    if (!o.ok) {
                        // The job may be gone by a deletion asked for in this trial.
                        if (!(u.jobId === deleting && o.name === 'ResourceNotFoundException'))
                            violate(trial, `acknowledged update of ${u.jobId}/${u.thing}: ${o.name}`);
                        return;
                    }
                    const e = o.value.execution;
                    if (e.versionNumber < u.version)
                        violate(trial, `${u.jobId}/${u.thing} went back from version ${u.version} to ${e.versionNumber}`);
                    if (u.status !== 'IN_PROGRESS' && e.status !== u.status)
                        violate(trial, `acknowledged ${u.status} of ${u.jobId}/${u.thing} is now ${e.status}`);
                    if (u.status === 'IN_PROGRESS' && e.status === 'QUEUED')
                        violate(trial, `acknowledged IN_PROGRESS of ${u.jobId}/${u.thing} is QUEUED again`);
                });
                // The background work (fan-out, cancel, deletion) finishes after the restart.
                const candidates = [...new Set([...live, jobId])];
                const settled = new Map();
                await pool(candidates, 4, async (j) => {
                    const end = Date.now() + 60_000;
                    for (;;) {
                        const o = await outcome(after.iot.send(new DescribeJobCommand({ jobId: j })));
                        if (!o.ok && o.name === 'ResourceNotFoundException')
                            return void settled.set(j, null);
                        if (o.ok) {
                            const job = o.value.job;
                            if (job.status !== 'DELETION_IN_PROGRESS' && !job.isConcurrent)
                                return void settled.set(j, { status: job.status, pending: false });
                        }
                        if (Date.now() > end) {
                            violate(trial, `the background work of ${j} did not finish after the restart`);
                            return void settled.set(j, { status: 'UNFINISHED', pending: true });
                        }
                        await sleep(50);
                    }
                });
                if (settled.get(jobId) !== null)
                    tally.jobsCreated++;
                if (deleting && settled.get(deleting) === null)
                    tally.jobsDeleted++;
                if (acked.created && settled.get(jobId) === null)
                    violate(trial, `acknowledged CreateJob ${jobId} is gone`);
                if (acked.deleted && settled.get(acked.deleted) !== null)
                    violate(trial, `acknowledged DeleteJob ${acked.deleted} did not finish`);
                if (acked.cancel && settled.get(acked.cancel.jobId) !== null && settled.get(acked.cancel.jobId)?.status !== 'CANCELED')
                    violate(trial, `acknowledged CancelJob ${acked.cancel.jobId} is ${settled.get(acked.cancel.jobId)?.status}`);
                // Counters equal listings; a job that was not canceled reached every member of the group.
                live = [];
                for (const j of candidates) {
                    const s = settled.get(j);
                    if (!s || s.pending)
                        continue;
                    live.push(j);
                    if (s.status === 'CANCELED')
                        canceled.add(j);
                    const listed = await listAll(after.iot, j);
                    for (const d of await counterDrift(after.iot, j, listed))
                        violate(trial, d);
                    if (s.status === 'CANCELED') {
                        const left = listed.filter((e) => e.status === 'QUEUED').length;
                        if (left)
                            violate(trial, `canceled job ${j} has ${left} QUEUED executions`);
                    }
                    else {
                        const reached = new Set(listed.map((e) => e.thing));
                        if (reached.size !== FLEET || listed.length !== FLEET)
                            violate(trial, `job ${j} has ${listed.length} executions on ${reached.size} of ${FLEET} things`);
                    }
                }
            }
            tally.violations = violations.length;
            console.log(`# crash trials [${backend}] seed ${SEED} ${JSON.stringify(tally)}`);
            server.child.kill('SIGTERM');
            assert.equal(await server.exited, 0, 'SIGTERM shuts down cleanly');
            assert.deepEqual(violations.slice(0, 10), [], `${violations.length} violations (seed ${SEED})`);
        });
    });
}
//# sourceMappingURL=crash-trials.test.js.map