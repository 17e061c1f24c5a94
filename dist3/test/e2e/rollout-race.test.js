import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AddThingToThingGroupCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, eventually, groupArn, pgNodes } from '../support/harness.js';
import { counterDrift, listAll } from '../support/invariants.js';
import { advance, alignMinute } from '../support/rollout.js';
/**
 * Paced releases race the devices of the same job on two PostgreSQL nodes: every device updates
 * its execution (start, fail once or succeed, the retry) through either node while the clock is
 * moved minute by minute through either node. The release reads the succeeded count for the
 * exponential rate while devices move it, and every update moves the same job row's counters.
 */
if (BACKENDS.includes('postgres'))
    describe('paced rollout racing its devices on two PostgreSQL nodes', () => {
        test('exponential by succeeded things with retries and an abort criterion: never over the rate, one execution chain per thing, counters equal the listings', async () => {
            const run = randomBytes(3).toString('hex');
            const cluster = await pgNodes(2);
            const [a, b] = cluster.nodes;
            const node = (i) => (i % 2 ? a : b);
            const errors = [];
            let stop = false;
            try {
                const group = `race-${run}`;
                const n = 48;
                const things = Array.from({ length: n }, (_, i) => `${group}-${String(i).padStart(2, '0')}`);
                await a.iot.send(new CreateThingGroupCommand({ thingGroupName: group }));
                for (const t of things) {
                    await a.iot.send(new CreateThingCommand({ thingName: t }));
                    await b.iot.send(new AddThingToThingGroupCommand({ thingGroupName: group, thingName: t }));
                }
                const failsFirst = (i) => i % 6 === 0;
                const jobId = `race-${run}`;
                const base = 2;
                const cap = 12;
                await alignMinute(a.url);
                await b.iot.send(new CreateJobCommand({
                    jobId,
                    targets: [groupArn(group)],
                    document: '{}',
                    jobExecutionsRolloutConfig: {
                        maximumPerMinute: cap,
                        exponentialRate: { baseRatePerMinute: base, incrementFactor: 2, rateIncreaseCriteria: { numberOfSucceededThings: 4 } },
                    },
                    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 1 }] },
                    // Evaluated on every terminal update, never met: 8 of 48 fail once.
                    abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 90, minNumberOfExecutedThings: 40 }] },
                }));
                // One device loop per thing, each request through the node of its turn.
                let turn = 0;
                const devices = things.map(async (thingName, i) => {
                    let failed = false;
                    while (!stop) {
                        try {
                            const via = node(turn++);
                            const got = await via.data.send(new StartNextPendingJobExecutionCommand({ thingName }));
                            const e = got.execution;
                            if (!e) {
                                await sleep(10);
                                continue;
                            }
                            const status = failsFirst(i) && !failed ? 'FAILED' : 'SUCCEEDED';
                            if (status === 'FAILED')
                                failed = true;
                            await node(turn++).data.send(new UpdateJobExecutionCommand({ jobId, thingName, status, executionNumber: e.executionNumber, expectedVersion: e.versionNumber }));
                        }
                        catch (err) {
                            errors.push(`${thingName}: ${err.name} ${err.message}`);
                            await sleep(10);
                        }
                    }
                });
                // The clock, minute by minute through either node; after each move, what was released.
                const samples = [];
                const describe_ = async () => (await a.iot.send(new DescribeJobCommand({ jobId }))).job;
                const distinctThings = async () => new Set((await listAll(b.iot, jobId)).map((e) => e.thing)).size;
                let released = await distinctThings();
                assert.equal(released, base, 'the first minute at CreateJob');
                for (let m = 0; released < n && m < 30; m++) {
                    // Give the devices time to act on what they have, so that the next release races them.
                    await sleep(150);
                    const succeededBefore = (await describe_()).jobProcessDetails.numberOfSucceededThings;
                    await advance(node(m).url, 60);
                    const now = await distinctThings();
                    samples.push({ released: now - released, succeededBefore });
                    released = now;
                }
                assert.equal(released, n, `every target has an execution: ${JSON.stringify(samples)}`);
                // The job completes when every device has finished (its retries included).
                const done = await eventually(async () => {
                    const j = await describe_();
                    return j.status === 'COMPLETED' ? j : undefined;
                }, 20_000, 'the job COMPLETED');
                stop = true;
                await Promise.all(devices);
                assert.deepEqual(errors, [], 'no device request failed');
                for (const [m, s] of samples.entries()) {
                    assert.ok(s.released <= cap, `minute ${m + 1}: ${s.released} over maximumPerMinute ${cap}`);
                    // The rate can only have grown from what had succeeded by the end of the minute.
                    const bound = Math.min(cap, base * 2 ** Math.floor((samples[m + 1]?.succeededBefore ?? n) / 4));
                    assert.ok(s.released <= bound, `minute ${m + 1}: ${s.released} over the exponential rate ${bound}: ${JSON.stringify(samples)}`);
                    if (m < samples.length - 1)
                        assert.ok(s.released >= base, `minute ${m + 1}: ${s.released} under the base rate`);
                }
                const rows = await listAll(a.iot, jobId);
                for (const [i, t] of things.entries()) {
                    const mine = rows.filter((r) => r.thing === t).sort((x, y) => x.n - y.n).map((r) => r.status);
                    assert.deepEqual(mine, failsFirst(i) ? ['FAILED', 'SUCCEEDED'] : ['SUCCEEDED'], t);
                }
                assert.deepEqual(await counterDrift(b.iot, jobId, rows), []);
                assert.equal(done.jobProcessDetails.numberOfSucceededThings, n);
                assert.equal(done.jobProcessDetails.numberOfFailedThings, things.filter((_, i) => failsFirst(i)).length);
            }
            finally {
                stop = true;
                await cluster.close();
            }
        });
    });
//# sourceMappingURL=rollout-race.test.js.map