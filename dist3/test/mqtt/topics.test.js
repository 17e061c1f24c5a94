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
test('topic-filter matching agrees with a regular-expression reading of the rules on random cases', () => {
    // The reference: + is one level of anything but '/', a trailing /# is "this level and below".
    const reference = (filter, topic) => {
        if (/^[+#]/.test(filter) && topic.startsWith('$'))
            return false;
        if (filter === '#')
            return true;
        const body = filter
            .split('/')
            .map((l) => (l === '+' ? '[^/]*' : l === '#' ? '#' : l.replace(/[.*?^${}()|[\]\\-]/g, '\\$&')))
            .join('/')
            .replace(/\/#$/, '(/.*)?');
        return new RegExp(`^${body}$`).test(topic);
    };
    const levels = ['a', 'b', '', '$x'];
    const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
    const path = (n, extra) => Array.from({ length: n }, () => pick([...levels, ...extra])).join('/');
    for (let k = 0; k < 5000; k++) {
        const topic = path(1 + Math.floor(Math.random() * 4), []);
        let filter = path(1 + Math.floor(Math.random() * 4), ['+', '+']);
        if (Math.random() < 0.3)
            filter += '/#';
        if (Math.random() < 0.05)
            filter = '#';
        assert.equal(filterMatches(filter, topic), reference(filter, topic), `${filter} ~ ${topic}`);
    }
});
//# sourceMappingURL=topics.test.js.map