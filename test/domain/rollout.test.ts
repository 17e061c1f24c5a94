import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as r from '../../src/domain/rollout.js';

const MIN = 60_000;
const expo = (base: number, factor: number, criteria: { numberOfNotifiedThings?: number; numberOfSucceededThings?: number }, max?: number): r.RolloutConfig => ({
  ...(max !== undefined ? { maximumPerMinute: max } : {}),
  exponentialRate: { baseRatePerMinute: base, incrementFactor: factor, rateIncreaseCriteria: criteria },
});

/** Drives a rollout minute by minute with the pure pace, as a manual clock would; returns executions created per step. */
function simulate(cfg: r.RolloutConfig, targets: number, minutes: number, stepMs = MIN, succeededOf = (_n: number) => 0): number[] {
  let notified = 0;
  const first = r.startPace(cfg, 0);
  let pace = first;
  const out: number[] = [];
  const t0 = r.advancePace(cfg, pace, 0, 0, 0, targets);
  pace = t0.pace;
  notified += t0.release;
  out.push(t0.release);
  for (let m = 1; m <= minutes; m++) {
    const step = r.advancePace(cfg, pace, m * stepMs, notified, succeededOf(notified), targets - notified);
    pace = step.pace;
    notified += step.release;
    out.push(step.release);
  }
  return out;
}

test('validation: maximumPerMinute 1-1000, base 1-1000, factor 1.1-5.0 with one decimal, a criterion required', () => {
  assert.equal(r.checkRollout({ maximumPerMinute: 1 }), undefined);
  assert.equal(r.checkRollout({ maximumPerMinute: 1000 }), undefined);
  assert.match(r.checkRollout({ maximumPerMinute: 1001 })!, /maximumPerMinute must be between 1 and 1000/);
  assert.match(r.checkRollout({ maximumPerMinute: 0 })!, /maximumPerMinute/);
  assert.equal(r.checkRollout(expo(50, 2, { numberOfNotifiedThings: 1000 })), undefined);
  assert.equal(r.checkRollout(expo(50, 1.1, { numberOfSucceededThings: 1 })), undefined);
  assert.equal(r.checkRollout(expo(50, 5, { numberOfSucceededThings: 1 })), undefined);
  assert.match(r.checkRollout(expo(1001, 2, { numberOfNotifiedThings: 1 }))!, /baseRatePerMinute must be between 1 and 1000/);
  assert.match(r.checkRollout(expo(10, 5.5, { numberOfNotifiedThings: 1 }))!, /incrementFactor must be between 1.1 and 5.0/);
  assert.match(r.checkRollout(expo(10, 1.55, { numberOfNotifiedThings: 1 }))!, /one digit after the decimal/);
  assert.match(r.checkRollout(expo(10, 1.0, { numberOfNotifiedThings: 1 }))!, /incrementFactor/);
  assert.match(r.checkRollout(expo(10, 2, {}))!, /rateIncreaseCriteria must set/);
});

test("AWS's table: base 50, factor 2, thresholds 1000, 2000, 3000, 4000", () => {
  const cfg = expo(50, 2, { numberOfNotifiedThings: 1000, numberOfSucceededThings: 1000 });
  assert.equal(r.currentRate(cfg, 0, 0), 50);
  assert.equal(r.currentRate(cfg, 999, 999), 50);
  assert.equal(r.currentRate(cfg, 1000, 0), 100);
  assert.equal(r.currentRate(cfg, 0, 1000), 100, 'either criterion crosses');
  assert.equal(r.currentRate(cfg, 1999, 0), 100);
  assert.equal(r.currentRate(cfg, 2000, 0), 200);
  assert.equal(r.currentRate(cfg, 3000, 10), 400);
  assert.equal(r.currentRate(cfg, 1500, 2500), 200, 'the criterion further along counts');
});

test('rounding: rates are rounded down, computed exactly, capped at 1000 or maximumPerMinute', () => {
  const cfg = expo(3, 1.5, { numberOfNotifiedThings: 10 });
  assert.deepEqual([0, 1, 2, 3, 4].map((k) => r.rateAfter(cfg, k)), [3, 4, 6, 10, 15]); // 3, 4.5, 6.75, 10.125, 15.1875
  const tenth = expo(10, 1.1, { numberOfNotifiedThings: 1 });
  assert.equal(r.rateAfter(tenth, 1), 11);
  assert.equal(r.rateAfter(tenth, 2), 12); // 12.1
  assert.equal(r.rateAfter(tenth, 10_000), 1000);
  assert.equal(r.rateAfter(expo(10, 2, { numberOfNotifiedThings: 1 }, 30), 3), 30, 'maximumPerMinute caps the exponential rate');
  assert.equal(r.rateAfter({}, 0), 1000, 'no config: 1000 per minute');
});

test('constant rate: the first minute at once, then exactly the rate per minute until every target has one', () => {
  assert.deepEqual(simulate({ maximumPerMinute: 1 }, 5, 6), [1, 1, 1, 1, 1, 0, 0]);
  assert.deepEqual(simulate({ maximumPerMinute: 7 }, 30, 5), [7, 7, 7, 7, 2, 0]);
  assert.deepEqual(simulate({}, 2500, 3), [1000, 1000, 500, 0]);
});

test('one long advance releases what minute-by-minute advances do, rate increases included', () => {
  const cfg = expo(10, 2, { numberOfNotifiedThings: 25 });
  const byMinute = simulate(cfg, 100_000, 10);
  const total = byMinute.reduce((a, b) => a + b, 0);
  let pace = r.startPace(cfg, 0);
  const first = r.advancePace(cfg, pace, 0, 0, 0, 100_000);
  pace = first.pace;
  const long = r.advancePace(cfg, pace, 10 * MIN, first.release, 0, 100_000 - first.release);
  assert.equal(first.release + long.release, total);
  // The pace is continuous: minute 2 runs at 10/min until the 25th execution (half a minute),
  // then at 20/min; minute 3 at 20/min until the 50th (45 s), then at 40/min.
  assert.deepEqual(byMinute.slice(0, 4), [10, 10, 15, 25]);
});

test('smooth over real time: a second releases a sixtieth of a minute, not a burst at the minute boundary', () => {
  const cfg = { maximumPerMinute: 600 };
  const perSecond = simulate(cfg, 100_000, 120, 1000);
  assert.equal(perSecond[0], 600);
  assert.ok(perSecond.slice(1).every((n) => n === 10), perSecond.join(','));
});

test('succeeded criterion: the rate rises as executions succeed', () => {
  const cfg = expo(5, 2, { numberOfSucceededThings: 5 });
  // Every execution created has succeeded by the next minute: 5 succeeded → 10/min; 15 → three
  // thresholds (5, 10, 15) → 40/min; 55 → capped at 1000/min, the 945 left at once.
  const out = simulate(cfg, 1000, 4, MIN, (n) => n);
  assert.deepEqual(out, [5, 10, 40, 945, 0]);
});

test('resume after a gap: no burst to catch up', () => {
  const cfg = { maximumPerMinute: 10 };
  let pace = r.startPace(cfg, 0);
  pace = r.advancePace(cfg, pace, 0, 0, 0, 1000).pace;
  const resumed = r.resumePace(pace, 60 * MIN, 10);
  assert.equal(r.advancePace(cfg, resumed, 60 * MIN, 10, 0, 990).release, 0);
  assert.equal(r.advancePace(cfg, resumed, 61 * MIN, 10, 0, 990).release, 10);
  assert.equal(r.nextReleaseAt(resumed, 10), 60 * MIN + 6000);
});
