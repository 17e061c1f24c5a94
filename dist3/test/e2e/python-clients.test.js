import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BACKENDS, startServer } from '../support/harness.js';
const run = promisify(execFile);
/** Debian's clients, as users have them: /usr/bin/python3 with python3-boto3, and /usr/bin/aws. */
const PYTHON = '/usr/bin/python3';
const AWS = '/usr/bin/aws';
const BOTO3_FLOW = String.raw `
import json, os, sys, time, boto3, botocore
url = os.environ["ENDPOINT"]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
jobs = boto3.client("iot-jobs-data", **kw)
out = {"botocore": botocore.__version__}
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None
iot.create_thing_group(thingGroupName="py-fleet")
for i in range(3):
    iot.create_thing(thingName=f"py-{i}")
    iot.add_thing_to_thing_group(thingGroupName="py-fleet", thingName=f"py-{i}")
arn = iot.describe_thing_group(thingGroupName="py-fleet")["thingGroupArn"]
created = iot.create_job(jobId="py-job", targets=[arn], document=json.dumps({"op": "reboot"}), description="from boto3")
out["jobArn"] = created["jobArn"]
d = iot.describe_job(jobId="py-job")["job"]
out["queued"] = d["jobProcessDetails"]["numberOfQueuedThings"]
out["createdAtIsDatetime"] = hasattr(d["createdAt"], "year")
out["forThing"] = [s["jobId"] for s in iot.list_job_executions_for_thing(thingName="py-0")["executionSummaries"]]
out["pending"] = [j["jobId"] for j in jobs.get_pending_job_executions(thingName="py-0")["queuedJobs"]]
ex = jobs.start_next_pending_job_execution(thingName="py-0", statusDetails={"step": "download"})["execution"]
out["started"] = [ex["status"], ex["versionNumber"], json.loads(ex["jobDocument"])]
out["versionMismatch"] = err(lambda: jobs.update_job_execution(jobId="py-job", thingName="py-0", status="SUCCEEDED", expectedVersion=99))
st = jobs.update_job_execution(jobId="py-job", thingName="py-0", status="SUCCEEDED", expectedVersion=ex["versionNumber"], includeJobExecutionState=True)
out["updated"] = st["executionState"]["status"]
out["deleteUnknown"] = err(lambda: iot.delete_job(jobId="nope"))
out["deleteBadId"] = err(lambda: iot.delete_job(jobId="bad.id"))
out["deleteInProgress"] = err(lambda: iot.delete_job(jobId="py-job"))
out["deleteExecQueued"] = err(lambda: iot.delete_job_execution(jobId="py-job", thingName="py-1", executionNumber=1))
iot.delete_job_execution(jobId="py-job", thingName="py-0", executionNumber=1)
out["deviceAfterDelete"] = err(lambda: jobs.describe_job_execution(jobId="py-job", thingName="py-0"))
iot.delete_job(jobId="py-job", force=True)
for _ in range(400):
    if err(lambda: iot.describe_job(jobId="py-job")) == ["ResourceNotFoundException", 404]:
        out["gone"] = True
        break
    time.sleep(0.025)
iot.create_job(jobId="py-job", targets=[arn], document="{}")
out["reused"] = iot.describe_job(jobId="py-job")["job"]["status"]
print(json.dumps(out))
`;
async function haveDebianClients() {
    try {
        await run(PYTHON, ['-c', 'import boto3']);
        await run(AWS, ['--version']);
        return false;
    }
    catch (e) {
        return `Debian's python3-boto3 / awscli are not installed (.ci/run installs them): ${e.message.split('\n')[0]}`;
    }
}
const missing = await haveDebianClients();
for (const backend of BACKENDS) {
    describe(`boto3 and the AWS CLI [${backend}]`, () => {
        let s;
        before(async () => {
            // Missing clients fail the run rather than skip it: .ci/run installs them.
            if (missing)
                throw new Error(missing);
            s = await startServer(backend);
        });
        after(async () => {
            await s?.close();
        });
        test('boto3 drives the control plane and the device plane, deletion included', async () => {
            const { stdout } = await run(PYTHON, ['-c', BOTO3_FLOW], { env: { ...process.env, ENDPOINT: s.url } });
            const out = JSON.parse(stdout.trim().split('\n').pop());
            assert.equal(out.jobArn, 'arn:aws:iot:us-east-1:000000000000:job/py-job');
            assert.equal(out.queued, 3);
            assert.equal(out.createdAtIsDatetime, true);
            assert.deepEqual(out.forThing, ['py-job']);
            assert.deepEqual(out.pending, ['py-job']);
            assert.deepEqual(out.started, ['IN_PROGRESS', 2, { op: 'reboot' }]);
            assert.deepEqual(out.versionMismatch, ['InvalidStateTransitionException', 409]);
            assert.equal(out.updated, 'SUCCEEDED');
            assert.deepEqual(out.deleteUnknown, ['ResourceNotFoundException', 404]);
            assert.deepEqual(out.deleteBadId, ['InvalidRequestException', 400]);
            assert.deepEqual(out.deleteInProgress, ['InvalidStateTransitionException', 409]);
            assert.deepEqual(out.deleteExecQueued, ['InvalidStateTransitionException', 409]);
            assert.deepEqual(out.deviceAfterDelete, ['ResourceNotFoundException', 404]);
            assert.equal(out.gone, true);
            assert.equal(out.reused, 'IN_PROGRESS');
        });
        test('the AWS CLI creates, refuses and force-deletes a job', async () => {
            const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
            const aws = (...args) => run(AWS, ['--endpoint-url', s.url, '--output', 'json', ...args], { env });
            await aws('iot', 'create-thing', '--thing-name', 'cli-1');
            const created = JSON.parse((await aws('iot', 'create-job', '--job-id', 'cli-job', '--targets', 'arn:aws:iot:us-east-1:000000000000:thing/cli-1', '--document', '{"op":"update"}')).stdout);
            assert.equal(created.jobId, 'cli-job');
            const described = JSON.parse((await aws('iot', 'describe-job', '--job-id', 'cli-job')).stdout);
            assert.equal(described.job.status, 'IN_PROGRESS');
            await assert.rejects(aws('iot', 'delete-job', '--job-id', 'cli-job'), (e) => {
                assert.match(e.stderr, /InvalidStateTransitionException/);
                assert.notEqual(e.code, 0);
                return true;
            });
            await aws('iot', 'delete-job', '--job-id', 'cli-job', '--force');
            const next = JSON.parse((await aws('iot-jobs-data', 'get-pending-job-executions', '--thing-name', 'cli-1')).stdout);
            assert.ok(Array.isArray(next.queuedJobs));
        });
    });
}
//# sourceMappingURL=python-clients.test.js.map