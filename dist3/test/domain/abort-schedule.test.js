import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as a from '../../src/domain/abort.js';
import * as s from '../../src/domain/schedule.js';
import { toRegExp } from '../../src/codec/codec.js';
const counts = (o) => ({ n_succeeded: 0, n_failed: 0, n_rejected: 0, n_timed_out: 0, ...o });
const crit = (failureType, thresholdPercentage, minNumberOfExecutedThings) => ({
    failureType,
    action: 'CANCEL',
    thresholdPercentage,
    minNumberOfExecutedThings,
});
test('abort: C >= minimum and 100·F/C >= threshold; nothing before the minimum or below the threshold', () => {
    const cfg = { criteriaList: [crit('FAILED', 50, 4)] };
    assert.equal(a.abortVerdict(cfg, counts({ n_failed: 3 })), undefined, 'C=3 < 4');
    assert.equal(a.abortVerdict(cfg, counts({ n_failed: 1, n_succeeded: 3 })), undefined, '25% < 50%');
    const v = a.abortVerdict(cfg, counts({ n_failed: 2, n_succeeded: 2 }));
    assert.deepEqual(v && { index: v.index, completed: v.completed, failed: v.failed }, { index: 0, completed: 4, failed: 2 }, 'exactly at the threshold');
    assert.equal(a.abortVerdict(undefined, counts({ n_failed: 9 })), undefined);
});
test('abort: failure types, ALL, list order, two-decimal thresholds compared exactly', () => {
    const n = counts({ n_succeeded: 6, n_failed: 1, n_rejected: 1, n_timed_out: 1 });
    assert.equal(a.abortVerdict({ criteriaList: [crit('REJECTED', 12, 1)] }, n), undefined, '1 of 9 = 11.11% < 12%');
    assert.equal(a.abortVerdict({ criteriaList: [crit('REJECTED', 11.12, 1)] }, n), undefined);
    assert.equal(a.abortVerdict({ criteriaList: [crit('REJECTED', 11.11, 1)] }, n)?.failed, 1);
    assert.equal(a.abortVerdict({ criteriaList: [crit('ALL', 33.33, 9)] }, n)?.failed, 3);
    assert.equal(a.abortVerdict({ criteriaList: [crit('ALL', 33.34, 9)] }, n), undefined);
    const v = a.abortVerdict({ criteriaList: [crit('FAILED', 90, 1), crit('TIMED_OUT', 10, 1), crit('ALL', 10, 1)] }, n);
    assert.equal(v?.index, 1, 'the first met criterion, in list order');
    const { reasonCode, comment } = a.abortReason(v);
    assert.equal(reasonCode, 'AUTOMATED_ABORT_TIMED_OUT');
    assert.match(reasonCode, toRegExp('[\\p{Upper}\\p{Digit}_]+'));
    assert.match(comment, toRegExp('[^\\p{C}]+'));
    assert.match(comment, /criteriaList\[1\]: 1 of 9 completed executions are TIMED_OUT \(threshold 10% after at least 1 completed\)/);
});
test('abort validation names the field', () => {
    assert.equal(a.checkAbort({ criteriaList: [crit('ALL', 100, 1)] }), undefined);
    assert.match(a.checkAbort({ criteriaList: [crit('ALL', 100.5, 1)] }), /criteriaList\[0\]\.thresholdPercentage/);
    assert.match(a.checkAbort({ criteriaList: [crit('ALL', 10.555, 1)] }), /two digits/);
    assert.match(a.checkAbort({ criteriaList: [crit('ALL', 10, 1), crit('ALL', 10, 0)] }), /criteriaList\[1\]\.minNumberOfExecutedThings/);
    assert.match(a.checkAbort({ criteriaList: [{ ...crit('ALL', 10, 1), action: 'STOP' }] }), /action must be CANCEL/);
});
const NOW = Date.UTC(2026, 11, 2, 12, 0);
const at = (mins) => s.formatScheduleTime(NOW + mins * 60_000);
test('schedule times: YYYY-MM-DDTHH:MM in UTC, real dates only', () => {
    assert.equal(s.parseScheduleTime('2026-12-02T12:30'), NOW + 30 * 60_000);
    for (const bad of ['2026-12-02 12:30', '2026-12-02T12:30:00', '2026-02-30T10:00', '2026-12-02T24:00', '2026-13-01T00:00', 'soon'])
        assert.equal(s.parseScheduleTime(bad), undefined, bad);
    assert.equal(s.formatScheduleTime(NOW), '2026-12-02T12:00');
});
test('schedule rules against the clock, each named', () => {
    const err = (cfg) => {
        const r = s.checkScheduling(cfg, NOW);
        return 'error' in r ? r.error : undefined;
    };
    assert.equal(err({ startTime: at(30), endTime: at(60) }), undefined);
    assert.match(err({ startTime: at(29) }), /startTime must be at least 30 minutes from the current time/);
    assert.equal(err({ startTime: '2027-12-02T12:00' }), undefined, 'exactly a year ahead');
    assert.match(err({ startTime: '2027-12-02T12:01' }), /startTime can be at most one year/);
    assert.match(err({ endTime: at(29) }), /endTime must be at least 30 minutes from the current time/);
    assert.equal(err({ endTime: '2028-12-02T12:00' }), undefined);
    assert.match(err({ endTime: '2028-12-02T12:01' }), /endTime can be at most two years from the current time/);
    assert.match(err({ startTime: at(60), endTime: at(89) }), /at least 30 minutes after startTime/);
    assert.match(err({ startTime: at(31), endTime: 'x' }), /endTime x is not a UTC time/);
    assert.match(err({ maintenanceWindows: [{ startTime: 'cron(0 10 * * ? *)', durationInMinutes: 1431 }] }), /maintenanceWindows\[0\]\.durationInMinutes/);
});
test('cron: the EventBridge six-field dialect, in UTC, weekdays 1-7 = SUN-SAT', () => {
    const next = (expr, n = 3, from = NOW) => {
        const c = s.parseAwsCron(expr);
        assert.ok(typeof c !== 'string', String(c));
        return s.nextWindowStarts({ windows: [{ cron: c, durationMs: 60_000 }] }, from, n).map(s.formatScheduleTime);
    };
    // 2026-12-02 is a Wednesday.
    assert.deepEqual(next('cron(0 10 * * ? *)'), ['2026-12-03T10:00', '2026-12-04T10:00', '2026-12-05T10:00']);
    assert.deepEqual(next('cron(0 10 ? * 2 *)', 2), ['2026-12-07T10:00', '2026-12-14T10:00'], '2 = Monday');
    assert.deepEqual(next('cron(0 18 ? * MON-FRI *)', 3), ['2026-12-02T18:00', '2026-12-03T18:00', '2026-12-04T18:00']);
    assert.deepEqual(next('cron(0/15 12 * * ? *)', 3), ['2026-12-02T12:15', '2026-12-02T12:30', '2026-12-02T12:45'], 'EventBridge steps');
    assert.deepEqual(next('cron(15 10 ? * 6L 2027)', 2), ['2027-01-29T10:15', '2027-02-26T10:15'], 'last Friday, year field');
    assert.deepEqual(next('cron(0 8 ? * 3#2 *)', 2), ['2026-12-08T08:00', '2027-01-12T08:00'], 'second Tuesday');
    assert.deepEqual(next('cron(0 8 L * ? *)', 2), ['2026-12-31T08:00', '2027-01-31T08:00'], 'last day of month');
    assert.deepEqual(next('cron(0 8 1W * ? *)', 1), ['2027-01-01T08:00'], 'nearest weekday');
    for (const bad of ['0 10 * * ? *', 'cron(0 10 * * *)', 'cron(0 10 * * ? * *)', 'cron(0 10 * * 1 *)', 'cron(0 10 ? * ? *)', 'cron(0 25 * * ? *)', 'cron(x 10 * * ? *)'])
        assert.equal(typeof s.parseAwsCron(bad), 'string', bad);
});
test('windowAt finds the open window, merged over several', () => {
    const r = s.checkScheduling({ maintenanceWindows: [{ startTime: 'cron(0 10 * * ? *)', durationInMinutes: 60 }, { startTime: 'cron(30 10 * * ? *)', durationInMinutes: 120 }] }, NOW);
    assert.ok('schedule' in r);
    const day = Date.UTC(2026, 11, 3);
    assert.equal(s.windowAt(r.schedule, day + 9 * 3600_000 + 59 * 60_000), undefined);
    assert.deepEqual(s.windowAt(r.schedule, day + 10 * 3600_000), [day + 10 * 3600_000, day + 11 * 3600_000]);
    assert.deepEqual(s.windowAt(r.schedule, day + 10.75 * 3600_000), [day + 10.5 * 3600_000, day + 12.5 * 3600_000]);
    assert.equal(s.windowAt(r.schedule, day + 12.5 * 3600_000), undefined, 'the end is exclusive');
});
//# sourceMappingURL=abort-schedule.test.js.map