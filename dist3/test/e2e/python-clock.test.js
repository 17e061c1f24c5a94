import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BACKENDS, startServer } from '../support/harness.js';
const run = promisify(execFile);
/**
 * boto3 drives a timeout and a retry; the clock is moved with raw requests signed by botocore's own
 * SigV4Auth, as a Python user's test would do it.
 */
const BOTO3_CLOCK = String.raw `
import json, os, boto3, botocore, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url = os.environ["ENDPOINT"]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
jobs = boto3.client("iot-jobs-data", **kw)
def clock(body=None):
    data = None if body is None else json.dumps(body)
    req = AWSRequest(method="GET" if body is None else "POST", url=url + "/_iot-jobs/clock", data=data,
                     headers={} if body is None else {"Content-Type": "application/json"})
    SigV4Auth(Credentials("test", "test"), "iot", "us-east-1").add_auth(req)
    r = urllib.request.Request(req.url, data=None if data is None else data.encode(), method=req.method, headers=dict(req.headers))
    try:
        with urllib.request.urlopen(r) as res:
            return [res.status, res.headers["Content-Type"], json.loads(res.read())]
    except urllib.error.HTTPError as e:
        return [e.code, None, None]
out = {"show": clock()}
iot.create_thing(thingName="pyc-1")
iot.create_job(jobId="pyc", targets=[iot.describe_thing(thingName="pyc-1")["thingArn"]], document="{}",
               timeoutConfig={"inProgressTimeoutInMinutes": 10},
               jobExecutionsRetryConfig={"criteriaList": [{"failureType": "TIMED_OUT", "numberOfRetries": 1}]})
jobs.start_next_pending_job_execution(thingName="pyc-1")
out["left"] = iot.describe_job_execution(jobId="pyc", thingName="pyc-1")["execution"]["approximateSecondsBeforeTimedOut"]
out["advance"] = clock({"advanceSeconds": 600})
out["bad"] = clock({"advanceSeconds": -1})
out["attempts"] = [[s["jobExecutionSummary"]["executionNumber"], s["jobExecutionSummary"]["status"], s["jobExecutionSummary"]["retryAttempt"]]
                   for s in iot.list_job_executions_for_job(jobId="pyc")["executionSummaries"]]
out["pending"] = [[j["jobId"], j["executionNumber"]] for j in jobs.get_pending_job_executions(thingName="pyc-1")["queuedJobs"]]
print(json.dumps(out))
`;
for (const backend of BACKENDS) {
    describe(`Python (boto3) and the manual clock [${backend}]`, () => {
        let s;
        before(async () => {
            s = await startServer(backend, { clock: 'manual' });
        });
        after(async () => {
            await s.close();
        });
        test('a timeout and its retry, with the clock moved by SigV4-signed raw requests', async () => {
            const { stdout } = await run('/usr/bin/python3', ['-c', BOTO3_CLOCK], { env: { ...process.env, ENDPOINT: s.url } });
            const out = JSON.parse(stdout);
            const show = out.show;
            assert.equal(show[0], 200);
            assert.match(show[1], /^application\/json/);
            assert.equal(show[2].mode, 'manual');
            assert.equal(out.left, 600);
            const adv = out.advance;
            assert.equal(adv[0], 200);
            assert.equal(Date.parse(adv[2].now) - Date.parse(show[2].now), 600_000);
            assert.equal(out.bad[0], 400);
            assert.deepEqual(out.attempts, [
                [1, 'TIMED_OUT', 0],
                [2, 'QUEUED', 1],
            ]);
            assert.deepEqual(out.pending, [['pyc', 2]]);
        });
    });
}
//# sourceMappingURL=python-clock.test.js.map