import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReport, parseTarget, isFinished, isTerminal, renderJson, resolveParameters, substitute } from '../../src/domain/commands.js';
const state = (status, timedOutByService = false) => ({ status, timedOutByService });
test('the documented transition table: CREATED and IN_PROGRESS go anywhere a device reports, IN_PROGRESS repeats', () => {
    for (const from of ['CREATED', 'IN_PROGRESS'])
        for (const to of ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'])
            assert.equal(checkReport(state(from), to), undefined, `${from} -> ${to}`);
    assert.equal(checkReport(state('CREATED'), 'CREATED')?.code, 'InvalidRequest');
    assert.equal(checkReport(state('IN_PROGRESS'), 'CANCELED')?.code, 'InvalidRequest');
});
test('a service-set TIMED_OUT takes a final report; a device-set TIMED_OUT and the other final statuses take nothing', () => {
    for (const to of ['SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT'])
        assert.equal(checkReport(state('TIMED_OUT', true), to), undefined);
    assert.equal(checkReport(state('TIMED_OUT', true), 'IN_PROGRESS')?.code, 'InvalidStateTransition');
    for (const to of ['IN_PROGRESS', 'SUCCEEDED', 'TIMED_OUT'])
        assert.equal(checkReport(state('TIMED_OUT'), to)?.code, 'InvalidStateTransition');
    for (const from of ['SUCCEEDED', 'FAILED', 'REJECTED']) {
        assert.equal(checkReport(state(from), 'IN_PROGRESS')?.code, 'InvalidStateTransition');
        assert.equal(checkReport(state(from), 'FAILED')?.code, 'TerminalStateReached');
    }
    assert.equal(isTerminal(state('TIMED_OUT', true)), false);
    assert.equal(isFinished(state('TIMED_OUT', true)), true);
    assert.equal(isTerminal(state('TIMED_OUT')), true);
    assert.equal(isFinished(state('IN_PROGRESS')), false);
});
test('parameters: given, then value, then defaultValue; types and every comparison operator', () => {
    const p = (type, valueConditions) => [{ name: 'x', type, valueConditions }];
    const ok = (type, cond, v) => !('error' in resolveParameters(p(type, [cond]), { x: v }));
    assert.equal(ok('INTEGER', { comparisonOperator: 'EQUALS', operand: { number: '5' } }, { I: 5 }), true);
    assert.equal(ok('INTEGER', { comparisonOperator: 'NOT_EQUALS', operand: { number: '5' } }, { I: 5 }), false);
    assert.equal(ok('DOUBLE', { comparisonOperator: 'LESS_THAN', operand: { number: '1.5' } }, { D: 1.4 }), true);
    assert.equal(ok('DOUBLE', { comparisonOperator: 'LESS_THAN_EQUALS', operand: { number: '1.5' } }, { D: 1.6 }), false);
    assert.equal(ok('LONG', { comparisonOperator: 'GREATER_THAN', operand: { number: '10' } }, { L: 10 }), false);
    assert.equal(ok('LONG', { comparisonOperator: 'GREATER_THAN_EQUALS', operand: { number: '10' } }, { L: 10 }), true);
    assert.equal(ok('UNSIGNEDLONG', { comparisonOperator: 'IN_RANGE', operand: { numberRange: { min: '18446744073709551614', max: '18446744073709551615' } } }, { UL: '18446744073709551615' }), true);
    assert.equal(ok('UNSIGNEDLONG', { comparisonOperator: 'NOT_IN_RANGE', operand: { numberRange: { min: '0', max: '9' } } }, { UL: '9' }), false);
    assert.equal(ok('STRING', { comparisonOperator: 'IN_SET', operand: { strings: ['a', 'b'] } }, { S: 'b' }), true);
    assert.equal(ok('STRING', { comparisonOperator: 'NOT_IN_SET', operand: { strings: ['a', 'b'] } }, { S: 'b' }), false);
    assert.equal(ok('INTEGER', { comparisonOperator: 'IN_SET', operand: { numbers: ['1', '2'] } }, { I: 3 }), false);
    assert.equal(ok('STRING', { comparisonOperator: 'LESS_THAN', operand: { number: '1' } }, { S: 'a' }), false);
    const r = resolveParameters([{ name: 'a', value: { S: 'fixed' }, defaultValue: { S: 'd' } }, { name: 'b', defaultValue: { B: false } }], { b: { B: true } });
    assert.deepEqual(r, { values: { a: { S: 'fixed' }, b: { B: true } } });
    assert.match(resolveParameters([{ name: 'a', type: 'BOOLEAN' }], { a: { S: 'true' } }).error, /a is of type BOOLEAN/);
    assert.match(resolveParameters([{ name: 'a', type: 'STRING' }], { a: { S: 'x', B: true } }).error, /exactly one/);
});
test('substitution: a whole placeholder is typed, an embedded one is text; UNSIGNEDLONG stays exact in JSON; BINARY is base64', () => {
    const values = { i: { I: 7 }, u: { UL: '18446744073709551615' }, b: { BIN: 'AQID' }, t: { B: false } };
    const doc = substitute('{"i":"${aws:iot:commandexecution::parameter:i}","s":"i=${aws:iot:commandexecution::parameter:i} t=${aws:iot:commandexecution::parameter:t}","u":"${aws:iot:commandexecution::parameter:u}","b":"${aws:iot:commandexecution::parameter:b}","to":"${aws:iot:commandexecution::executionTimeoutSec}","k":["${aws:iot:commandexecution::parameter:t}"]}', values, 15);
    assert.equal(renderJson(doc), '{"i":7,"s":"i=7 t=false","u":18446744073709551615,"b":"AQID","to":15,"k":[false]}');
    // Placeholders are case-sensitive: another spelling is left as it is.
    assert.equal(renderJson(substitute('{"x":"${AWS:iot:commandexecution::parameter:i}"}', values, 1)), '{"x":"${AWS:iot:commandexecution::parameter:i}"}');
});
test('targets: a thing or a client of this account and region, with a name that fits in a topic level', () => {
    assert.deepEqual(parseTarget('arn:aws:iot:us-east-1:000000000000:client/dev-1', 'us-east-1', '000000000000'), { kind: 'client', name: 'dev-1' });
    assert.deepEqual(parseTarget('arn:aws:iot:us-east-1:000000000000:thing/t:1', 'us-east-1', '000000000000'), { kind: 'thing', name: 't:1' });
    for (const arn of ['arn:aws:iot:us-east-1:000000000000:client/a/b', 'arn:aws:iot:us-east-1:000000000000:client/a+', 'arn:aws:iot:eu-west-1:000000000000:thing/t', 'arn:aws:iot:us-east-1:111111111111:thing/t', 'arn:aws:iot:us-east-1:000000000000:thinggroup/g'])
        assert.equal(parseTarget(arn, 'us-east-1', '000000000000'), undefined, arn);
});
//# sourceMappingURL=commands.test.js.map