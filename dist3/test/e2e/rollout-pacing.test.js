import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand, DescribeJobExecutionCommand, UpdateJobCommand, } from '@aws-sdk/client-iot';
import { GetPendingJobExecutionsCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, MOSQUITTO_URL, eventually, groupArn, pgNodes, startServer, thingArn } from '../support/harness.js';
import { Device } from '../support/device.js';
import { advance, alignMinute, clockNow, executedThings, executions, makeThings, maxPerMinute } from '../support/rollout.js';
/**
 * Rollout pacing (issue 11 §1, orchestration.md §2) seen from outside: SDK clients, MQTT devices,
 * time moved through POST /_iot-jobs/clock. Expected values come from the spec: at most
 * maximumPerMinute new executions in any minute, the first minute's worth at CreateJob, N minutes'
 * worth after advancing N minutes, AWS's exponential table (thresholds at 1×, 2×, 3× the criterion).
 * Which thing gets the next execution is not specified, so the tests count and follow whichever.
 */
const run = randomBytes(3).toString('hex');
for (const backend of BACKENDS) {
    describe(`paced rollout [${backend}]`, () => {
        const name = (n) => `${n}-${run}`;
        let s;
        const devices = [];
        const tick = (seconds) => advance(s.url, seconds);
        const things = (prefix, n) => makeThings(s.iot, name, prefix, n);
        const create = (jobId, targets, extra = {}) => s.iot.send(new CreateJobCommand({ jobId, targets, document: '{"op":"fw"}', ...extra }));
        const job = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job;
        const count = async (jobId) => (await executions(s.iot, jobId)).length;
        const update = (jobId, thingName, status) => s.data.send(new UpdateJobExecutionCommand({ jobId, thingName, status }));
        const notifiedOf = (d, jobId) => d.on(`${d.prefix}/notify-next`).filter((m) => m.body.execution?.jobId === jobId);
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttPort: 0 });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        test('maximumPerMinute 1, minute by minute: one new execution per minute, counters, isConcurrent, processingTargets, notify-next only on creation', async () => {
            const ts = await things('one', 4);
            for (const t of ts)
                devices.push(await Device.connect(s.app.mqttUrl, t));
            const ds = devices.slice(-4);
            const jobId = name('one');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
            const seen = new Set();
            const check = async (expected, step) => {
                const now = await executedThings(s.iot, jobId);
                assert.equal(now.size, expected, `${step}: executions`);
                for (const t of seen)
                    assert.ok(now.has(t), `${step}: ${t} keeps its execution`);
                const j = await job(jobId);
                assert.equal(j.status, 'IN_PROGRESS', step);
                assert.equal(j.jobProcessDetails?.numberOfQueuedThings + j.jobProcessDetails?.numberOfSucceededThings, expected, `${step}: counters`);
                const rolling = expected < ts.length;
                assert.equal(j.isConcurrent, rolling, `${step}: isConcurrent`);
                if (rolling)
                    assert.ok(Array.isArray(j.jobProcessDetails?.processingTargets) && j.jobProcessDetails.processingTargets.length > 0, `${step}: processingTargets while rolling out`);
                else
                    assert.equal(j.jobProcessDetails?.processingTargets, undefined, `${step}: processingTargets gone after the rollout`);
                // The device of each new execution is told now; the others have heard nothing of the job.
                for (const d of ds) {
                    if (now.has(d.thing) && !seen.has(d.thing)) {
                        const m = await d.waitFor((x) => x.topic === `${d.prefix}/notify-next` && x.body.execution?.jobId === jobId, 5000, `${step}: notify-next`);
                        assert.equal(m.body.execution.status, 'QUEUED');
                    }
                    if (!now.has(d.thing)) {
                        assert.deepEqual(notifiedOf(d, jobId), [], `${step}: ${d.thing} has no execution and must not be notified`);
                        const p = await s.data.send(new GetPendingJobExecutionsCommand({ thingName: d.thing }));
                        assert.deepEqual(p.queuedJobs, [], `${step}: nothing pending for ${d.thing}`);
                    }
                }
                for (const t of now)
                    seen.add(t);
            };
            // The first minute's worth at CreateJob, before it answers.
            await check(1, 'after CreateJob');
            // The first device finishes at once: the SNAPSHOT job is not COMPLETED while targets remain.
            const first = [...seen][0];
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: first }));
            await update(jobId, first, 'SUCCEEDED');
            assert.equal((await job(jobId)).jobProcessDetails?.numberOfSucceededThings, 1);
            await check(1, 'first succeeded');
            await tick(30);
            await check(1, '+30 s');
            await tick(29.999);
            await check(1, '+59.999 s');
            await tick(0.001);
            await check(2, '+1 min');
            await tick(60);
            await check(3, '+2 min');
            await tick(60);
            await check(4, '+3 min');
            await tick(120);
            await check(4, '+5 min: nothing more to release');
            for (const d of ds)
                assert.equal(notifiedOf(d, jobId).length, 1, `${d.thing}: one notify-next for its one execution`);
            for (const t of ts.filter((x) => x !== first))
                await update(jobId, t, 'SUCCEEDED');
            assert.equal((await job(jobId)).status, 'COMPLETED');
        });
        test('one long advance releases exactly that many minutes\' worth; short steps never exceed the rate in any minute', async () => {
            const ts = await things('long', 20);
            const jobId = name('long');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 3 } });
            assert.equal(await count(jobId), 3, 'the first minute at CreateJob');
            await tick(5 * 60);
            assert.equal(await count(jobId), 18, '3 + 5 × 3 after five minutes in one POST');
            await tick(60);
            assert.equal(await count(jobId), 20, 'the last 2');
            assert.equal((await job(jobId)).isConcurrent, false);
            const short = await things('short', 30);
            const shortId = name('short');
            const t0 = await alignMinute(s.url);
            await create(shortId, short.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 6 } });
            const samples = [{ t: t0, n: await count(shortId) }];
            assert.equal(samples[0].n, 6);
            for (let i = 0; i < 18; i++)
                samples.push({ t: await tick(10), n: await count(shortId) });
            assert.equal(samples.at(-1).n, 24, 'after three minutes: four minutes\' worth (the first at CreateJob)');
            assert.ok(maxPerMinute(samples) <= 6, `at most 6 in any minute; samples ${JSON.stringify(samples.map((x) => [(x.t - t0) / 1000, x.n]))}`);
        });
        test('exponential rate by notified things: AWS\'s table, base 1, ×2 every 8 notified', async () => {
            const ts = await things('expn', 40);
            const jobId = name('expn');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), {
                jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 2, rateIncreaseCriteria: { numberOfNotifiedThings: 8 } } },
            });
            // 1/min until 8 notified (minute 7), 2/min until 16 (minute 11), 4/min until 24 (13), 8/min until 32 (14), then 16/min.
            const expected = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 32, 40];
            const got = [await count(jobId)];
            for (let m = 1; m < expected.length; m++) {
                await tick(60);
                got.push(await count(jobId));
            }
            assert.deepEqual(got, expected);
            const j = await job(jobId);
            assert.equal(j.isConcurrent, false);
            assert.equal(j.jobProcessDetails?.numberOfQueuedThings, 40);
        });
        test('exponential rate by succeeded things: only SUCCEEDED executions raise it, base 1, ×2 every 2 succeeded', async () => {
            const ts = await things('exps', 12);
            const jobId = name('exps');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), {
                jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 1, incrementFactor: 2, rateIncreaseCriteria: { numberOfSucceededThings: 2 } } },
            });
            const done = new Set();
            const succeed = async (n) => {
                const open = (await executions(s.iot, jobId)).filter((e) => e.status === 'QUEUED' && !done.has(e.thing));
                assert.ok(open.length >= n);
                for (const e of open.slice(0, n)) {
                    await update(jobId, e.thing, 'SUCCEEDED');
                    done.add(e.thing);
                }
            };
            assert.equal(await count(jobId), 1);
            await succeed(1);
            await tick(60);
            assert.equal(await count(jobId), 2, 'still 1/min with one success');
            await succeed(1); // 2 succeeded: 2/min from now
            await tick(60);
            assert.equal(await count(jobId), 4);
            await tick(60);
            assert.equal(await count(jobId), 6, '6 notified, 2 succeeded: the notified count does not raise the rate');
            await succeed(2); // 4 succeeded: 4/min
            await tick(60);
            assert.equal(await count(jobId), 10);
            await tick(60);
            assert.equal(await count(jobId), 12);
            assert.equal((await job(jobId)).isConcurrent, false);
        });
        const groupOf = async (prefix, n) => {
            const ts = await things(prefix, n);
            const g = name(prefix);
            await s.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
            for (const t of ts)
                await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: t }));
            return { ts, g };
        };
        const done = async (jobId, why) => {
            const j = await job(jobId);
            assert.deepEqual([j.isConcurrent, j.jobProcessDetails?.processingTargets], [false, undefined], why);
        };
        test('thing-group targets are paced too, with a last minute partial or full', async () => {
            const five = await groupOf('grpa', 5);
            const six = await groupOf('grpb', 6);
            await alignMinute(s.url);
            await create(name('grpa'), [groupArn(five.g)], { jobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
            await create(name('grpb'), [groupArn(six.g)], { jobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
            const both = async () => [await count(name('grpa')), await count(name('grpb'))];
            assert.deepEqual(await both(), [2, 2]);
            await tick(60);
            assert.deepEqual(await both(), [4, 4]);
            await tick(60);
            assert.deepEqual(await both(), [5, 6]);
            await done(name('grpa'), '5 at 2/min: done with the partial last minute');
            await done(name('grpb'), '6 at 2/min: done with the full last minute');
        });
        test('SNAPSHOT group target: a thing added to the group during the paced rollout is not a target', async () => {
            const { g } = await groupOf('snap', 4);
            const jobId = name('snap');
            await alignMinute(s.url);
            await create(jobId, [groupArn(g)], { jobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
            const [late] = await things('snaplate', 1);
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: g, thingName: late }));
            await tick(5 * 60);
            const got = await executedThings(s.iot, jobId);
            assert.equal(got.has(late), false, 'the group\'s members at CreateJob are the targets (orchestration.md §2.4, reference: "all original targets")');
            assert.equal(got.size, 4);
            await done(jobId, 'all 4 original targets have executions');
        });
        test('CONTINUOUS group target: a thing that joins later gets its execution at once, outside the pace', async () => {
            const { ts: cts, g: cgroup } = await groupOf('cont', 3);
            const cjob = name('cont');
            await alignMinute(s.url);
            await create(cjob, [groupArn(cgroup)], { targetSelection: 'CONTINUOUS', jobExecutionsRolloutConfig: { maximumPerMinute: 1 } });
            assert.equal(await count(cjob), 1);
            const [joiner] = await things('joiner', 1);
            await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: cgroup, thingName: joiner }));
            await eventually(async () => (await executedThings(s.iot, cjob)).has(joiner) || undefined, 5000, 'the joiner\'s execution');
            const members = async () => [...(await executedThings(s.iot, cjob))].filter((t) => cts.includes(t)).length;
            assert.equal(await members(), 1, 'the joiner releases no other member');
            await tick(60);
            assert.equal(await members(), 2, 'the members keep their 1/min');
            await tick(60);
            assert.equal(await members(), 3);
            await done(cjob, 'every member has its execution');
        });
        test('UpdateJob changes the rate for the executions not created yet', async () => {
            const ts = await things('upd', 20);
            const jobId = name('upd');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
            await tick(60);
            assert.equal(await count(jobId), 4);
            await s.iot.send(new UpdateJobCommand({ jobId, jobExecutionsRolloutConfig: { maximumPerMinute: 5 } }));
            assert.equal((await job(jobId)).jobExecutionsRolloutConfig?.maximumPerMinute, 5);
            assert.equal(await count(jobId), 4, 'the update itself creates nothing');
            await tick(60);
            assert.equal(await count(jobId), 9);
            await tick(60);
            assert.equal(await count(jobId), 14);
            await s.iot.send(new UpdateJobCommand({ jobId, jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
            await tick(60);
            assert.equal(await count(jobId), 15);
            await tick(60);
            assert.equal(await count(jobId), 16);
        });
        test('abort during a paced rollout: none before the minimum or below the threshold, then at it; the rollout stops', async () => {
            const ts = await things('ab', 10);
            for (const t of ts)
                devices.push(await Device.connect(s.app.mqttUrl, t));
            const ds = new Map(devices.slice(-10).map((d) => [d.thing, d]));
            const jobId = name('ab');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), {
                jobExecutionsRolloutConfig: { maximumPerMinute: 2 },
                abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 3 }] },
            });
            const fresh = new Set();
            const newOnes = async () => {
                const all = await executedThings(s.iot, jobId);
                const out = [...all].filter((t) => !fresh.has(t));
                for (const t of out)
                    fresh.add(t);
                return out;
            };
            const [a, b] = await newOnes();
            await update(jobId, a, 'FAILED'); // C=1 < 3
            await update(jobId, b, 'SUCCEEDED'); // C=2 < 3
            assert.equal((await job(jobId)).status, 'IN_PROGRESS', 'fewer than the minimum completed');
            await tick(60);
            const [c, d] = await newOnes();
            assert.ok(c && d, 'two more at minute 1');
            await update(jobId, c, 'SUCCEEDED'); // C=3, F=1: 33% < 50%
            await update(jobId, d, 'IN_PROGRESS');
            assert.equal((await job(jobId)).status, 'IN_PROGRESS', 'below the threshold');
            await tick(60);
            const [e, f] = await newOnes();
            assert.ok(e && f, 'two more at minute 2');
            const mark = ds.get(f).mark();
            await update(jobId, e, 'FAILED'); // C=4, F=2: 50%
            const j = await job(jobId);
            assert.equal(j.status, 'CANCELED');
            assert.equal(j.reasonCode, 'AUTOMATED_ABORT_FAILED');
            await eventually(async () => (await job(jobId)).isConcurrent === false || undefined, 10_000, 'the abort to finish');
            const st = async (t) => (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName: t }))).execution.status;
            assert.equal(await st(f), 'CANCELED');
            assert.equal(await st(d), 'IN_PROGRESS');
            const next = await ds.get(f).waitFor((m) => m.i >= mark && m.topic === `${ds.get(f).prefix}/notify-next`, 10_000, 'notify-next after the abort');
            assert.equal(next.body.execution, undefined);
            // The rollout stopped: no more executions, however far the clock moves.
            await tick(10 * 60);
            assert.equal(await count(jobId), 6);
            const after = await job(jobId);
            assert.equal(after.jobProcessDetails?.processingTargets, undefined);
            assert.equal(after.jobProcessDetails?.numberOfQueuedThings, 0);
            for (const t of ts.filter((x) => !fresh.has(x)))
                assert.deepEqual(notifiedOf(ds.get(t), jobId), [], `${t} never had an execution`);
        });
        test('abort on TIMED_OUT executions, timed out by the clock', async () => {
            const ts = await things('to', 5);
            const jobId = name('to');
            await create(jobId, ts.map(thingArn), {
                timeoutConfig: { inProgressTimeoutInMinutes: 1 },
                abortConfig: { criteriaList: [{ failureType: 'TIMED_OUT', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 2 }] },
            });
            await update(jobId, ts[0], 'SUCCEEDED');
            await update(jobId, ts[1], 'IN_PROGRESS');
            await tick(61);
            assert.equal((await job(jobId)).status, 'CANCELED', 'C=2, TIMED_OUT=1: 50%');
            assert.equal((await job(jobId)).reasonCode, 'AUTOMATED_ABORT_TIMED_OUT');
            await eventually(async () => (await job(jobId)).jobProcessDetails?.numberOfCanceledThings === 3 || undefined, 10_000, 'the QUEUED to be canceled');
        });
        test('a restart resumes the pace where it was: nothing released on start, then the rate again', async () => {
            const ts = await things('rs', 12);
            const jobId = name('rs');
            await alignMinute(s.url);
            await create(jobId, ts.map(thingArn), { jobExecutionsRolloutConfig: { maximumPerMinute: 2 } });
            await tick(60);
            assert.equal(await count(jobId), 4);
            s = await s.restart();
            assert.equal(await count(jobId), 4, 'no burst at start');
            await new Promise((r) => setTimeout(r, 1500));
            assert.equal(await count(jobId), 4, 'nothing released while the clock stands');
            await tick(60);
            assert.equal(await count(jobId), 6);
            await tick(60);
            assert.equal(await count(jobId), 8);
            assert.equal((await job(jobId)).isConcurrent, true);
            // The devices connected before the restart are gone with the old broker.
            for (const d of devices.splice(0))
                await d.close().catch(() => { });
        });
    });
    describe(`paced rollout: a restart after a gap does not catch up [${backend}]`, () => {
        test('clock moved 10 minutes while the server was down: at most the rate in any minute after the restart', async () => {
            const { ManualClock } = await import('../../src/clock.js');
            const clock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000);
            let s = await startServer(backend, { mqttPort: 0 }, { clock });
            try {
                const ts = [];
                for (let i = 0; i < 30; i++) {
                    ts.push(`gap${i}-${run}`);
                    await s.iot.send(new CreateThingCommand({ thingName: ts[i] }));
                }
                const jobId = `gap-${run}`;
                await s.iot.send(new CreateJobCommand({ jobId, targets: ts.map(thingArn), document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 2 } }));
                const n = async () => (await executions(s.iot, jobId)).length;
                assert.equal(await n(), 2);
                // The system clock's spread: the first minute at once, then one every 30 s.
                clock.advance(90_000);
                await eventually(async () => (await n()) === 3 || undefined, 5000, 'one more at 90 s');
                s = await s.restart({}, () => clock.advance(10 * 60_000));
                const t0 = clock.now();
                // The timer worker polls at least every 0.5 s; give it 2 s of real time at this clock time.
                await new Promise((r) => setTimeout(r, 2000));
                const atRestart = await n();
                assert.ok(atRestart <= 5, `at most one minute's worth after the gap, got ${atRestart - 3}`);
                const samples = [{ t: t0 - 10 * 60_000, n: 3 }, { t: t0, n: atRestart }];
                for (let i = 0; i < 4; i++) {
                    clock.advance(30_000);
                    await new Promise((r) => setTimeout(r, 1500));
                    samples.push({ t: clock.now(), n: await n() });
                }
                assert.ok(maxPerMinute(samples, 2) <= 2, `at most 2 in any minute: ${JSON.stringify(samples.map((x) => [(x.t - t0) / 1000, x.n]))}`);
                assert.ok(samples.at(-1).n >= 7, `the pace goes on after the restart: ${JSON.stringify(samples)}`);
            }
            finally {
                await s.close();
            }
        });
    });
    describe(`paced rollout on an external broker [${backend}]`, () => {
        let s;
        const devices = [];
        before(async () => {
            s = await startServer(backend, { clock: 'manual', mqttUrl: MOSQUITTO_URL });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        test('each device is told through Mosquitto when its execution is created, not before', async () => {
            const ts = [`ext-a-${backend}-${run}`, `ext-b-${backend}-${run}`];
            for (const t of ts) {
                await s.iot.send(new CreateThingCommand({ thingName: t }));
                devices.push(await Device.connect(MOSQUITTO_URL, t));
            }
            const jobId = `ext-${backend}-${run}`;
            await alignMinute(s.url);
            await s.iot.send(new CreateJobCommand({ jobId, targets: ts.map(thingArn), document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 1 } }));
            const isJob = (d) => (m) => m.topic === `${d.prefix}/notify-next` && m.body.execution?.jobId === jobId;
            const created = [...(await executedThings(s.iot, jobId))];
            assert.equal(created.length, 1, 'one execution in the first minute');
            const first = created[0];
            const d1 = devices.find((d) => d.thing === first);
            const d2 = devices.find((d) => d.thing !== first);
            await d1.waitFor(isJob(d1), 5000, 'notify-next of the first');
            assert.equal(d2.messages.filter(isJob(d2)).length, 0, 'the second has no execution yet');
            const mark = d2.mark();
            await advance(s.url, 60);
            const m = await d2.waitFor((x) => x.i >= mark && isJob(d2)(x), 5000, 'notify-next of the second after a minute');
            assert.equal(m.body.execution.status, 'QUEUED');
            assert.ok(await clockNow(s.url));
        });
    });
}
if (BACKENDS.includes('postgres'))
    describe('paced rollout across two PostgreSQL nodes: one pace for the cluster', () => {
        test('advancing through either node, or both at once, never releases more than the rate', async () => {
            const cluster = await pgNodes(2);
            const [a, b] = cluster.nodes;
            try {
                const ts = [];
                for (let i = 0; i < 40; i++) {
                    ts.push(`mn${i}-${run}`);
                    await a.iot.send(new CreateThingCommand({ thingName: ts[i] }));
                }
                const jobId = `mn-${run}`;
                await alignMinute(a.url);
                await b.iot.send(new CreateJobCommand({ jobId, targets: ts.map(thingArn), document: '{}', jobExecutionsRolloutConfig: { maximumPerMinute: 3 } }));
                const n = async () => (await executions(a.iot, jobId)).length;
                assert.equal(await n(), 3);
                let expected = 3;
                for (let m = 0; m < 4; m++) {
                    await advance((m % 2 ? a : b).url, 60);
                    expected += 3;
                    assert.equal(await n(), expected, `minute ${m + 1} through node ${m % 2 ? 'a' : 'b'}`);
                }
                // Both nodes move the clock at once: two minutes in all, two minutes' worth.
                await Promise.all([advance(a.url, 60), advance(b.url, 60)]);
                await new Promise((r) => setTimeout(r, 500));
                expected += 6;
                assert.equal(await n(), expected, 'two concurrent one-minute moves');
                // Half-minute steps alternating between the nodes.
                const t0 = await clockNow(a.url);
                const samples = [{ t: t0, n: expected }];
                for (let i = 0; i < 6; i++)
                    samples.push({ t: await advance((i % 2 ? a : b).url, 30), n: await n() });
                assert.equal(samples.at(-1).n, expected + 9, 'three minutes in half-minute steps');
                assert.ok(maxPerMinute(samples, expected) <= 3, JSON.stringify(samples));
                const rows = await executions(b.iot, jobId);
                assert.equal(new Set(rows.map((r) => r.thing)).size, rows.length, 'one execution per thing');
                const d = (await b.iot.send(new DescribeJobCommand({ jobId }))).job.jobProcessDetails;
                assert.equal(d.numberOfQueuedThings, rows.length);
            }
            finally {
                await cluster.close();
            }
        });
    });
//# sourceMappingURL=rollout-pacing.test.js.map