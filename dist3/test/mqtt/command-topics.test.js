import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsFilterMatches, commandReplyTopic, commandRequestTopic, mayPublishCommands, mayUseCommands, parseCommandResponse } from '../../src/mqtt/command-topics.js';
test('request topics carry json, cbor or no suffix; response topics parse; replies go to accepted/json and rejected/json', () => {
    assert.equal(commandRequestTopic('thing', 't1', 'e1', 'json'), '$aws/commands/things/t1/executions/e1/request/json');
    assert.equal(commandRequestTopic('client', 'c1', 'e1', 'cbor'), '$aws/commands/clients/c1/executions/e1/request/cbor');
    assert.equal(commandRequestTopic('thing', 't1', 'e1', undefined), '$aws/commands/things/t1/executions/e1/request');
    assert.deepEqual(parseCommandResponse('$aws/commands/clients/c1/executions/e1/response/json'), { kind: 'client', id: 'c1', executionId: 'e1' });
    for (const t of ['$aws/commands/things/t1/executions/e1/response/cbor', '$aws/commands/things/t1/executions/e1/response/accepted/json', '$aws/commands/things/t1/executions/e1/request/json', '$aws/commands/bots/t1/executions/e1/response/json'])
        assert.equal(parseCommandResponse(t), undefined, t);
    const r = '$aws/commands/things/t1/executions/e1/response/json';
    assert.equal(commandReplyTopic(r, true), '$aws/commands/things/t1/executions/e1/response/accepted/json');
    assert.equal(commandReplyTopic(r, false), '$aws/commands/things/t1/executions/e1/response/rejected/json');
});
test('a client uses only its own commands topics, and publishes only status updates', () => {
    assert.ok(mayUseCommands('t1', '$aws/commands/things/t1/executions/+/request/json'));
    assert.ok(mayUseCommands('t1', '$aws/commands/clients/t1/executions/+/request'));
    for (const f of ['$aws/commands/things/t2/executions/+/request/json', '$aws/commands/things/+/executions/+/request/json', '$aws/commands/#', '$aws/commands/things/t1x/executions/e/request'])
        assert.ok(!mayUseCommands('t1', f), f);
    assert.ok(mayPublishCommands('t1', '$aws/commands/things/t1/executions/e1/response/json'));
    for (const t of ['$aws/commands/things/t1/executions/e1/request/json', '$aws/commands/things/t1/executions/e1/response/accepted/json', '$aws/commands/things/t2/executions/e1/response/json'])
        assert.ok(!mayPublishCommands('t1', t), t);
});
test("AWS's `#`: it does not match its parent level, so .../request/# misses the no-suffix request", () => {
    const base = '$aws/commands/things/t1/executions';
    assert.ok(awsFilterMatches(`${base}/+/request/#`, `${base}/e1/request/json`));
    assert.ok(!awsFilterMatches(`${base}/+/request/#`, `${base}/e1/request`));
    assert.ok(awsFilterMatches(`${base}/+/request`, `${base}/e1/request`));
    assert.ok(awsFilterMatches(`${base}/#`, `${base}/e1/request`));
    assert.ok(!awsFilterMatches(`${base}/+/request/+`, `${base}/e1/request`));
});
//# sourceMappingURL=command-topics.test.js.map