import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterMatches } from '../../src/mqtt/topics.js';

test('MQTT topic filters match as MQTT 3.1.1 says', () => {
  const t = '$aws/things/t1/jobs/notify-next';
  for (const f of [t, '$aws/things/t1/jobs/+', '$aws/things/t1/jobs/#', '$aws/things/+/jobs/notify-next', '$aws/#', '$aws/things/t1/jobs/notify-next/#'])
    assert.ok(filterMatches(f, t), f);
  for (const f of ['$aws/things/t1/jobs/notify', '$aws/things/t2/jobs/#', '$aws/things/t1/+', '$aws/things/t1/jobs/notify-next/+', '#', '+/things/t1/jobs/notify-next', ''])
    assert.ok(!filterMatches(f, t), f);
  assert.ok(filterMatches('#', 'a/b'), '# matches topics outside $');
  assert.ok(filterMatches('+/b', 'a/b'));
  assert.ok(filterMatches('a/+/c', 'a//c'), '+ matches an empty level');
  assert.ok(!filterMatches('a/+', 'a/b/c'));
});
