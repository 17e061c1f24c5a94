import { describe, test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { AddThingToThingGroupCommand, CancelJobCommand, CancelJobExecutionCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteJobCommand, DeleteJobExecutionCommand, DeleteThingCommand, DescribeJobCommand, RemoveThingFromThingGroupCommand, } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand, } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { counterDrift, listAll, outcome, pool } from '../support/invariants.js';
/**
 * Many clients racing on the same executions and jobs, over HTTP with the real SDK clients (and a
 * few over MQTT). Single-threaded code answers exactly one of several updates that expect the same
 * version; the others get 409. Afterwards every job's counters must equal its listed executions.
 */
const ROUNDS = 8;
const THINGS = 8;
for (const backend of BACKENDS) {
    describe(`concurrency [${backend}]`, () => {
        let s;
        let iot;
        let data;
        let seq = 0;
        /** Counted over the whole file and printed as a diagnostic, for docs/reliability.md. */
        const tally = { races: 0, doubleAcks: 0, wrongAnswers: 0, drift: 0, lost: 0, serverErrors: 0 };
        /** Violations of the test running now: all of them are counted before it fails. */
        let violations = [];
        const violate = (kind, what) => {
            tally[kind]++;
            violations.push(`${kind}: ${what}`);
        };
        const expect = (ok, kind, what) => {
            if (!ok)
                violate(kind, what());
        };
        beforeEach(() => {
            violations = [];
        });
        afterEach(() => {
            assert.deepEqual(violations.slice(0, 5), [], `${violations.length} violations`);
        });
        before(async () => {
            s = await startServer(backend, { mqttPort: 0, dbPoolSize: 10 });
            ({ iot, data } = s);
        });
        after(async () => {
            console.log(`# concurrency [${backend}] ${JSON.stringify(tally)}`);
            await s?.close();
        });
        /** Things of their own and a job on them; every execution starts QUEUED at version 1. */
        async function job(n, extra = {}) {
            const k = ++seq;
            const things = Array.from({ length: n }, (_, i) => `c${k}-${i}`);
            await pool(things, 8, (thingName) => iot.send(new CreateThingCommand({ thingName })));
            const jobId = `race-${k}`;
            const targets = extra.group ? [groupArn(extra.group)] : things.map(thingArn);
            await iot.send(new CreateJobCommand({ jobId, targets, document: '{}', targetSelection: extra.group ? 'CONTINUOUS' : 'SNAPSHOT' }));
            return { jobId, things };
        }
        function noServerErrors(outcomes) {
            for (const o of outcomes)
                if (!o.ok && (o.status === undefined || o.status >= 500))
                    violate('serverErrors', `${o.status} ${o.name}: ${o.message}`);
        }
        /** One violation per job whose counters differ from its listing. */
        async function checkCounters(jobIds) {
            for (const jobId of jobIds) {
                const drift = await counterDrift(iot, jobId);
                if (drift.length)
                    violate('drift', drift.join('; '));
            }
        }
        /** Exactly one of a race's outcomes is a success; the extra ones are double acknowledgements. */
        function oneWinner(outcomes, what) {
            const won = outcomes.filter((o) => o.ok).length;
            if (won > 1)
                violate('doubleAcks', `${won} successes for ${what}`);
            if (won === 0)
                violate('wrongAnswers', `no success for ${what}: ${JSON.stringify(outcomes)}`);
        }
        /** ROUNDS jobs on `n` fresh things each; `race` runs for all things of a round at once; then the counters are compared. */
        async function rounds(n, race) {
            const jobIds = [];
            for (let r = 0; r < ROUNDS; r++) {
                const { jobId, things } = await job(n);
                jobIds.push(jobId);
                await Promise.all(things.map((thingName, i) => race(jobId, thingName, i)));
            }
            await checkCounters(jobIds);
        }
        test('four UpdateJobExecution with the same expectedVersion (one over MQTT): exactly one is acknowledged', async () => {
            await rounds(THINGS, async (jobId, thingName) => {
                const device = await Device.connect(s.app.mqttUrl, thingName);
                try {
                    const update = (status) => data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: status, expectedVersion: 1, includeJobExecutionState: true }));
                    const overMqtt = device.request(`${jobId}/update`, { status: 'REJECTED', expectedVersion: 1, includeJobExecutionState: true }).then((r) => {
                        if (r.accepted)
                            return r.body;
                        throw Object.assign(new Error(JSON.stringify(r.body)), { name: String(r.body.code), $metadata: { httpStatusCode: 409 } });
                    });
                    const outcomes = await Promise.all([update('IN_PROGRESS'), update('SUCCEEDED'), update('FAILED'), overMqtt].map(outcome));
                    tally.races++;
                    noServerErrors(outcomes);
                    oneWinner(outcomes, `updates of ${thingName} expecting version 1`);
                    for (const o of outcomes)
                        expect(o.ok || /InvalidStateTransition|VersionMismatch/.test(o.name), 'wrongAnswers', () => `a losing update of ${thingName} got ${!o.ok && o.name}`);
                }
                finally {
                    await device.close();
                }
            });
        });
        test('updates without expectedVersion on an execution that ends: one terminal status is acknowledged', async () => {
            await rounds(THINGS, async (jobId, thingName) => {
                await data.send(new StartNextPendingJobExecutionCommand({ thingName }));
                const outcomes = await Promise.all(['SUCCEEDED', 'FAILED', 'REJECTED', 'SUCCEEDED'].map((status) => outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: status })))));
                tally.races++;
                noServerErrors(outcomes);
                oneWinner(outcomes, `terminal updates of ${thingName}`);
            });
        });
        test('concurrent StartNextPendingJobExecution on one thing: all get the same execution, started once', async () => {
            await rounds(THINGS, async (jobId, thingName) => {
                const outcomes = await Promise.all(Array.from({ length: 4 }, () => outcome(data.send(new StartNextPendingJobExecutionCommand({ thingName })))));
                tally.races++;
                noServerErrors(outcomes);
                const versions = outcomes.map((o) => (o.ok ? o.value.execution?.versionNumber : -1));
                if (versions.filter((v) => v === 2).length < 4)
                    violate(versions.some((v) => v !== undefined && v > 2) ? 'doubleAcks' : 'wrongAnswers', `start-next of ${thingName} gave versions ${versions}`);
            });
        });
        test('CancelJob (with and without force) while devices start and finish their executions', async () => {
            const jobIds = [];
            for (let r = 0; r < ROUNDS; r++) {
                const force = r % 2 === 0;
                const { jobId, things } = await job(THINGS * 2);
                jobIds.push(jobId);
                // Half the devices have started already, so a forced cancel has IN_PROGRESS work to take.
                await Promise.all(things.slice(0, THINGS).map((thingName) => data.send(new StartNextPendingJobExecutionCommand({ thingName }))));
                const acked = new Map();
                const device = async (thingName, i) => {
                    for (const status of i < THINGS ? ['IN_PROGRESS', 'SUCCEEDED'] : ['IN_PROGRESS', 'FAILED']) {
                        const o = await outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: status })));
                        noServerErrors([o]);
                        if (!o.ok)
                            return;
                        acked.set(thingName, status);
                    }
                };
                const outcomes = await Promise.all([
                    outcome(iot.send(new CancelJobCommand({ jobId, force }))),
                    ...things.map((t, i) => outcome(device(t, i))),
                ]);
                tally.races += things.length;
                noServerErrors(outcomes);
                expect(outcomes[0].ok, 'wrongAnswers', () => `CancelJob failed: ${JSON.stringify(outcomes[0])}`);
                // An acknowledged terminal status stays: a cancel never overwrites it.
                const listed = new Map((await listAll(iot, jobId)).map((e) => [e.thing, e.status]));
                for (const [thing, status] of acked) {
                    if (status === 'SUCCEEDED' || status === 'FAILED')
                        expect(listed.get(thing) === status, 'lost', () => `acknowledged ${status} of ${thing} is listed as ${listed.get(thing)}`);
                }
            }
            await checkCounters(jobIds);
        });
        test('CancelJobExecution (forced, three at once) while the device finishes: one of them wins', async () => {
            await rounds(THINGS, async (jobId, thingName) => {
                await data.send(new StartNextPendingJobExecutionCommand({ thingName }));
                const outcomes = await Promise.all([
                    outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: 'SUCCEEDED' }))),
                    ...Array.from({ length: 3 }, () => outcome(iot.send(new CancelJobExecutionCommand({ jobId, thingName, force: true })))),
                ]);
                tally.races++;
                noServerErrors(outcomes);
                oneWinner(outcomes, `endings of ${thingName}`);
            });
        });
        test('DeleteJobExecution --force while the device updates: counters follow', async () => {
            await rounds(THINGS, async (jobId, thingName, i) => {
                if (i % 2)
                    await data.send(new StartNextPendingJobExecutionCommand({ thingName }));
                const outcomes = await Promise.all([
                    outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: i % 4 < 2 ? 'IN_PROGRESS' : 'SUCCEEDED' }))),
                    outcome(iot.send(new DeleteJobExecutionCommand({ jobId, thingName, executionNumber: 1, force: true }))),
                    outcome(iot.send(new DeleteJobExecutionCommand({ jobId, thingName, executionNumber: 1, force: true }))),
                ]);
                tally.races++;
                noServerErrors(outcomes);
                oneWinner(outcomes.slice(1), `deletions of ${thingName}`);
            });
        });
        test('CONTINUOUS job: group membership changes and DeleteThing race with devices', async () => {
            const group = `cg-${++seq}`;
            await iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
            const { jobId, things } = await job(THINGS * 4, { group });
            const outcomes = [];
            await Promise.all(things.map(async (thingName, i) => {
                const add = () => outcome(iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName })));
                const remove = () => outcome(iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: group, thingName })));
                const start = () => outcome(data.send(new StartNextPendingJobExecutionCommand({ thingName })));
                const finish = () => outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: 'SUCCEEDED' })));
                outcomes.push(...(await Promise.all([add(), add(), start()])));
                outcomes.push(...(await Promise.all([remove(), start(), add(), finish()])));
                outcomes.push(...(await Promise.all([add(), remove(), finish(), ...(i % 4 === 0 ? [outcome(iot.send(new DeleteThingCommand({ thingName })))] : [])])));
                tally.races += 3;
            }));
            noServerErrors(outcomes);
            // At most one pending execution per thing, and the counters agree.
            const pending = new Map();
            for (const e of await listAll(iot, jobId))
                if (e.status === 'QUEUED' || e.status === 'IN_PROGRESS')
                    pending.set(e.thing, (pending.get(e.thing) ?? 0) + 1);
            for (const [thing, n] of pending)
                expect(n === 1, 'doubleAcks', () => `${thing} has ${n} pending executions`);
            await checkCounters([jobId]);
        });
        test('worker batches: a forced cancel and a forced deletion of a big job while devices update', async () => {
            // More executions than CancelJob handles inline (2,000), so the worker cancels the rest.
            const group = `big-${++seq}`;
            await iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
            const n = 2100;
            const things = Array.from({ length: n }, (_, i) => `b${seq}-${String(i).padStart(4, '0')}`);
            await pool(things, 16, async (thingName) => {
                await iot.send(new CreateThingCommand({ thingName }));
                await iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName }));
            });
            const jobId = `big-${seq}`;
            await iot.send(new CreateJobCommand({ jobId, targets: [groupArn(group)], document: '{}' }));
            await eventually(async () => (await iot.send(new DescribeJobCommand({ jobId }))).job?.jobProcessDetails?.numberOfQueuedThings === n, 60_000, 'fan-out');
            // The devices late in name order, which the worker reaches last.
            const racing = things.slice(-60);
            const acked = new Map();
            const device = async (thingName) => {
                for (const status of ['IN_PROGRESS', 'SUCCEEDED']) {
                    const o = await outcome(data.send(new UpdateJobExecutionCommand({ jobId, thingName, status: status })));
                    noServerErrors([o]);
                    if (!o.ok)
                        return;
                    acked.set(thingName, status);
                }
            };
            const cancel = await outcome(iot.send(new CancelJobCommand({ jobId, force: true })));
            await Promise.all(racing.map(device));
            noServerErrors([cancel]);
            tally.races += racing.length;
            await eventually(async () => (await iot.send(new DescribeJobCommand({ jobId }))).job?.isConcurrent === false, 60_000, 'the cancel to finish');
            const listed = new Map((await listAll(iot, jobId)).map((e) => [e.thing, e.status]));
            for (const [thing, status] of acked)
                if (status === 'SUCCEEDED')
                    expect(listed.get(thing) === status, 'lost', () => `acknowledged SUCCEEDED of ${thing} is listed as ${listed.get(thing)}`);
            await checkCounters([jobId]);
            // A forced deletion (always the worker's) while other devices of a second job update.
            const second = `big2-${seq}`;
            await iot.send(new CreateJobCommand({ jobId: second, targets: [groupArn(group)], document: '{}' }));
            await eventually(async () => (await iot.send(new DescribeJobCommand({ jobId: second }))).job?.jobProcessDetails?.numberOfQueuedThings === n, 60_000, 'fan-out');
            const del = await outcome(iot.send(new DeleteJobCommand({ jobId: second, force: true })));
            const updates = await Promise.all(racing.map((thingName) => outcome(data.send(new UpdateJobExecutionCommand({ jobId: second, thingName, status: 'IN_PROGRESS' })))));
            noServerErrors([del, ...updates]);
            for (const u of updates)
                expect(u.ok || /ResourceNotFound|InvalidStateTransition/.test(u.name), 'wrongAnswers', () => `update during deletion got ${!u.ok && u.name}`);
            await eventually(async () => (await outcome(iot.send(new DescribeJobCommand({ jobId: second })))).ok === false, 60_000, 'the deletion to finish');
        });
    });
}
//# sourceMappingURL=concurrency.test.js.map