import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { CLI, spawnServer } from '../support/process.js';
import { CREDENTIALS, REGION } from '../support/harness.js';
/**
 * The real `iot-jobs` process: `serve --quotas FILE` (the flag wins over IOT_JOBS_QUOTAS), the
 * request line naming the bucket that throttled, `quotas show aws`, and a bad profile's one-line
 * error with exit code 2.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'quotas-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
test('serve --quotas FILE: the flag wins; the request log line says which bucket throttled', async () => {
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify({ rates: { 'iot:DescribeJob': { rate: 0.2, burst: 1 } } }));
    // With the aws profile (10/s) the second call would pass: it is the file's bucket that refuses it.
    const s = await spawnServer(['--data-dir', join(dir, 'data'), '--quotas', file, '--log-format', 'json'], { IOT_JOBS_QUOTAS: 'aws' });
    try {
        const iot = new IoTClient({ endpoint: s.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
        await assert.rejects(iot.send(new DescribeJobCommand({ jobId: 'quotas-cli-none' })), (e) => e.name === 'ResourceNotFoundException');
        await assert.rejects(iot.send(new DescribeJobCommand({ jobId: 'quotas-cli-none' })), (e) => e.name === 'ThrottlingException');
        iot.destroy();
        const deadline = Date.now() + 5000;
        let line;
        while (!line && Date.now() < deadline) {
            line = s
                .output()
                .split('\n')
                .filter((l) => l.startsWith('{'))
                .map((l) => JSON.parse(l))
                .find((l) => l.msg === 'request' && l.errorCode === 'ThrottlingException');
            if (!line)
                await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(line, s.output());
        assert.equal(line.operation, 'DescribeJob');
        assert.equal(line.status, 400);
        assert.equal(line.throttledBy, 'iot:DescribeJob');
    }
    finally {
        s.child.kill('SIGTERM');
        await s.exited;
    }
});
test('quotas show aws prints the profile --quotas FILE takes; a bad file is one line and exit 2', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'quotas', 'show', 'aws']);
    const profile = JSON.parse(stdout);
    assert.deepEqual(profile.rates['iot:DescribeJob'], { rate: 10, burst: 10, source: 'documented: AWS IoT limits page (2019)' });
    assert.deepEqual(profile.rates['iot-jobs-data:read'].rate, 200);
    assert.ok(profile.jobs.concurrentJobs);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rates: { 'iot:DescribeJobs': { rate: 1 } } }));
    const failed = await run(process.execPath, [CLI, 'serve', '--quotas', bad, '--data-dir', join(dir, 'bad')]).then(() => assert.fail('serve with a bad profile should exit'), (e) => e);
    assert.equal(failed.code, 2);
    assert.equal(failed.stderr.trim().split('\n').length, 1, failed.stderr);
    assert.match(failed.stderr, /^iot-jobs: error: --quotas .*bad\.json: rates\["iot:DescribeJobs"\]/);
});
//# sourceMappingURL=quotas-cli.test.js.map