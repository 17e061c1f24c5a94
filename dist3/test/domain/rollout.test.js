import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as r from '../../src/domain/rollout.js';
const MIN = 60_000;
const expo = (base, factor, criteria, max) => ({
    ...(max !== undefined ? { maximumPerMinute: max } : {}),
    exponentialRate: { baseRatePerMinute: base, incrementFactor: factor, rateIncreaseCriteria: criteria },
});
/** Drives a rollout step by step with the pure pace (a manual clock's minute batches unless `smooth`); returns executions created per step. */
function simulate(cfg, targets, minutes, stepMs = MIN, succeededOf = (_n) => 0, smooth = false) {
    let notified = 0;
    const first = r.startPace(cfg, 0, 0, 0, !smooth);
    let pace = first;
    const out = [];
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
    assert.match(r.checkRollout({ maximumPerMinute: 1001 }), /maximumPerMinute must be between 1 and 1000/);
    assert.match(r.checkRollout({ maximumPerMinute: 0 }), /maximumPerMinute/);
    assert.equal(r.checkRollout(expo(50, 2, { numberOfNotifiedThings: 1000 })), undefined);
    assert.equal(r.checkRollout(expo(50, 1.1, { numberOfSucceededThings: 1 })), undefined);
    assert.equal(r.checkRollout(expo(50, 5, { numberOfSucceededThings: 1 })), undefined);
    assert.match(r.checkRollout(expo(1001, 2, { numberOfNotifiedThings: 1 })), /baseRatePerMinute must be between 1 and 1000/);
    assert.match(r.checkRollout(expo(10, 5.5, { numberOfNotifiedThings: 1 })), /incrementFactor must be between 1.1 and 5.0/);
    assert.match(r.checkRollout(expo(10, 1.55, { numberOfNotifiedThings: 1 })), /one digit after the decimal/);
    assert.match(r.checkRollout(expo(10, 1.0, { numberOfNotifiedThings: 1 })), /incrementFactor/);
    assert.match(r.checkRollout(expo(10, 2, {})), /rateIncreaseCriteria must set/);
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
    let pace = r.startPace(cfg, 0, 0, 0, true);
    const first = r.advancePace(cfg, pace, 0, 0, 0, 100_000);
    pace = first.pace;
    const long = r.advancePace(cfg, pace, 10 * MIN, first.release, 0, 100_000 - first.release);
    assert.equal(first.release + long.release, total);
    // Minute batches: the third batch crosses the 25th execution, which doubles the rate; that
    // minute's batch stays 10, and 20/min applies from the next batch on.
    assert.deepEqual(byMinute.slice(0, 5), [10, 10, 10, 20, 40]);
});
test('smooth over real time: the first minute at once, then a sixtieth of a minute each second, not a burst at the minute boundary', () => {
    const cfg = { maximumPerMinute: 600 };
    const perSecond = simulate(cfg, 100_000, 180, 1000, () => 0, true);
    assert.equal(perSecond[0], 600);
    assert.ok(perSecond.slice(1, 61).every((n) => n === 0), 'nothing more in the first minute');
    assert.ok(perSecond.slice(61).every((n) => n === 10), perSecond.join(','));
});
/** The most executions created in any window [t, t + 60 s) of a run released at `stepMs` intervals. */
function worstMinute(perStep, stepMs) {
    let worst = 0;
    for (let i = 0; i < perStep.length; i++) {
        let sum = 0;
        for (let j = i; j < perStep.length && (j - i) * stepMs < MIN; j++)
            sum += perStep[j];
        worst = Math.max(worst, sum);
    }
    return worst;
}
test('no 60-second window holds more than the rate, for either spread; the rollout keeps up whatever the step of the clock', () => {
    for (const smooth of [false, true])
        for (const stepMs of [1000, 7000, 10_000, 59_000, MIN, 61_000, 150_000])
            for (const rate of [1, 6, 7, 1000]) {
                const steps = Math.ceil((30 * MIN) / stepMs);
                const out = simulate({ maximumPerMinute: rate }, 1_000_000, steps, stepMs, () => 0, smooth);
                // Windows are measured where the clock's steps divide a minute: a step that lands past a
                // release time releases what was due then, late (its minute is the one it was due in).
                if (MIN % stepMs === 0)
                    assert.ok(worstMinute(out, stepMs) <= rate, `rate ${rate}, step ${stepMs} ms, smooth ${smooth}: ${out.slice(0, 12).join(',')}`);
                // And the rollout keeps up with the rate: a minute's worth per minute after the first.
                const total = out.reduce((a, b) => a + b, 0);
                const elapsed = steps * stepMs;
                const ideal = rate + Math.floor((rate * elapsed) / MIN);
                assert.ok(total >= ideal - 2 * rate && total <= ideal, `rate ${rate}, step ${stepMs}, smooth ${smooth}: ${total} vs ${ideal}`);
            }
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
    assert.equal(r.nextReleaseAt(pace, 10), MIN + 6000, 'a smooth pace grows once the first minute is over');
    const resumed = r.resumePace(pace, 60 * MIN, 10);
    assert.equal(r.advancePace(cfg, resumed, 60 * MIN, 10, 0, 990).release, 0);
    assert.equal(r.advancePace(cfg, resumed, 61 * MIN, 10, 0, 990).release, 10);
    assert.equal(r.nextReleaseAt(resumed, 10), 60 * MIN + 6000);
});
test('UpdateJob re-paces on the minute grid of a step pace; a smooth pace keeps its first minute', () => {
    const step = r.advancePace({ maximumPerMinute: 10 }, r.startPace({ maximumPerMinute: 10 }, 0, 0, 0, true), 0, 0, 0, 1000).pace;
    const faster = r.repace(step, 90_000, 100, 20);
    assert.deepEqual([faster.at, faster.count, faster.rate], [MIN, 20, 100]);
    assert.equal(r.advancePace({ maximumPerMinute: 100 }, faster, 119_999, 20, 0, 1000).release, 0);
    assert.equal(r.advancePace({ maximumPerMinute: 100 }, faster, 120_000, 20, 0, 1000).release, 100);
    const smooth = r.startPace({ maximumPerMinute: 10 }, 0);
    const early = r.repace(smooth, 30_000, 100, 10);
    assert.equal(early.at, MIN, 'not before the end of the first minute');
});
//# sourceMappingURL=rollout.test.js.map