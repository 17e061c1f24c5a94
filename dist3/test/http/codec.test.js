import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, encodeError, encodeResponse, errorStatus, hasOperation, serializeOutput, toRegExp, validateInput, } from '../../src/codec/codec.js';
import { matchOperation } from '../../src/http/router.js';
import { decodeToken, encodeToken } from '../../src/operations/util.js';
import { ServiceError } from '../../src/errors.js';
/**
 * Unit tests of the model-driven restJson1 codec and the router, against the real trimmed AWS
 * models in src/model. No server, no store: request parts in, inputs or wire responses out.
 */
function parts(labels = {}, query = '', body, headers = {}) {
    return { labels, query: new URLSearchParams(query), headers, body: body === undefined ? undefined : Buffer.from(body, 'utf8') };
}
/** Runs fn, asserts it throws a ServiceError with this code, and returns the error's message. */
function serviceError(fn, code) {
    try {
        fn();
    }
    catch (err) {
        assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
        assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
        assert.equal(err.name, code);
        return err.message;
    }
    assert.fail(`expected ${code}, but nothing was thrown`);
}
/** Decodes through the router first, as the HTTP server does: raw path in, validated input out. */
function decodePath(service, method, rawPath, query = '', body) {
    const m = matchOperation(service, method, rawPath);
    assert.ok(m, `no route for ${service} ${method} ${rawPath}`);
    return { operation: m.operation, input: decodeRequest(service, m.operation, parts(m.labels, query, body)) };
}
const JOB_ID_PATTERN = '[a-zA-Z0-9_-]+';
const THING_NAME_PATTERN = '[a-zA-Z0-9:_-]+';
const THING_ARN = 'arn:aws:iot:us-east-1:000000000000:thing/t1';
describe('router: matchOperation', () => {
    test('URI labels are percent-decoded: a thing name with a colon', () => {
        assert.deepEqual(matchOperation('iot', 'GET', '/things/my%3Athing'), { operation: 'DescribeThing', labels: { thingName: 'my:thing' } });
        assert.deepEqual(matchOperation('iot', 'GET', '/things/my:thing'), { operation: 'DescribeThing', labels: { thingName: 'my:thing' } });
        assert.deepEqual(matchOperation('iot', 'POST', '/things/a%3Ab%3Ac'), { operation: 'CreateThing', labels: { thingName: 'a:b:c' } });
        // An encoded slash stays inside the one label (and then fails the ThingName pattern in the codec).
        assert.deepEqual(matchOperation('iot', 'GET', '/things/a%2Fb'), { operation: 'DescribeThing', labels: { thingName: 'a/b' } });
    });
    test('several labels in one path, each decoded', () => {
        assert.deepEqual(matchOperation('iot', 'DELETE', '/things/dev%3A1/jobs/fw-2/executionNumber/3'), {
            operation: 'DeleteJobExecution',
            labels: { thingName: 'dev:1', jobId: 'fw-2', executionNumber: '3' },
        });
        assert.deepEqual(matchOperation('iot', 'PUT', '/things/t/jobs/j/cancel'), { operation: 'CancelJobExecution', labels: { thingName: 't', jobId: 'j' } });
    });
    test("iot-jobs-data: PUT .../jobs/$next is the literal StartNextPendingJobExecution, raw or encoded", () => {
        assert.deepEqual(matchOperation('iot-jobs-data', 'PUT', '/things/t1/jobs/$next'), { operation: 'StartNextPendingJobExecution', labels: { thingName: 't1' } });
        assert.deepEqual(matchOperation('iot-jobs-data', 'PUT', '/things/t1/jobs/%24next'), { operation: 'StartNextPendingJobExecution', labels: { thingName: 't1' } });
        // $next is the only PUT under /things/{thingName}/jobs: any other last segment has no route.
        assert.equal(matchOperation('iot-jobs-data', 'PUT', '/things/t1/jobs/abc'), undefined);
    });
    test("iot-jobs-data: GET .../jobs/%24next is DescribeJobExecution with jobId '$next'", () => {
        assert.deepEqual(matchOperation('iot-jobs-data', 'GET', '/things/t1/jobs/%24next'), { operation: 'DescribeJobExecution', labels: { thingName: 't1', jobId: '$next' } });
        assert.deepEqual(matchOperation('iot-jobs-data', 'GET', '/things/t1/jobs/$next'), { operation: 'DescribeJobExecution', labels: { thingName: 't1', jobId: '$next' } });
        assert.deepEqual(matchOperation('iot-jobs-data', 'POST', '/things/t1/jobs/j1'), { operation: 'UpdateJobExecution', labels: { thingName: 't1', jobId: 'j1' } });
        assert.deepEqual(matchOperation('iot-jobs-data', 'GET', '/things/t1/jobs'), { operation: 'GetPendingJobExecutions', labels: { thingName: 't1' } });
    });
    test('literal segments win over labels; a literal is never taken as a label value', () => {
        // PUT has the literal route only; GET has the label route only: each method gets its own.
        assert.deepEqual(matchOperation('iot', 'PUT', '/thing-groups/addThingToThingGroup'), { operation: 'AddThingToThingGroup', labels: {} });
        assert.deepEqual(matchOperation('iot', 'PUT', '/thing-groups/removeThingFromThingGroup'), { operation: 'RemoveThingFromThingGroup', labels: {} });
        assert.deepEqual(matchOperation('iot', 'GET', '/thing-groups/addThingToThingGroup'), { operation: 'DescribeThingGroup', labels: { thingGroupName: 'addThingToThingGroup' } });
        // Longer routes with trailing literals.
        assert.deepEqual(matchOperation('iot', 'PUT', '/jobs/j1/cancel'), { operation: 'CancelJob', labels: { jobId: 'j1' } });
        assert.deepEqual(matchOperation('iot', 'GET', '/jobs/j1/job-document'), { operation: 'GetJobDocument', labels: { jobId: 'j1' } });
        assert.deepEqual(matchOperation('iot', 'GET', '/jobs/j1/things'), { operation: 'ListJobExecutionsForJob', labels: { jobId: 'j1' } });
        assert.deepEqual(matchOperation('iot', 'GET', '/things/t1/thing-groups'), { operation: 'ListThingGroupsForThing', labels: { thingName: 't1' } });
        assert.deepEqual(matchOperation('iot', 'GET', '/things/t1/jobs'), { operation: 'ListJobExecutionsForThing', labels: { thingName: 't1' } });
        // A percent-encoded literal still matches the literal.
        assert.deepEqual(matchOperation('iot', 'GET', '/jobs/j1/job%2Ddocument'), { operation: 'GetJobDocument', labels: { jobId: 'j1' } });
    });
    test('collection routes, the same path under different methods', () => {
        assert.deepEqual(matchOperation('iot', 'GET', '/things'), { operation: 'ListThings', labels: {} });
        assert.deepEqual(matchOperation('iot', 'GET', '/jobs'), { operation: 'ListJobs', labels: {} });
        assert.deepEqual(matchOperation('iot', 'GET', '/endpoint'), { operation: 'DescribeEndpoint', labels: {} });
        assert.deepEqual(matchOperation('iot', 'GET', '/tags'), { operation: 'ListTagsForResource', labels: {} });
        assert.deepEqual(matchOperation('iot', 'POST', '/tags'), { operation: 'TagResource', labels: {} });
        assert.deepEqual(matchOperation('iot', 'POST', '/untag'), { operation: 'UntagResource', labels: {} });
        assert.equal(matchOperation('iot', 'PUT', '/jobs/j1')?.operation, 'CreateJob');
        assert.equal(matchOperation('iot', 'GET', '/jobs/j1')?.operation, 'DescribeJob');
        assert.equal(matchOperation('iot', 'PATCH', '/jobs/j1')?.operation, 'UpdateJob');
        assert.equal(matchOperation('iot', 'DELETE', '/jobs/j1')?.operation, 'DeleteJob');
    });
    test('an unknown route, method or service path gives undefined', () => {
        assert.equal(matchOperation('iot', 'GET', '/nope'), undefined);
        assert.equal(matchOperation('iot', 'GET', '/jobs/j1/extra/x'), undefined);
        assert.equal(matchOperation('iot', 'TRACE', '/things'), undefined);
        assert.equal(matchOperation('iot', 'PUT', '/things/t1'), undefined);
        // An empty label segment matches nothing.
        assert.equal(matchOperation('iot', 'GET', '/things//jobs'), undefined);
        // A malformed percent-escape matches nothing (rather than throwing).
        assert.equal(matchOperation('iot', 'GET', '/things/%E0%A4%A'), undefined);
        // The control plane has no $next route, and the device plane knows no control-plane paths.
        assert.equal(matchOperation('iot', 'PUT', '/things/t1/jobs/$next'), undefined);
        assert.equal(matchOperation('iot-jobs-data', 'GET', '/jobs'), undefined);
    });
});
describe('decodeRequest: URI labels', () => {
    test("a thing name with ':' comes through the router decoded and passes the ThingName pattern", () => {
        assert.deepEqual(decodePath('iot', 'GET', '/things/my%3Athing'), { operation: 'DescribeThing', input: { thingName: 'my:thing' } });
    });
    test("iot-jobs-data DescribeJobExecution accepts jobId '$next' (DescribeJobExecutionJobId pattern)", () => {
        assert.deepEqual(decodePath('iot-jobs-data', 'GET', '/things/dev%3A1/jobs/%24next', 'includeJobDocument=true'), {
            operation: 'DescribeJobExecution',
            input: { thingName: 'dev:1', jobId: '$next', includeJobDocument: true },
        });
    });
    test("the control plane's DescribeJobExecution rejects jobId '$next' (plain JobId pattern)", () => {
        const m = serviceError(() => decodePath('iot', 'GET', '/things/t1/jobs/%24next'), 'InvalidRequestException');
        assert.equal(m, `1 validation error detected: Value '$next' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_ID_PATTERN}`);
    });
    test('a numeric label is coerced by shape (DeleteJobExecution executionNumber is a long)', () => {
        assert.deepEqual(decodePath('iot', 'DELETE', '/things/t1/jobs/j1/executionNumber/42'), {
            operation: 'DeleteJobExecution',
            input: { thingName: 't1', jobId: 'j1', executionNumber: 42 },
        });
    });
    test('an encoded slash in a thing name fails the pattern', () => {
        const m = serviceError(() => decodePath('iot', 'GET', '/things/a%2Fb'), 'InvalidRequestException');
        assert.equal(m, `1 validation error detected: Value 'a/b' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${THING_NAME_PATTERN}`);
    });
    test('a label that is missing is a required-member violation', () => {
        const m = serviceError(() => decodeRequest('iot', 'DescribeJob', parts()), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value null at 'jobId' failed to satisfy constraint: Member must not be null");
    });
});
describe('decodeRequest: query strings coerced by shape', () => {
    test('booleans: force=true and force=false', () => {
        assert.deepEqual(decodeRequest('iot', 'DeleteJob', parts({ jobId: 'j1' }, 'force=true')), { jobId: 'j1', force: true });
        assert.deepEqual(decodeRequest('iot', 'DeleteJob', parts({ jobId: 'j1' }, 'force=false&namespaceId=ns-1')), { jobId: 'j1', force: false, namespaceId: 'ns-1' });
        assert.deepEqual(decodeRequest('iot', 'ListThingGroups', parts({}, 'recursive=false')), { recursive: false });
    });
    test('integers and longs: maxResults, executionNumber, expectedVersion', () => {
        assert.deepEqual(decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=25&status=IN_PROGRESS&targetSelection=SNAPSHOT&nextToken=abc')), {
            maxResults: 25,
            status: 'IN_PROGRESS',
            targetSelection: 'SNAPSHOT',
            nextToken: 'abc',
        });
        assert.deepEqual(decodeRequest('iot', 'DescribeJobExecution', parts({ thingName: 't1', jobId: 'j1' }, 'executionNumber=7')), {
            thingName: 't1',
            jobId: 'j1',
            executionNumber: 7,
        });
        assert.deepEqual(decodeRequest('iot', 'DeleteThing', parts({ thingName: 't1' }, 'expectedVersion=3')), { thingName: 't1', expectedVersion: 3 });
        assert.deepEqual(decodeRequest('iot-jobs-data', 'DescribeJobExecution', parts({ thingName: 't1', jobId: 'j1' }, 'executionNumber=2&includeJobDocument=false')), {
            thingName: 't1',
            jobId: 'j1',
            executionNumber: 2,
            includeJobDocument: false,
        });
    });
    test('range bounds are inclusive: maxResults=1 and maxResults=250 pass', () => {
        assert.deepEqual(decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=1')), { maxResults: 1 });
        assert.deepEqual(decodeRequest('iot', 'ListThings', parts({}, 'maxResults=250')), { maxResults: 250 });
    });
    test('query members the operation does not model are ignored', () => {
        assert.deepEqual(decodeRequest('iot', 'ListJobs', parts({}, 'bogus=1&force=true')), {});
    });
    test('a boolean that is not true or false', () => {
        const m = serviceError(() => decodeRequest('iot', 'DeleteJob', parts({ jobId: 'j1' }, 'force=yes')), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'yes' at 'force' failed to satisfy constraint: Member must be a boolean");
    });
    test('an integer that is not a whole number', () => {
        for (const raw of ['abc', '1.5', '']) {
            const m = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, `maxResults=${raw}`)), 'InvalidRequestException');
            assert.equal(m, `1 validation error detected: Value '${raw}' at 'maxResults' failed to satisfy constraint: Member must be a number`);
        }
    });
    test('an out-of-range integer: the constraint in AWS words', () => {
        const low = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=0')), 'InvalidRequestException');
        assert.ok(low.startsWith('1 validation error detected: Value '), low);
        assert.ok(low.endsWith(" at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"), low);
        const high = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=251')), 'InvalidRequestException');
        assert.ok(high.startsWith('1 validation error detected: Value '), high);
        assert.ok(high.endsWith(" at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 250"), high);
    });
    test("AWS quotes numeric values too: Value '0' at 'maxResults'", () => {
        const m = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=0')), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1");
    });
    test('an enum value outside the set', () => {
        const m = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, 'status=DONE')), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'DONE' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS, SCHEDULED]");
    });
    test('two violations: "2 validation errors detected", joined by "; "', () => {
        const m = serviceError(() => decodeRequest('iot', 'ListJobs', parts({}, 'maxResults=251&status=BOGUS')), 'InvalidRequestException');
        assert.match(m, /^2 validation errors detected: /);
        const clauses = m.replace(/^2 validation errors detected: /, '').split('; ');
        assert.equal(clauses.length, 2);
        assert.equal(clauses[0], "Value 'BOGUS' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [IN_PROGRESS, CANCELED, COMPLETED, DELETION_IN_PROGRESS, SCHEDULED]");
        assert.ok(clauses[1].endsWith(" at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 250"), clauses[1]);
    });
    test('a non-numeric long label is one validation error, not two', () => {
        const m = serviceError(() => decodeRequest('iot', 'DeleteJobExecution', parts({ thingName: 't1', jobId: 'j1', executionNumber: 'abc' })), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'abc' at 'executionNumber' failed to satisfy constraint: Member must be a number");
    });
});
describe('decodeRequest: JSON body', () => {
    test('body members by their wire names; null members and unknown members are left out', () => {
        const input = decodeRequest('iot', 'CreateJob', parts({ jobId: 'fw-1' }, '', JSON.stringify({
            targets: [THING_ARN],
            document: '{"v":1}',
            description: null,
            targetSelection: 'SNAPSHOT',
            tags: [{ Key: 'team', Value: 'fw' }],
            timeoutConfig: { inProgressTimeoutInMinutes: 10 },
            notAMember: 1,
        })));
        assert.deepEqual(input, {
            jobId: 'fw-1',
            targets: [THING_ARN],
            document: '{"v":1}',
            targetSelection: 'SNAPSHOT',
            tags: [{ Key: 'team', Value: 'fw' }],
            timeoutConfig: { inProgressTimeoutInMinutes: 10 },
        });
    });
    test('a body member cannot override a URI label', () => {
        const input = decodeRequest('iot', 'CreateJob', parts({ jobId: 'from-uri' }, '', JSON.stringify({ jobId: 'from-body', targets: [THING_ARN] })));
        assert.deepEqual(input, { jobId: 'from-uri', targets: [THING_ARN] });
    });
    test('iot-jobs-data UpdateJobExecution: body with a status-details map', () => {
        const input = decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 'dev:1', jobId: 'j1' }, '', JSON.stringify({ status: 'IN_PROGRESS', statusDetails: { step: '2' }, expectedVersion: 3, includeJobExecutionState: true })));
        assert.deepEqual(input, { thingName: 'dev:1', jobId: 'j1', status: 'IN_PROGRESS', statusDetails: { step: '2' }, expectedVersion: 3, includeJobExecutionState: true });
    });
    test('list members in the body: each element validated at path.N.member', () => {
        assert.deepEqual(decodeRequest('iot', 'UntagResource', parts({}, '', JSON.stringify({ resourceArn: 'arn:x', tagKeys: ['a', 'b c'] }))), {
            resourceArn: 'arn:x',
            tagKeys: ['a', 'b c'],
        });
        const m = serviceError(() => decodeRequest('iot', 'UntagResource', parts({}, '', JSON.stringify({ resourceArn: 'arn:x', tagKeys: ['a', 'bad\u0001'] }))), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'bad\u0001' at 'tagKeys.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    });
    test('a list member that is not a list', () => {
        const m = serviceError(() => decodeRequest('iot', 'UntagResource', parts({}, '', '{"resourceArn":"arn:x","tagKeys":"a"}')), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'a' at 'tagKeys' failed to satisfy constraint: Member must be a list");
    });
    test('nested structures: required members and null elements inside a list', () => {
        const m = serviceError(() => decodeRequest('iot', 'TagResource', parts({}, '', JSON.stringify({ resourceArn: 'arn:x', tags: [{ Value: 'v' }, null] }))), 'InvalidRequestException');
        assert.equal(m, "2 validation errors detected: Value null at 'tags.1.member.Key' failed to satisfy constraint: Member must not be null; Value null at 'tags.2.member' failed to satisfy constraint: Member must not be null");
    });
    test('a missing required body member', () => {
        const m = serviceError(() => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', '{"document":"{}"}')), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null");
        // No body at all, or an empty one, is the same as {}.
        for (const body of [undefined, '']) {
            const again = serviceError(() => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', body)), 'InvalidRequestException');
            assert.equal(again, m);
        }
        const data = serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', '{}')), 'InvalidRequestException');
        assert.equal(data, "1 validation error detected: Value null at 'status' failed to satisfy constraint: Member must not be null");
    });
    test('list length: targets must have at least one element', () => {
        const m = serviceError(() => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', '{"targets":[]}')), 'InvalidRequestException');
        assert.ok(m.startsWith('1 validation error detected: Value '), m);
        assert.ok(m.endsWith(" at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1"), m);
    });
    test('string length: a 129-character thing name, a 65-character job id, an empty thing name', () => {
        const long = 'x'.repeat(129);
        assert.equal(serviceError(() => decodeRequest('iot', 'DescribeThing', parts({ thingName: long })), 'InvalidRequestException'), `1 validation error detected: Value '${long}' at 'thingName' failed to satisfy constraint: Member must have length less than or equal to 128`);
        const id = 'j'.repeat(65);
        assert.equal(serviceError(() => decodeRequest('iot', 'DescribeJob', parts({ jobId: id })), 'InvalidRequestException'), `1 validation error detected: Value '${id}' at 'jobId' failed to satisfy constraint: Member must have length less than or equal to 64`);
        // Exactly at the bound passes.
        assert.deepEqual(decodeRequest('iot', 'DescribeThing', parts({ thingName: 'x'.repeat(128) })), { thingName: 'x'.repeat(128) });
        // Empty: both the length and the pattern fail.
        assert.equal(serviceError(() => decodeRequest('iot', 'DescribeThing', parts({ thingName: '' })), 'InvalidRequestException'), "2 validation errors detected: Value '' at 'thingName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
            `Value '' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${THING_NAME_PATTERN}`);
    });
    test("pattern: the exact AWS message, e.g. Value 'x y' at 'jobId'", () => {
        assert.equal(serviceError(() => decodeRequest('iot', 'DescribeJob', parts({ jobId: 'x y' })), 'InvalidRequestException'), `1 validation error detected: Value 'x y' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_ID_PATTERN}`);
    });
    test('enum in the body, map keys and values validated at map paths', () => {
        const m = serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', JSON.stringify({ status: 'DONE', statusDetails: { 'bad key': 'v' } }))), 'InvalidRequestException');
        assert.equal(m, "2 validation errors detected: Value 'DONE' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]; " +
            "Value 'bad key' at 'statusDetails.bad key.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+");
    });
    test('invalid JSON is a SerializationException', () => {
        assert.equal(serviceError(() => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', '{"targets":')), 'SerializationException'), 'The request body is not valid JSON');
        assert.equal(serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', 'status=IN_PROGRESS')), 'SerializationException'), 'The request body is not valid JSON');
    });
    test('JSON that is not an object is a SerializationException', () => {
        for (const body of ['[]', '"x"', 'null', '42']) {
            assert.equal(serviceError(() => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', body)), 'SerializationException'), 'The request body must be a JSON object', body);
        }
    });
    test('the body of an operation with no body members is not parsed', () => {
        assert.deepEqual(decodeRequest('iot', 'DeleteJob', parts({ jobId: 'j1' }, 'force=true', '{{{')), { jobId: 'j1', force: true });
    });
    test('an unknown operation', () => {
        assert.equal(hasOperation('iot', 'CreateJob'), true);
        assert.equal(hasOperation('iot', 'Nope'), false);
        assert.equal(hasOperation('iot-jobs-data', 'CreateJob'), false);
        assert.equal(serviceError(() => decodeRequest('iot', 'Nope', parts()), 'UnknownOperationException'), 'Unknown operation Nope');
    });
});
describe('validateInput (the MQTT path into the same rules)', () => {
    test('a valid input passes and comes back as it was', () => {
        assert.deepEqual(validateInput('iot-jobs-data', 'StartNextPendingJobExecution', { thingName: 't1', stepTimeoutInMinutes: 5, statusDetails: { a: 'b' } }), { thingName: 't1', stepTimeoutInMinutes: 5, statusDetails: { a: 'b' } });
        assert.deepEqual(validateInput('iot-jobs-data', 'DescribeJobExecution', { thingName: 't1', jobId: '$next' }), { thingName: 't1', jobId: '$next' });
    });
    test('types are checked, not coerced: a string long, a fractional long, a string boolean', () => {
        assert.equal(serviceError(() => validateInput('iot-jobs-data', 'UpdateJobExecution', { thingName: 't1', jobId: 'j1', status: 'IN_PROGRESS', expectedVersion: '1' }), 'InvalidRequestException'), "1 validation error detected: Value '1' at 'expectedVersion' failed to satisfy constraint: Member must be an integer");
        const frac = serviceError(() => validateInput('iot-jobs-data', 'StartNextPendingJobExecution', { thingName: 't1', stepTimeoutInMinutes: 1.5 }), 'InvalidRequestException');
        assert.ok(frac.endsWith(" at 'stepTimeoutInMinutes' failed to satisfy constraint: Member must be an integer"), frac);
        assert.equal(serviceError(() => validateInput('iot-jobs-data', 'UpdateJobExecution', { thingName: 't1', jobId: 'j1', status: 'IN_PROGRESS', includeJobDocument: 'true' }), 'InvalidRequestException'), "1 validation error detected: Value 'true' at 'includeJobDocument' failed to satisfy constraint: Member must be a boolean");
    });
    test('required, enum and pattern together: the count and the order of the clauses', () => {
        const m = serviceError(() => validateInput('iot-jobs-data', 'UpdateJobExecution', { thingName: 'bad name', status: 'X' }), 'InvalidRequestException');
        assert.equal(m, "3 validation errors detected: Value null at 'jobId' failed to satisfy constraint: Member must not be null; " +
            `Value 'bad name' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${THING_NAME_PATTERN}; ` +
            "Value 'X' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [QUEUED, IN_PROGRESS, SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED]");
    });
    test('Java character classes in patterns: \\p{Upper}\\p{Digit} and [^\\p{C}]', () => {
        const m = serviceError(() => validateInput('iot', 'CancelJob', { jobId: 'j1', reasonCode: 'abc', comment: 'ok' }), 'InvalidRequestException');
        assert.equal(m, "1 validation error detected: Value 'abc' at 'reasonCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{Upper}\\p{Digit}_]+");
        assert.deepEqual(validateInput('iot', 'CancelJob', { jobId: 'j1', reasonCode: 'FW_2', comment: 'ok' }), { jobId: 'j1', reasonCode: 'FW_2', comment: 'ok' });
        const c = serviceError(() => validateInput('iot', 'CancelJob', { jobId: 'j1', comment: 'tab\there' }), 'InvalidRequestException');
        assert.equal(c, "1 validation error detected: Value 'tab\there' at 'comment' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\p{C}]+");
    });
    test('an unknown operation', () => {
        assert.equal(serviceError(() => validateInput('iot-jobs-data', 'CreateJob', {}), 'UnknownOperationException'), 'Unknown operation CreateJob');
    });
});
describe('toRegExp', () => {
    test('anchored: AWS patterns match whole values', () => {
        const re = toRegExp(JOB_ID_PATTERN);
        assert.equal(re.test('abc-1_2'), true);
        assert.equal(re.test('ab c'), false);
        assert.equal(re.test('abc!'), false);
        assert.equal(re.test(''), false);
    });
    test("an alternation stays whole: '[a-zA-Z0-9_-]+|^\\$next'", () => {
        const re = toRegExp('[a-zA-Z0-9_-]+|^\\$next');
        assert.equal(re.test('$next'), true);
        assert.equal(re.test('job-1'), true);
        assert.equal(re.test('x$next'), false);
        assert.equal(re.test('$nextx'), false);
    });
    test('Java POSIX classes become Unicode property classes', () => {
        const upper = toRegExp('[\\p{Upper}\\p{Digit}_]+');
        assert.equal(upper.test('AB_12'), true);
        assert.equal(upper.test('ÄB'), true);
        assert.equal(upper.test('ab'), false);
        const graph = toRegExp('[\\p{Graph}\\x20]*');
        assert.equal(graph.test('a b!~é'), true);
        assert.equal(graph.test('tab\t'), false);
        const noControl = toRegExp('[^\\p{C}]+');
        assert.equal(noControl.test('any text, ünïcode'), true);
        assert.equal(noControl.test('a\u0001'), false);
        assert.equal(noControl.test('line\n'), false);
    });
    test('patterns already anchored still work', () => {
        const re = toRegExp('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$');
        assert.equal(re.test('team name: 1'), true);
        assert.equal(re.test('bad!'), false);
        assert.equal(toRegExp('^arn:[!-~]+$').test('arn:aws:iot:us-east-1:000000000000:thing/t1'), true);
    });
});
describe('encodeResponse and serializeOutput', () => {
    test('null and undefined members are dropped; Date becomes epoch seconds', () => {
        const res = encodeResponse('iot', 'DescribeJob', {
            job: {
                jobId: 'j1',
                status: 'IN_PROGRESS',
                createdAt: new Date(1_700_000_000_000),
                lastUpdatedAt: new Date(1_700_000_001_500),
                completedAt: null,
                description: undefined,
                jobProcessDetails: { numberOfQueuedThings: 0, numberOfSucceededThings: null },
                documentParameters: { a: 'b', c: undefined },
            },
            documentSource: undefined,
        });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.headers, { 'content-type': 'application/json' });
        assert.equal(res.body, '{"job":{"jobId":"j1","status":"IN_PROGRESS","createdAt":1700000000,"lastUpdatedAt":1700000001.5,"jobProcessDetails":{"numberOfQueuedThings":0},"documentParameters":{"a":"b"}}}');
    });
    test('members of the output that the model does not know are not written', () => {
        const res = encodeResponse('iot', 'CreateThing', { thingName: 't1', thingArn: THING_ARN, thingId: 'id-1', internal: 'secret' });
        assert.deepEqual(JSON.parse(res.body), { thingName: 't1', thingArn: THING_ARN, thingId: 'id-1' });
    });
    test('lists drop null elements; timestamps inside list elements are converted', () => {
        const res = encodeResponse('iot', 'ListJobs', { jobs: [{ jobId: 'a', createdAt: new Date(2000) }, null], nextToken: null });
        assert.equal(res.body, '{"jobs":[{"jobId":"a","createdAt":2}]}');
    });
    test('an operation with no output (or an undefined output) is {}', () => {
        assert.deepEqual(encodeResponse('iot', 'DeleteJob', undefined), { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });
        assert.deepEqual(serializeOutput('iot', 'DeleteJob', undefined), {});
    });
    test("iot-jobs-data timestamps are modeled as longs: numbers pass through as they are", () => {
        const out = serializeOutput('iot-jobs-data', 'DescribeJobExecution', {
            execution: { jobId: 'j1', thingName: 't1', status: 'QUEUED', queuedAt: 1_700_000_000, startedAt: null, versionNumber: 1, executionNumber: 1, statusDetails: { a: 'b', c: null } },
        });
        assert.deepEqual(out, { execution: { jobId: 'j1', thingName: 't1', status: 'QUEUED', queuedAt: 1_700_000_000, versionNumber: 1, executionNumber: 1, statusDetails: { a: 'b' } } });
    });
    test('a status-details key named __proto__ survives serialization', () => {
        const statusDetails = JSON.parse('{"__proto__":"v","a":"b"}');
        // The decoder accepts it (it is a valid DetailsKey) ...
        const input = decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', '{"status":"IN_PROGRESS","statusDetails":{"__proto__":"v","a":"b"}}'));
        assert.deepEqual(Object.keys(input.statusDetails), ['__proto__', 'a']);
        // ... so the encoder should hand it back.
        const out = serializeOutput('iot-jobs-data', 'DescribeJobExecution', { execution: { statusDetails } });
        assert.equal(JSON.stringify(out), '{"execution":{"statusDetails":{"__proto__":"v","a":"b"}}}');
    });
});
describe('encodeError and errorStatus', () => {
    const cases = [
        ['iot', 'LimitExceededException', 410],
        ['iot', 'InvalidStateTransitionException', 409],
        ['iot', 'ResourceNotFoundException', 404],
        ['iot', 'ResourceAlreadyExistsException', 409],
        ['iot', 'VersionConflictException', 409],
        ['iot', 'InvalidRequestException', 400],
        ['iot', 'ThrottlingException', 400],
        ['iot', 'ServiceUnavailableException', 503],
        ['iot-jobs-data', 'TerminalStateException', 410],
        ['iot-jobs-data', 'InvalidStateTransitionException', 409],
        ['iot-jobs-data', 'ResourceNotFoundException', 404],
        ['iot-jobs-data', 'ThrottlingException', 429],
        ['iot-jobs-data', 'CertificateValidationException', 400],
    ];
    for (const [service, code, status] of cases) {
        test(`${service} ${code} is ${status}, from the model`, () => {
            assert.equal(errorStatus(service, code), status);
            const res = encodeError(service, new ServiceError(code, `the ${code} message`));
            assert.deepEqual(res, {
                statusCode: status,
                headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
                body: JSON.stringify({ message: `the ${code} message` }),
            });
        });
    }
    test('errors the models do not define use the AWS front-end statuses, else 400', () => {
        assert.equal(errorStatus('iot', 'SerializationException'), 400);
        assert.equal(errorStatus('iot', 'UnknownOperationException'), 404);
        assert.equal(errorStatus('iot', 'InvalidSignatureException'), 403);
        assert.equal(errorStatus('iot-jobs-data', 'MissingAuthenticationTokenException'), 403);
        assert.equal(errorStatus('iot', 'RequestEntityTooLargeException'), 413);
        assert.equal(errorStatus('iot', 'NoSuchThingException'), 400);
        // A shape that exists but is not an error.
        assert.equal(errorStatus('iot', 'JobId'), 400);
    });
    test('extra members go into the body next to message; undefined extras are left out', () => {
        const res = encodeError('iot', new ServiceError('ResourceAlreadyExistsException', 'Thing t1 already exists', { resourceId: 't1', resourceArn: undefined }));
        assert.equal(res.statusCode, 409);
        assert.equal(res.headers['x-amzn-errortype'], 'ResourceAlreadyExistsException');
        assert.equal(res.body, '{"message":"Thing t1 already exists","resourceId":"t1"}');
        const data = encodeError('iot-jobs-data', new ServiceError('InvalidStateTransitionException', 'no', { executionState: { status: 'SUCCEEDED', versionNumber: 3 } }));
        assert.deepEqual(JSON.parse(data.body), { message: 'no', executionState: { status: 'SUCCEEDED', versionNumber: 3 } });
    });
    test('a validation failure from decodeRequest encodes as 400 InvalidRequestException', () => {
        let err;
        try {
            decodeRequest('iot', 'DescribeJob', parts({ jobId: 'x y' }));
        }
        catch (e) {
            err = e;
        }
        const res = encodeError('iot', err);
        assert.equal(res.statusCode, 400);
        assert.equal(res.headers['x-amzn-errortype'], 'InvalidRequestException');
        assert.deepEqual(JSON.parse(res.body), {
            message: `1 validation error detected: Value 'x y' at 'jobId' failed to satisfy constraint: Member must satisfy regular expression pattern: ${JOB_ID_PATTERN}`,
        });
    });
    test('anything that is not a ServiceError is a 500 that leaks nothing', () => {
        const iot = encodeError('iot', new Error('SQLITE_BUSY: database is locked at /secret/path'));
        assert.deepEqual(iot, {
            statusCode: 500,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalFailureException' },
            body: '{"message":"An internal error occurred"}',
        });
        const data = encodeError('iot-jobs-data', new TypeError('x is undefined'));
        assert.deepEqual(data, {
            statusCode: 500,
            headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException' },
            body: '{"message":"An internal error occurred"}',
        });
        assert.equal(encodeError('iot', 'a thrown string').statusCode, 500);
        assert.equal(encodeError('iot', undefined).statusCode, 500);
    });
});
describe('inputs the store cannot hold, and values no message can show', () => {
    const deep = (n) => `${'['.repeat(n)}${']'.repeat(n)}`;
    test('a member nested 10,000 levels deep is 400 with a bounded message (body and MQTT path)', () => {
        const body = `{"status":${deep(10_000)}}`;
        const msg = serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', body)), 'InvalidRequestException');
        assert.match(msg, /at 'status' failed to satisfy constraint: Member must be a string/);
        assert.ok(msg.length < 1000, `message of ${msg.length} characters`);
        const input = { thingName: 't1', jobId: 'j1', status: JSON.parse(deep(10_000)) };
        assert.match(serviceError(() => validateInput('iot-jobs-data', 'UpdateJobExecution', input), 'InvalidRequestException'), /Member must be a string/);
    });
    test('long members must fit 64 bits and integer members 32, in path, query and body', () => {
        const path = { thingName: 't1', jobId: 'j1', executionNumber: '99999999999999999999999' };
        assert.match(serviceError(() => decodeRequest('iot', 'DeleteJobExecution', parts(path)), 'InvalidRequestException'), /executionNumber' failed to satisfy constraint: Member must fit in a 64-bit long/);
        assert.match(serviceError(() => decodeRequest('iot', 'DescribeJobExecution', parts({ thingName: 't1', jobId: 'j1' }, 'executionNumber=9223372036854775808')), 'InvalidRequestException'), /64-bit long/);
        for (const n of ['9223372036854775808', '1e308', '-1e19'])
            assert.match(serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', parts({ thingName: 't1', jobId: 'j1' }, '', `{"status":"SUCCEEDED","executionNumber":${n}}`)), 'InvalidRequestException'), /64-bit long/, n);
        assert.match(serviceError(() => decodeRequest('iot', 'ListThings', parts({}, 'maxResults=2147483648')), 'InvalidRequestException'), /32-bit integer|less than or equal/);
        // Checked on the decimal text, not on a double: the edges of the long range, exactly.
        const body = (n) => parts({ thingName: 't1', jobId: 'j1' }, '', `{"status":"SUCCEEDED","executionNumber":${n}}`);
        for (const n of ['-9223372036854775809', '9223372036854775808', '-9.223372036854775809e18'])
            assert.match(serviceError(() => decodeRequest('iot-jobs-data', 'UpdateJobExecution', body(n)), 'InvalidRequestException'), /64-bit long/, n);
        assert.equal(decodeRequest('iot-jobs-data', 'UpdateJobExecution', body('9223372036854775807')).executionNumber, 9223372036854775807n);
        assert.equal(decodeRequest('iot-jobs-data', 'UpdateJobExecution', body('-9223372036854775808')).executionNumber, -9223372036854775808n);
        assert.equal(decodeRequest('iot-jobs-data', 'UpdateJobExecution', body('9007199254740993')).executionNumber, 9007199254740993n);
        assert.equal(decodeRequest('iot-jobs-data', 'UpdateJobExecution', body('9007199254740991')).executionNumber, 9007199254740991);
        assert.equal(decodeRequest('iot-jobs-data', 'UpdateJobExecution', body('1.2e1')).executionNumber, 12);
        const q = (n) => decodeRequest('iot', 'DescribeJobExecution', parts({ thingName: 't1', jobId: 'j1' }, `executionNumber=${n}`)).executionNumber;
        assert.equal(q('-9223372036854775808'), -9223372036854775808n);
        assert.equal(q('00000000000000000000000000000000000042'), 42);
        assert.match(serviceError(() => q('-9223372036854775809'), 'InvalidRequestException'), /Value '-9223372036854775809' at 'executionNumber' failed to satisfy constraint: Member must fit in a 64-bit long/);
        // An integer member gets no bigint: past 2^53 it is simply out of its range.
        assert.match(serviceError(() => decodeRequest('iot', 'ListThings', parts({}, 'maxResults=9223372036854775807')), 'InvalidRequestException'), /32-bit integer/);
        // A double member given a long integer text is checked as a number (and shown as written).
        const abort = () => decodeRequest('iot', 'CreateJob', parts({ jobId: 'j1' }, '', '{"targets":["arn:aws:iot:us-east-1:000000000000:thing/t1"],"document":"{}","abortConfig":{"criteriaList":[{"failureType":"FAILED","action":"CANCEL","thresholdPercentage":10000000000000000000000,"minNumberOfExecutedThings":1}]}}'));
        assert.match(serviceError(abort, 'InvalidRequestException'), /Value '10000000000000000000000' at 'abortConfig\.criteriaList\.1\.member\.thresholdPercentage' failed to satisfy constraint: Member must have value less than or equal to 100/);
    });
    test('NUL and lone surrogates are refused in every string, nested ones included; paired surrogates pass', () => {
        const tag = (v) => decodeRequest('iot', 'TagResource', parts({}, '', JSON.stringify({ resourceArn: 'arn:aws:iot:us-east-1:000000000000:job/j1', tags: [{ Key: 'k', Value: v }] })));
        assert.match(serviceError(() => tag('a\u0000b'), 'InvalidRequestException'), /tags\.1\.member\.Value' failed to satisfy constraint: Member must not contain null characters/);
        assert.match(serviceError(() => tag('a\ud800b'), 'InvalidRequestException'), /well-formed Unicode/);
        assert.equal(tag('a\u{1F600}b').tags[0].Value, 'a\u{1F600}b');
        assert.match(serviceError(() => decodeRequest('iot', 'DescribeThing', parts({ thingName: 'a\u0000b' })), 'InvalidRequestException'), /null characters/);
        const arn = JSON.stringify({ thingGroupArn: 'arn:aws:iot:us-east-1:000000000000:thinggroup/g\u0000', thingName: 't1' });
        assert.match(serviceError(() => decodeRequest('iot', 'AddThingToThingGroup', parts({}, '', arn)), 'InvalidRequestException'), /thingGroupArn' failed to satisfy constraint: Member must not contain null characters/);
    });
    test('members the model does not name are dropped before the operation, however deep', () => {
        const input = decodeRequest('iot', 'UpdateJob', parts({ jobId: 'j1' }, '', `{"timeoutConfig":{"inProgressTimeoutInMinutes":5,"x":${deep(10_000)}},"other":1}`));
        assert.deepEqual(input, { jobId: 'j1', timeoutConfig: { inProgressTimeoutInMinutes: 5 } });
    });
});
describe('the cursor decoder: only tokens the server wrote', () => {
    test('a token it wrote comes back as the key', () => {
        assert.deepEqual(decodeToken(encodeToken([1700000000000, 'job-1']), ['integer', 'string']), [1700000000000, 'job-1']);
        assert.equal(decodeToken(undefined, ['string']), undefined);
    });
    test('any other shape is 400 InvalidRequestException', () => {
        const forged = ['[true]', '[{}]', '[[1,2],"a"]', '[1e308,"x"]', '[null]', '[]', '{}', '"x"', '["x",1]', '[1.5,"x"]', '["a\\u0000"]', '[ 1,"x"]'];
        for (const json of forged)
            serviceError(() => decodeToken(Buffer.from(json).toString('base64url'), ['integer', 'string']), 'InvalidRequestException');
        for (const raw of ['%%%', '', 'bm90IGpzb24', `${encodeToken(['a'])}=`])
            serviceError(() => decodeToken(raw, ['string']), 'InvalidRequestException');
    });
});
//# sourceMappingURL=codec.test.js.map