import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import {
  AddThingToThingGroupCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
  IoTClient,
  ListJobsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-iot';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeJobExecutionCommand, GetPendingJobExecutionsCommand, IoTJobsDataPlaneClient, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { Sha256 } from '../../src/auth/sigv4.js';
import { ACCOUNT, BACKENDS, REGION, eventually, startServer, type TestServer } from '../support/harness.js';

/**
 * IAM policies on the HTTP API (issue 24): only the users file's keys are accepted, every request is
 * authorized by the signing user's policies, and a denial is AWS's 403 AccessDeniedException with
 * its message — as the JavaScript SDK v3, boto3 and the AWS CLI show it — on both planes and both
 * backends. The file reloads on change; a bad reload keeps the policies in force.
 */

const run = promisify(execFile);
const A = `arn:aws:iot:${REGION}:${ACCOUNT}`;
const userArn = (n: string) => `arn:aws:iam::${ACCOUNT}:user/${n}`;
const KEYS = {
  admin: { accessKeyId: 'AKIDIAMADMIN', secretAccessKey: 'iam-admin-secret' },
  ci: { accessKeyId: 'AKIDIAMCI', secretAccessKey: 'iam-ci-secret' },
  support: { accessKeyId: 'AKIDIAMSUPPORT', secretAccessKey: 'iam-support-secret' },
  device: { accessKeyId: 'AKIDIAMDEVICE', secretAccessKey: 'iam-device-secret' },
};

const implicit = (user: string, action: string, resource: string) =>
  `User: ${userArn(user)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
const explicit = (user: string, action: string, resource: string) =>
  `User: ${userArn(user)} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`;

function usersFile(ciExtra: object[] = []) {
  return {
    users: [
      { name: 'admin', ...KEYS.admin, policies: [{ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }] },
      {
        name: 'ci',
        ...KEYS.ci,
        policies: [
          {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'CanaryOnly', Effect: 'Allow', Action: 'iot:CreateJob', Resource: [`${A}:job/*`, `${A}:thinggroup/iam-canary-*`] },
              { Sid: 'Read', Effect: 'Allow', Action: ['iot:DescribeJob', 'iot:GetJobDocument'], Resource: `${A}:job/*` },
              { Sid: 'TagFw', Effect: 'Allow', Action: 'iot:TagResource', Resource: `${A}:job/*`, Condition: { StringEquals: { 'aws:RequestTag/team': 'fw' } } },
              ...ciExtra,
            ],
          },
          { Version: '2012-10-17', Statement: [{ Sid: 'NeverDelete', Effect: 'Deny', Action: 'iot:DeleteJob', Resource: '*' }] },
        ],
      },
      {
        name: 'support',
        ...KEYS.support,
        policies: [{ Version: '2012-10-17', Statement: [{ Sid: 'FwJobs', Effect: 'Allow', Action: 'iot:DescribeJob', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': 'fw' } } }] }],
      },
      {
        name: 'device',
        ...KEYS.device,
        policies: [
          {
            Version: '2012-10-17',
            Statement: [
              { Sid: 'Pending', Effect: 'Allow', Action: 'iotjobsdata:GetPendingJobExecutions', Resource: `${A}:thing/iam-dev-*` },
              { Sid: 'FwUpdates', Effect: 'Allow', Action: 'iotjobsdata:UpdateJobExecution', Resource: `${A}:thing/iam-dev-*`, Condition: { StringLike: { 'iot:JobId': 'iam-fw-*' } } },
            ],
          },
        ],
      },
    ],
  };
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function writeUsers(content: unknown, dir?: string): string {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'iam-users-'));
  if (!dir) dirs.push(d);
  const file = join(d, 'users.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

// A copy: the SDK marks the credentials object it is given ($source).
const opts = (url: string, c: { accessKeyId: string; secretAccessKey: string }) => ({ endpoint: url, region: REGION, credentials: { ...c }, maxAttempts: 1 });

async function denied(p: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.message, message);
    assert.equal(e.$metadata?.httpStatusCode, 403);
    return true;
  });
}

/** One signed request with fetch, to see the bytes AWS clients parse. */
async function raw(url: string, method: string, path: string, service: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: REGION, credentials, sha256: Sha256 });
  const [pathname, qs] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(qs ?? ''));
  const req = await signer.sign(new HttpRequest({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: pathname, query, headers: { host: u.host } }));
  const res = await fetch(`${url}${path}`, { method, headers: req.headers });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), contentType: res.headers.get('content-type'), body: await res.text() };
}

for (const backend of BACKENDS) {
  describe(`IAM policies on the HTTP API (${backend})`, () => {
    let s: TestServer;
    let file: string;
    const p = `iam-${backend}-${process.pid}`;
    const clientsOf = (k: keyof typeof KEYS) => ({ iot: new IoTClient(opts(s.url, KEYS[k])), data: new IoTJobsDataPlaneClient(opts(s.url, KEYS[k])) });
    let admin: ReturnType<typeof clientsOf>, ci: ReturnType<typeof clientsOf>, support: ReturnType<typeof clientsOf>, device: ReturnType<typeof clientsOf>;
    const canary = `iam-canary-${p}`, prod = `iam-prod-${p}`, dev = `iam-dev-${p}`, other = `iam-other-${p}`;

    before(async () => {
      file = writeUsers(usersFile());
      s = await startServer(backend, { iamPolicies: file });
      s.app.iam!.watch(50);
      [admin, ci, support, device] = (['admin', 'ci', 'support', 'device'] as const).map(clientsOf);
      for (const g of [canary, prod]) await admin.iot.send(new CreateThingGroupCommand({ thingGroupName: g }));
      for (const t of [dev, other]) await admin.iot.send(new CreateThingCommand({ thingName: t }));
      await admin.iot.send(new AddThingToThingGroupCommand({ thingGroupName: canary, thingName: dev }));
    });
    after(async () => {
      for (const c of [admin, ci, support, device]) (c.iot.destroy(), c.data.destroy());
      await s.close();
    });

    test('only the file\'s keys are accepted: test/test is an unrecognized client', async () => {
      await assert.rejects(s.iot.send(new ListJobsCommand({})), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'UnrecognizedClientException');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        return true;
      });
    });

    test('JS SDK, control plane: CreateJob on every target, tags at creation, explicit and implicit denies, ResourceTag', async () => {
      const ok = await ci.iot.send(new CreateJobCommand({ jobId: `${p}-a`, targets: [`${A}:thinggroup/${canary}`], document: '{}' }));
      assert.equal(ok.jobId, `${p}-a`);
      await denied(ci.iot.send(new CreateJobCommand({ jobId: `${p}-b`, targets: [`${A}:thinggroup/${canary}`, `${A}:thinggroup/${prod}`], document: '{}' })), implicit('ci', 'iot:CreateJob', `${A}:thinggroup/${prod}`));
      // A denied request changes nothing.
      await assert.rejects(admin.iot.send(new DescribeJobCommand({ jobId: `${p}-b` })), { name: 'ResourceNotFoundException' });
      await ci.iot.send(new CreateJobCommand({ jobId: `${p}-fw`, targets: [`${A}:thinggroup/${canary}`], document: '{}', tags: [{ Key: 'team', Value: 'fw' }] }));
      await denied(
        ci.iot.send(new CreateJobCommand({ jobId: `${p}-ops`, targets: [`${A}:thinggroup/${canary}`], document: '{}', tags: [{ Key: 'team', Value: 'ops' }] })),
        implicit('ci', 'iot:TagResource', `${A}:job/${p}-ops`),
      );
      await denied(ci.iot.send(new DeleteJobCommand({ jobId: `${p}-a`, force: true })), explicit('ci', 'iot:DeleteJob', `${A}:job/${p}-a`));
      await denied(ci.iot.send(new ListJobsCommand({})), implicit('ci', 'iot:ListJobs', '*'));
      assert.equal((await ci.iot.send(new DescribeJobCommand({ jobId: `${p}-a` }))).job?.jobId, `${p}-a`);
      // aws:ResourceTag from the stored tags: support reads fw's jobs only.
      assert.equal((await support.iot.send(new DescribeJobCommand({ jobId: `${p}-fw` }))).job?.jobId, `${p}-fw`);
      await denied(support.iot.send(new DescribeJobCommand({ jobId: `${p}-a` })), implicit('support', 'iot:DescribeJob', `${A}:job/${p}-a`));
      await admin.iot.send(new TagResourceCommand({ resourceArn: `${A}:job/${p}-a`, tags: [{ Key: 'team', Value: 'fw' }] }));
      assert.equal((await support.iot.send(new DescribeJobCommand({ jobId: `${p}-a` }))).job?.jobId, `${p}-a`);
    });

    test('JS SDK, data plane: iotjobsdata actions on the thing, iot:JobId', async () => {
      await admin.iot.send(new CreateJobCommand({ jobId: `iam-fw-${p}`, targets: [`${A}:thing/${dev}`], document: '{}' }));
      await admin.iot.send(new CreateJobCommand({ jobId: `iam-x-${p}`, targets: [`${A}:thing/${dev}`], document: '{}' }));
      const pending = await device.data.send(new GetPendingJobExecutionsCommand({ thingName: dev }));
      assert.ok(pending.queuedJobs?.some((j) => j.jobId === `iam-fw-${p}`));
      await denied(device.data.send(new GetPendingJobExecutionsCommand({ thingName: other })), implicit('device', 'iotjobsdata:GetPendingJobExecutions', `${A}:thing/${other}`));
      const upd = await device.data.send(new UpdateJobExecutionCommand({ jobId: `iam-fw-${p}`, thingName: dev, status: 'IN_PROGRESS' }));
      assert.ok(upd.executionState === undefined || upd.executionState.status === 'IN_PROGRESS');
      await denied(device.data.send(new UpdateJobExecutionCommand({ jobId: `iam-x-${p}`, thingName: dev, status: 'IN_PROGRESS' })), implicit('device', 'iotjobsdata:UpdateJobExecution', `${A}:thing/${dev}`));
      // The device has no control-plane rights at all.
      await denied(device.iot.send(new DescribeJobCommand({ jobId: `iam-fw-${p}` })), implicit('device', 'iot:DescribeJob', `${A}:job/iam-fw-${p}`));
    });

    test('the denial on the wire: 403, x-amzn-ErrorType AccessDeniedException, {"message": ...}; the clock route too', async () => {
      const r = await raw(s.url, 'DELETE', `/jobs/${p}-a`, 'iot', KEYS.ci);
      assert.equal(r.status, 403);
      assert.equal(r.type, 'AccessDeniedException');
      assert.match(r.contentType ?? '', /^application\/json/);
      assert.equal(r.body, JSON.stringify({ message: explicit('ci', 'iot:DeleteJob', `${A}:job/${p}-a`) }));
      const d = await raw(s.url, 'GET', `/things/${other}/jobs`, 'iot-jobs-data', KEYS.device);
      assert.equal(d.status, 403);
      assert.equal(d.type, 'AccessDeniedException');
      assert.equal(d.body, JSON.stringify({ message: implicit('device', 'iotjobsdata:GetPendingJobExecutions', `${A}:thing/${other}`) }));
      const clock = await raw(s.url, 'GET', '/_iot-jobs/clock', 'iot', KEYS.ci);
      assert.equal(clock.status, 403);
      assert.equal(clock.body, JSON.stringify({ message: implicit('ci', 'iotjobs:GetClock', '*') }));
      assert.equal((await raw(s.url, 'GET', '/_iot-jobs/clock', 'iot', KEYS.admin)).status, 200);
    });

    test("the clock route's ?jobId= (a job's next paced release) also needs iot:DescribeJob on that job", async () => {
      const clockOnly = { Sid: 'Clock', Effect: 'Allow', Action: 'iotjobs:GetClock', Resource: '*' };
      const hidden = { Sid: 'Hidden', Effect: 'Deny', Action: 'iot:DescribeJob', Resource: `${A}:job/${p}-a` };
      writeUsers(usersFile([clockOnly, hidden]), join(file, '..'));
      await eventually(async () => (await raw(s.url, 'GET', '/_iot-jobs/clock', 'iot', KEYS.ci)).status === 200, 10_000, 'the reload');
      const r = await raw(s.url, 'GET', `/_iot-jobs/clock?jobId=${p}-a`, 'iot', KEYS.ci);
      assert.equal(r.status, 403);
      assert.equal(r.body, JSON.stringify({ message: explicit('ci', 'iot:DescribeJob', `${A}:job/${p}-a`) }));
      const ok = await raw(s.url, 'GET', `/_iot-jobs/clock?jobId=${p}-b`, 'iot', KEYS.ci);
      assert.equal(ok.status, 200);
      assert.deepEqual((JSON.parse(ok.body) as { job: unknown }).job, { jobId: `${p}-b`, nextRelease: null });
      writeUsers(usersFile(), join(file, '..'));
      await eventually(async () => (await raw(s.url, 'GET', '/_iot-jobs/clock', 'iot', KEYS.ci)).status === 403, 10_000, 'the policies back');
    });

    test('boto3: allowed and denied, both planes', async () => {
      const script = String.raw`
import json, os, boto3, botocore
def client(svc, key, secret):
    return boto3.client(svc, endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1", aws_access_key_id=key, aws_secret_access_key=secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}))
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None
p = os.environ["P"]
ci = client("iot", "AKIDIAMCI", "iam-ci-secret")
dev = client("iot-jobs-data", "AKIDIAMDEVICE", "iam-device-secret")
out = {}
out["allowed"] = ci.describe_job(jobId=p + "-a")["job"]["jobId"]
out["denied"] = err(lambda: ci.delete_job(jobId=p + "-a"))
out["createDenied"] = err(lambda: ci.create_job(jobId=p + "-py", targets=[os.environ["PROD"]], document="{}"))
out["dataAllowed"] = [j["jobId"] for j in dev.get_pending_job_executions(thingName=os.environ["DEV"])["queuedJobs"]]
out["dataDenied"] = err(lambda: dev.get_pending_job_executions(thingName=os.environ["OTHER"]))
print(json.dumps(out))
`;
      const { stdout } = await run('/usr/bin/python3', ['-c', script], { env: { ...process.env, ENDPOINT: s.url, P: p, PROD: `${A}:thinggroup/${prod}`, DEV: dev, OTHER: other } });
      const out = JSON.parse(stdout);
      assert.equal(out.allowed, `${p}-a`);
      assert.deepEqual(out.denied, ['AccessDeniedException', explicit('ci', 'iot:DeleteJob', `${A}:job/${p}-a`), 403]);
      assert.deepEqual(out.createDenied, ['AccessDeniedException', implicit('ci', 'iot:CreateJob', `${A}:thinggroup/${prod}`), 403]);
      assert.ok(out.dataAllowed.includes(`iam-x-${p}`));
      assert.deepEqual(out.dataDenied, ['AccessDeniedException', implicit('device', 'iotjobsdata:GetPendingJobExecutions', `${A}:thing/${other}`), 403]);
    });

    test('the AWS CLI: allowed and denied, both planes', async () => {
      const aws = (k: keyof typeof KEYS, ...args: string[]) =>
        run('/usr/bin/aws', ['--endpoint-url', s.url, '--output', 'json', ...args], {
          env: { ...process.env, AWS_ACCESS_KEY_ID: KEYS[k].accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS[k].secretAccessKey, AWS_DEFAULT_REGION: REGION, AWS_PAGER: '' },
        });
      const shown = (e: Error & { stderr: string; code: number }, message: string) => {
        assert.notEqual(e.code, 0);
        assert.ok(e.stderr.includes(`An error occurred (AccessDeniedException) when calling the`), e.stderr);
        assert.ok(e.stderr.includes(message), e.stderr);
        return true;
      };
      assert.equal(JSON.parse((await aws('ci', 'iot', 'describe-job', '--job-id', `${p}-a`)).stdout).job.jobId, `${p}-a`);
      await assert.rejects(aws('ci', 'iot', 'delete-job', '--job-id', `${p}-a`), (e: Error & { stderr: string; code: number }) => shown(e, explicit('ci', 'iot:DeleteJob', `${A}:job/${p}-a`)));
      const pending = JSON.parse((await aws('device', 'iot-jobs-data', 'get-pending-job-executions', '--thing-name', dev)).stdout);
      assert.ok(pending.queuedJobs.some((j: { jobId: string }) => j.jobId === `iam-x-${p}`));
      await assert.rejects(aws('device', 'iot-jobs-data', 'get-pending-job-executions', '--thing-name', other), (e: Error & { stderr: string; code: number }) =>
        shown(e, implicit('device', 'iotjobsdata:GetPendingJobExecutions', `${A}:thing/${other}`)),
      );
    });

    test("iot-jobs's own S3: users need s3:PutObject; the server's presigning key may read and not write", async () => {
      const s3 = (k: { accessKeyId: string; secretAccessKey: string }) => new S3Client({ ...opts(s.url, k), endpoint: `${s.url}/_iot-jobs/s3`, forcePathStyle: true });
      const key = `${p}/fw.bin`;
      const asAdmin = s3(KEYS.admin);
      await asAdmin.send(new PutObjectCommand({ Bucket: 'iam', Key: key, Body: 'firmware' }));
      for (const k of [KEYS.ci, { accessKeyId: 'test', secretAccessKey: 'test' }]) {
        const c = s3(k);
        await assert.rejects(c.send(new PutObjectCommand({ Bucket: 'iam', Key: key, Body: 'evil' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
          assert.equal(e.name, 'AccessDenied');
          assert.equal(e.$metadata?.httpStatusCode, 403);
          return true;
        });
        c.destroy();
      }
      asAdmin.destroy();
      const placeholder = `\${aws:iot:s3-presigned-url:https://s3.${REGION}.amazonaws.com/iam/${key}}`;
      await admin.iot.send(new CreateJobCommand({ jobId: `${p}-s3`, targets: [`${A}:thing/${dev}`], document: JSON.stringify({ url: placeholder }), presignedUrlConfig: { roleArn: `arn:aws:iam::${ACCOUNT}:role/x` } }));
      const doc = (await admin.data.send(new DescribeJobExecutionCommand({ jobId: `${p}-s3`, thingName: dev }))).execution!.jobDocument!;
      const res = await fetch((JSON.parse(doc) as { url: string }).url);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'firmware');
    });

    test('a change of the file reloads it; a bad one is refused and the policies in force stay', async () => {
      const listJobs = { Sid: 'List', Effect: 'Allow', Action: 'iot:ListJobs', Resource: '*' };
      await denied(ci.iot.send(new ListJobsCommand({})), implicit('ci', 'iot:ListJobs', '*'));
      writeUsers(usersFile([listJobs]), join(file, '..'));
      await eventually(async () => (await ci.iot.send(new ListJobsCommand({}))).jobs !== undefined, 10_000, 'the reload');
      // Broken JSON, then a bad statement: both refused, ListJobs stays allowed.
      writeUsers('{"users": [', join(file, '..'));
      await new Promise((r) => setTimeout(r, 400));
      assert.ok((await ci.iot.send(new ListJobsCommand({}))).jobs);
      assert.equal(s.app.iam!.reload('test'), false);
      writeUsers(usersFile([{ ...listJobs, Effect: 'Permit' }]), join(file, '..'));
      await new Promise((r) => setTimeout(r, 400));
      assert.ok((await ci.iot.send(new ListJobsCommand({}))).jobs);
      // Back to the original: ListJobs denied again.
      writeUsers(usersFile(), join(file, '..'));
      await eventually(async () => {
        try {
          await ci.iot.send(new ListJobsCommand({}));
          return false;
        } catch (e) {
          return (e as Error).name === 'AccessDeniedException';
        }
      }, 10_000, 'the second reload');
    });
  });
}
