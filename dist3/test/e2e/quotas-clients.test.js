import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateJobCommand, CreateThingCommand, DescribeJobCommand, IoTClient } from '@aws-sdk/client-iot';
import { CREDENTIALS, REGION, startServer, thingArn } from '../support/harness.js';
import { awsEnv } from '../support/cli.js';
/**
 * Each client's own retry on ThrottlingException, and its error once retries are off: Debian's
 * boto3 (botocore 1.29, legacy and standard retry modes), /usr/bin/aws (2.9) and the AWS SDK for
 * JavaScript v3, against `--quotas FILE` with tiny rates. Each also measures a burst of calls
 * (docs/reliability.md, "Throttling"): how many attempts the server refused, how long it took.
 */
const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const AWS = '/usr/bin/aws';
const PROFILE = {
    rates: {
        'iot:DescribeJob': { rate: 4, burst: 1 },
        'iot:ListJobs': { rate: 4, burst: 1 },
        'iot-jobs-data:read': { rate: 4, burst: 1, operations: ['iot-jobs-data:DescribeJobExecution', 'iot-jobs-data:GetPendingJobExecutions'] },
    },
    jobs: {},
};
const P = 'quotas-cl-';
const JOB = `${P}job-0`;
const THING = `${P}t`;
const BURST = 10;
const BOTO3 = String.raw `
import json, os, time, boto3, botocore
from botocore.config import Config
kw = dict(endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
job, thing, n = os.environ["JOB"], os.environ["THING"], int(os.environ["BURST"])
out = {"botocore": botocore.__version__}
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        return [e.response["Error"]["Code"], md["HTTPStatusCode"], md["RetryAttempts"], e.response["Error"]["Message"], "Retry-After" in md.get("HTTPHeaders", {}) or "retry-after" in md.get("HTTPHeaders", {})]
    return None
def twice(fn):
    time.sleep(0.3)
    fn()
    return fn()["ResponseMetadata"]["RetryAttempts"]
for mode, cfg in (("legacy", None), ("standard", Config(retries={"mode": "standard", "max_attempts": 10}))):
    extra = {"config": cfg} if cfg else {}
    iot = boto3.client("iot", **kw, **extra)
    data = boto3.client("iot-jobs-data", **kw, **extra)
    out[mode] = {"control": twice(lambda: iot.describe_job(jobId=job)), "data": twice(lambda: data.get_pending_job_executions(thingName=thing))}
    time.sleep(0.3)
    t0 = time.time()
    retries = sum(iot.describe_job(jobId=job)["ResponseMetadata"]["RetryAttempts"] for _ in range(n))
    out[mode]["burst"] = {"calls": n, "retries": retries, "seconds": round(time.time() - t0, 2)}
off = Config(retries={"total_max_attempts": 1})
iot1 = boto3.client("iot", config=off, **kw)
data1 = boto3.client("iot-jobs-data", config=off, **kw)
time.sleep(0.3)
iot1.describe_job(jobId=job)
out["controlOff"] = err(lambda: iot1.describe_job(jobId=job))
time.sleep(0.3)
data1.get_pending_job_executions(thingName=thing)
out["dataOff"] = err(lambda: data1.get_pending_job_executions(thingName=thing))
print(json.dumps(out))
`;
async function throttled(url, operation) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('iot_jobs_throttled_requests_total{') && l.includes(`operation="${operation}"`));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
describe('clients retry on ThrottlingException, and give up once retries are off', () => {
    let s;
    before(async () => {
        s = await startServer('sqlite', { quotas: PROFILE });
        await s.iot.send(new CreateThingCommand({ thingName: THING }));
        for (let i = 0; i < 6; i++)
            await s.iot.send(new CreateJobCommand({ jobId: `${P}job-${i}`, targets: [thingArn(THING)], document: '{}' }));
    });
    after(() => s?.close());
    test('boto3: legacy and standard modes retry both planes; total_max_attempts 1 gives the error', async (t) => {
        const before = await throttled(s.url, 'DescribeJob');
        const { stdout } = await run(PYTHON, ['-c', BOTO3], { env: { ...process.env, ENDPOINT: s.url, JOB, THING, BURST: String(BURST) }, timeout: 120_000 });
        const out = JSON.parse(stdout);
        t.diagnostic(`boto3 ${JSON.stringify(out)}`);
        for (const mode of ['legacy', 'standard']) {
            assert.ok(out[mode].control > 0, `${mode}: control-plane RetryAttempts ${out[mode].control}`);
            assert.ok(out[mode].data > 0, `${mode}: data-plane (429) RetryAttempts ${out[mode].data}`);
            assert.ok(out[mode].burst.retries > 0, `${mode}: a burst of ${BURST} was retried`);
        }
        assert.deepEqual(out.controlOff, ['ThrottlingException', 400, 0, 'Rate exceeded', false]);
        assert.deepEqual(out.dataOff, ['ThrottlingException', 429, 0, 'Rate exceeded', false]);
        assert.ok((await throttled(s.url, 'DescribeJob')) > before);
    });
    test('AWS CLI 2.9: a paginated list-jobs retries its throttled pages; max_attempts = 1 in the config gives the error', async (t) => {
        const dir = mkdtempSync(join(tmpdir(), 'quotas-cli-'));
        const args = ['iot', 'list-jobs', '--page-size', '1', '--endpoint-url', s.url, '--output', 'json'];
        // Six pages, one call each, back to back: the bucket (4/s, burst 1) refuses some first attempts.
        const retrying = join(dir, 'retrying');
        writeFileSync(retrying, '[default]\nretry_mode = standard\nmax_attempts = 10\n');
        const before = await throttled(s.url, 'ListJobs');
        const t0 = Date.now();
        const ok = await run(AWS, args, { env: awsEnv(undefined, { AWS_CONFIG_FILE: retrying, AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' }), timeout: 120_000 });
        const seconds = (Date.now() - t0) / 1000;
        const jobs = JSON.parse(ok.stdout).jobs.map((j) => j.jobId).filter((id) => id.startsWith(P));
        assert.equal(jobs.length, 6, 'every page arrived');
        const refused = (await throttled(s.url, 'ListJobs')) - before;
        t.diagnostic(`aws-cli list-jobs: 6 pages, ${refused} attempts throttled, ${seconds.toFixed(2)} s`);
        assert.ok(refused > 0, 'the CLI met the throttle and retried it');
        const off = join(dir, 'off');
        writeFileSync(off, '[default]\nmax_attempts = 1\n');
        const failed = await run(AWS, args, { env: awsEnv(undefined, { AWS_CONFIG_FILE: off, AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' }), timeout: 60_000 }).then(() => assert.fail('list-jobs with max_attempts = 1 should fail on a throttled page'), (e) => e);
        assert.equal(failed.code, 254);
        assert.match(failed.stderr, /An error occurred \(ThrottlingException\) when calling the ListJobs operation \(reached max retries: 0\): Rate exceeded/);
    });
    test('JS SDK v3: a burst of calls with the default retry (3 attempts)', async (t) => {
        const iot = new IoTClient({ endpoint: s.url, region: REGION, credentials: CREDENTIALS });
        await new Promise((r) => setTimeout(r, 300));
        const before = await throttled(s.url, 'DescribeJob');
        const t0 = Date.now();
        let attempts = 0;
        let failed = 0;
        for (let i = 0; i < BURST; i++) {
            try {
                attempts += (await iot.send(new DescribeJobCommand({ jobId: JOB }))).$metadata.attempts;
            }
            catch (e) {
                failed += 1;
                attempts += e.$metadata.attempts;
                assert.equal(e.name, 'ThrottlingException');
            }
        }
        const refused = (await throttled(s.url, 'DescribeJob')) - before;
        t.diagnostic(`js-sdk v3: ${BURST} calls, ${attempts} attempts, ${refused} throttled, ${failed} gave up, ${((Date.now() - t0) / 1000).toFixed(2)} s`);
        assert.ok(attempts > BURST, 'some calls needed more than one attempt');
        assert.equal(attempts - BURST + failed, refused, "every attempt the server refused is one the client counted");
        iot.destroy();
    });
});
//# sourceMappingURL=quotas-clients.test.js.map