import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as s from '../../src/domain/states.js';
import { parseTarget } from '../../src/domain/arn.js';
const scope = { region: 'us-east-1', accountId: '000000000000' };
test('device updates: only IN_PROGRESS, SUCCEEDED, FAILED, REJECTED, never out of a terminal state', () => {
    assert.deepEqual(s.deviceUpdate('QUEUED', 'IN_PROGRESS'), { ok: true });
    assert.deepEqual(s.deviceUpdate('IN_PROGRESS', 'IN_PROGRESS'), { ok: true });
    assert.deepEqual(s.deviceUpdate('QUEUED', 'SUCCEEDED'), { ok: true });
    for (const bad of ['QUEUED', 'CANCELED', 'TIMED_OUT', 'REMOVED']) {
        const v = s.deviceUpdate('IN_PROGRESS', bad);
        assert.equal(v.ok, false);
        assert.equal(!v.ok && v.error, 'InvalidRequest');
    }
    for (const terminal of s.TERMINAL_EXECUTION_STATUSES) {
        const v = s.deviceUpdate(terminal, 'IN_PROGRESS');
        assert.equal(!v.ok && v.error, 'InvalidStateTransition', terminal);
    }
});
test('CancelJobExecution: QUEUED always, IN_PROGRESS only with force, terminal never', () => {
    assert.equal(s.cancelExecution('QUEUED', false).ok, true);
    assert.equal(s.cancelExecution('IN_PROGRESS', false).ok, false);
    assert.equal(s.cancelExecution('IN_PROGRESS', true).ok, true);
    assert.equal(s.cancelExecution('SUCCEEDED', true).ok, false);
});
test('DeleteJobExecution: every terminal state without force; QUEUED and IN_PROGRESS only with force', () => {
    for (const t of ['SUCCEEDED', 'FAILED', 'REJECTED', 'REMOVED', 'CANCELED', 'TIMED_OUT'])
        assert.equal(s.deleteExecution(t, false).ok, true, t);
    for (const p of ['QUEUED', 'IN_PROGRESS']) {
        assert.equal(s.deleteExecution(p, false).ok, false, p);
        assert.equal(s.deleteExecution(p, true).ok, true, p);
    }
});
test('DeleteJob: terminal jobs without force, IN_PROGRESS and SCHEDULED only with force, never twice', () => {
    assert.equal(s.deleteJob('COMPLETED', false).ok, true);
    assert.equal(s.deleteJob('CANCELED', false).ok, true);
    assert.equal(s.deleteJob('IN_PROGRESS', false).ok, false);
    assert.equal(s.deleteJob('SCHEDULED', false).ok, false);
    assert.equal(s.deleteJob('IN_PROGRESS', true).ok, true);
    const again = s.deleteJob('DELETION_IN_PROGRESS', true);
    assert.equal(!again.ok && again.error, 'InvalidStateTransition');
    assert.equal(s.MAX_CONCURRENT_DELETIONS, 10);
});
test('CancelJob: not when completed or deleting; a canceled job only again with force', () => {
    assert.equal(s.cancelJob('IN_PROGRESS', false, false).ok, true);
    assert.equal(s.cancelJob('COMPLETED', true, false).ok, false);
    assert.equal(s.cancelJob('DELETION_IN_PROGRESS', true, false).ok, false);
    assert.equal(s.cancelJob('CANCELED', false, false).ok, false);
    assert.equal(s.cancelJob('CANCELED', true, false).ok, true);
    assert.equal(s.cancelJob('CANCELED', true, true).ok, false);
    assert.deepEqual(s.cancelableStatuses(false), ['QUEUED']);
    assert.deepEqual(s.cancelableStatuses(true), ['QUEUED', 'IN_PROGRESS']);
});
test('a SNAPSHOT job completes only when rolled out and nothing is pending', () => {
    const base = { status: 'IN_PROGRESS', target_selection: 'SNAPSHOT', pending_work: null, n_queued: 0, n_in_progress: 0 };
    assert.equal(s.snapshotComplete(base), true);
    assert.equal(s.snapshotComplete({ ...base, n_queued: 1 }), false);
    assert.equal(s.snapshotComplete({ ...base, n_in_progress: 1 }), false);
    assert.equal(s.snapshotComplete({ ...base, pending_work: 'rollout' }), false);
    assert.equal(s.snapshotComplete({ ...base, target_selection: 'CONTINUOUS' }), false);
    assert.equal(s.snapshotComplete({ ...base, status: 'CANCELED' }), false);
});
test('job targets are thing or thing-group ARNs of this account and region', () => {
    assert.deepEqual(parseTarget(scope, 'arn:aws:iot:us-east-1:000000000000:thing/dev:1'), { kind: 'thing', name: 'dev:1' });
    assert.deepEqual(parseTarget(scope, 'arn:aws:iot:us-east-1:000000000000:thinggroup/fleet'), { kind: 'group', name: 'fleet' });
    assert.equal(parseTarget(scope, 'arn:aws:iot:eu-west-1:000000000000:thing/x'), undefined);
    assert.equal(parseTarget(scope, 'arn:aws:iot:us-east-1:111111111111:thing/x'), undefined);
    assert.equal(parseTarget(scope, 'arn:aws:iot:us-east-1:000000000000:job/x'), undefined);
    assert.equal(parseTarget(scope, 'not-an-arn'), undefined);
});
//# sourceMappingURL=states.test.js.map