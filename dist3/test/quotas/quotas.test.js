import { test } from 'node:test';
import assert from 'node:assert/strict';
import { models } from '../../src/model/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, resolveConfig } from '../../src/config/config.js';
import { awsProfile, parseProfile, profileText } from '../../src/quotas/profile.js';
import { RateLimiter } from '../../src/quotas/limiter.js';
import { computeShares } from '../../src/quotas/shares.js';
import { operations } from '../../src/operations/index.js';
/** The profile format, the built-in AWS profile, the flag, the buckets and the shares, without a server. */
test('the aws profile limits every served operation; the documented numbers are there, unknown ones marked', () => {
    const p = awsProfile();
    const covered = new Set(Object.entries(p.rates).flatMap(([name, e]) => e.operations ?? [name]));
    // Every operation of the served models (an MQTT-only one, such as UpdateCommandExecution, has no HTTP rate).
    for (const [service, ops] of Object.entries(operations))
        for (const op of Object.keys(ops))
            if (models[service]?.operations[op])
                assert.ok(covered.has(`${service}:${op}`), `${service}:${op} has no bucket`);
    assert.deepEqual([p.rates['iot:CreateJob'].rate, p.rates['iot:DescribeThing'].rate, p.rates['iot-jobs-data:write'].rate], [10, 350, 200]);
    assert.match(p.rates['iot:CreateThing'].source, /^unknown/);
    assert.match(p.jobs.concurrentJobs.source, /^unknown/);
    for (const e of Object.values(p.rates))
        assert.equal(e.burst, e.rate, 'burst = rate: AWS documents no burst');
    // What `quotas show aws` prints is a file --quotas takes back unchanged.
    assert.equal(profileText(parseProfile(JSON.parse(profileText(p)))), profileText(p));
});
test('profile files: burst defaults to the rate (at least 1); mistakes are named', () => {
    assert.deepEqual(parseProfile({ rates: { 'iot:ListJobs': { rate: 0.5 } } }).rates['iot:ListJobs'], { rate: 0.5, burst: 1 });
    const bad = [
        [{ rates: { 'iot:Nope': { rate: 1 } } }, /iot:Nope/],
        [{ rates: { 'iot:ListJobs': { rate: 0 } } }, /rate must be a number above 0/],
        [{ rates: { 'iot:ListJobs': { rate: 1, burst: 0.5 } } }, /burst must be at least 1/],
        [{ rates: { 'iot:ListJobs': { rate: 1, per: 'device' } } }, /per must be/],
        [{ rates: { 'iot:ListJobs': { rate: 1 }, 'iot:lists': { rate: 1, operations: ['iot:ListJobs'] } } }, /limited per account by both/],
        [{ rates: {}, jobs: { activeJobs: { limit: 1 } } }, /unknown quota 'activeJobs'/],
        [{ rates: {}, extra: 1 }, /unknown section 'extra'/],
    ];
    for (const [json, re] of bad)
        assert.throws(() => parseProfile(json), re);
});
test('--quotas wins over IOT_JOBS_QUOTAS; off is the default; a bad file is a config error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quotas-unit-'));
    const file = join(dir, 'q.json');
    writeFileSync(file, JSON.stringify({ rates: { 'iot:ListJobs': { rate: 2 } } }));
    assert.equal(resolveConfig({}, {}).quotas, undefined);
    assert.equal(resolveConfig({ quotas: 'off' }, { IOT_JOBS_QUOTAS: 'aws' }).quotas, undefined);
    assert.equal(resolveConfig({}, { IOT_JOBS_QUOTAS: 'aws' }).quotas.rates['iot:CreateJob'].rate, 10);
    assert.deepEqual(Object.keys(resolveConfig({ quotas: file }, { IOT_JOBS_QUOTAS: 'aws' }).quotas.rates), ['iot:ListJobs']);
    writeFileSync(file, '{"rates":');
    assert.throws(() => resolveConfig({ quotas: file }), (e) => e instanceof ConfigError && /not valid JSON/.test(e.message));
    assert.throws(() => resolveConfig({ quotas: join(dir, 'missing.json') }), (e) => e instanceof ConfigError && /cannot read/.test(e.message));
});
test('token buckets: burst, refill at the rate, groups share, things apart', () => {
    let now = 0;
    const limiter = new RateLimiter(parseProfile({
        rates: {
            'iot-jobs-data:read': { rate: 2, burst: 3, operations: ['iot-jobs-data:DescribeJobExecution', 'iot-jobs-data:GetPendingJobExecutions'] },
            'iot-jobs-data:UpdateJobExecution': { rate: 1, per: 'thing' },
        },
    }), () => now);
    const get = () => limiter.take('iot-jobs-data', 'GetPendingJobExecutions', 'a');
    const describe = () => limiter.take('iot-jobs-data', 'DescribeJobExecution', 'a');
    assert.deepEqual([get(), describe(), get(), describe()], [undefined, undefined, undefined, { bucket: 'iot-jobs-data:read' }]);
    now = 499;
    assert.deepEqual(get(), { bucket: 'iot-jobs-data:read' });
    now = 500;
    assert.equal(get(), undefined);
    const update = (thing) => limiter.take('iot-jobs-data', 'UpdateJobExecution', thing);
    assert.deepEqual([update('a'), update('b'), update('a')], [undefined, undefined, { bucket: 'iot-jobs-data:UpdateJobExecution' }]);
    assert.equal(limiter.take('iot', 'ListJobs', undefined), undefined, 'no bucket, no limit');
});
test('shares follow demand, sum to one, and split evenly when idle', () => {
    const idle = computeShares('a', [{ nodeId: 'a', demand: {} }, { nodeId: 'b', demand: {} }], ['x']);
    assert.equal(idle.shares.get('x'), 0.5);
    const busy = [{ nodeId: 'a', demand: { x: 300 } }, { nodeId: 'b', demand: { x: 0 } }];
    const a = computeShares('a', busy, ['x']).shares.get('x');
    const b = computeShares('b', busy, ['x']).shares.get('x');
    assert.ok(a > 0.9 && b > 0 && Math.abs(a + b - 1) < 1e-9, `${a} + ${b}`);
    assert.equal(computeShares('a', [{ nodeId: 'a', demand: { x: 5 } }], ['x']).shares.get('x'), 1);
});
//# sourceMappingURL=quotas.test.js.map