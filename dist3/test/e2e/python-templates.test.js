import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, startServer } from '../support/harness.js';
const run = promisify(execFile);
/**
 * Job templates, managed templates, thing types and UpdateThingGroupsForThing through Debian's
 * boto3 (botocore 1.29, which has all of them) and /usr/bin/aws, and presigned-URL placeholders
 * with boto3's and the CLI's S3 clients against iot-jobs's own objects. botocore 1.29 has no
 * beforeSubstitution and no maintenanceWindows on templates; the JS SDK tests cover those.
 */
const PYTHON = '/usr/bin/python3';
const AWS = '/usr/bin/aws';
const FLOW = String.raw `
import json, os, urllib.request, boto3, botocore
kw = dict(endpoint_url=os.environ["ENDPOINT"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test",
          config=botocore.config.Config(retries={"max_attempts": 1}))
iot = boto3.client("iot", **kw)
jobs = boto3.client("iot-jobs-data", **kw)
out = {}
def err(fn):
    try:
        fn()
    except botocore.exceptions.ClientError as e:
        return [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]]
    return None
iot.create_thing_type(thingTypeName="py-type", thingTypeProperties={"thingTypeDescription": "boto3 type"})
out["type"] = iot.describe_thing_type(thingTypeName="py-type")["thingTypeProperties"]["thingTypeDescription"]
out["types"] = [t["thingTypeName"] for t in iot.list_thing_types()["thingTypes"]]
iot.deprecate_thing_type(thingTypeName="py-type")
out["deprecated"] = iot.describe_thing_type(thingTypeName="py-type")["thingTypeMetadata"]["deprecated"]
out["deleteTooSoon"] = err(lambda: iot.delete_thing_type(thingTypeName="py-type"))
out["thingUnknownType"] = err(lambda: iot.create_thing(thingName="py-x", thingTypeName="py-none"))
iot.create_thing(thingName="py-t")
for g in ["py-g1", "py-g2", "py-g3"]:
    iot.create_thing_group(thingGroupName=g)
iot.update_thing_groups_for_thing(thingName="py-t", thingGroupsToAdd=["py-g1", "py-g2"])
iot.update_thing_groups_for_thing(thingName="py-t", thingGroupsToAdd=["py-g3"], thingGroupsToRemove=["py-g1"])
out["groups"] = sorted(g["groupName"] for g in iot.list_thing_groups_for_thing(thingName="py-t")["thingGroups"])
t = iot.create_job_template(jobTemplateId="py-tpl", description="boto3 template", document=json.dumps({"op": "tpl"}),
                            timeoutConfig={"inProgressTimeoutInMinutes": 15}, tags=[{"Key": "k", "Value": "v"}])
out["templateArn"] = t["jobTemplateArn"]
out["templateDup"] = err(lambda: iot.create_job_template(jobTemplateId="py-tpl", description="again", document="{}"))
d = iot.describe_job_template(jobTemplateId="py-tpl")
out["template"] = [d["description"], json.loads(d["document"]), d["timeoutConfig"], hasattr(d["createdAt"], "year")]
out["templates"] = [x["jobTemplateId"] for x in iot.list_job_templates()["jobTemplates"]]
out["templateTags"] = iot.list_tags_for_resource(resourceArn=t["jobTemplateArn"])["tags"]
iot.create_job(jobId="py-from-tpl", targets=["arn:aws:iot:us-east-1:000000000000:thing/py-t"], jobTemplateArn=t["jobTemplateArn"])
j = iot.describe_job(jobId="py-from-tpl")["job"]
out["job"] = [j["jobTemplateArn"], j["timeoutConfig"], json.loads(iot.get_job_document(jobId="py-from-tpl")["document"])]
out["managed"] = sorted(m["templateName"] for m in iot.list_managed_job_templates()["managedJobTemplates"])
m = iot.describe_managed_job_template(templateName="AWS-Run-Command")
out["managedRun"] = [m["templateArn"], m["templateVersion"], [p["key"] for p in m["documentParameters"]]]
iot.create_job(jobId="py-run", targets=["arn:aws:iot:us-east-1:000000000000:thing/py-t"],
               jobTemplateArn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run-Command:1.0", documentParameters={"command": "echo ok"})
ex = jobs.describe_job_execution(jobId="py-run", thingName="py-t")["execution"]
out["runDoc"] = json.loads(ex["jobDocument"])
out["runMissing"] = err(lambda: iot.create_job(jobId="py-run2", targets=["arn:aws:iot:us-east-1:000000000000:thing/py-t"],
                                               jobTemplateArn="arn:aws:iot:us-east-1::jobtemplate/AWS-Run-Command:1.0"))
iot.delete_job_template(jobTemplateId="py-tpl")
out["templateGone"] = err(lambda: iot.describe_job_template(jobTemplateId="py-tpl"))
s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"] + "/_iot-jobs/s3", region_name="us-east-1", aws_access_key_id="test",
                  aws_secret_access_key="test", config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
s3.put_object(Bucket="fw", Key="py/app.bin", Body=b"boto3 firmware")
placeholder = "$" + "{aws:iot:s3-presigned-url:https://s3.us-east-1.amazonaws.com/fw/py/app.bin}"
iot.create_job(jobId="py-presigned", targets=["arn:aws:iot:us-east-1:000000000000:thing/py-t"], document=json.dumps({"url": placeholder}),
               presignedUrlConfig={"roleArn": "arn:aws:iam::000000000000:role/iot-s3", "expiresInSec": 300})
out["placeholderKept"] = json.loads(iot.get_job_document(jobId="py-presigned")["document"])["url"] == placeholder
url = json.loads(jobs.describe_job_execution(jobId="py-presigned", thingName="py-t")["execution"]["jobDocument"])["url"]
out["fetched"] = urllib.request.urlopen(url).read().decode()
out["s3Get"] = s3.get_object(Bucket="fw", Key="py/app.bin")["Body"].read().decode()
out["jobsEndpoint"] = iot.describe_endpoint(endpointType="iot:Jobs")["endpointAddress"]
out["badEndpoint"] = err(lambda: iot.describe_endpoint(endpointType="iot:Nope"))
print(json.dumps(out))
`;
const missing = await run(PYTHON, ['-c', 'import boto3']).then(() => run(AWS, ['--version']).then(() => false), (e) => `Debian's python3-boto3 / awscli are not installed (.ci/run installs them): ${e.message.split('\n')[0]}`);
for (const backend of BACKENDS) {
    describe(`templates and registry with boto3 and the AWS CLI [${backend}]`, () => {
        let s;
        before(async () => {
            if (missing)
                throw new Error(missing);
            s = await startServer(backend);
        });
        after(async () => {
            await s?.close();
        });
        test('boto3: thing types, UpdateThingGroupsForThing, job templates, managed templates, DescribeEndpoint', async () => {
            const { stdout } = await run(PYTHON, ['-c', FLOW], { env: { ...process.env, ENDPOINT: s.url } });
            const out = JSON.parse(stdout.trim().split('\n').pop());
            assert.equal(out.type, 'boto3 type');
            assert.deepEqual(out.types, ['py-type']);
            assert.equal(out.deprecated, true);
            assert.deepEqual(out.deleteTooSoon, ['InvalidRequestException', 400]);
            assert.deepEqual(out.thingUnknownType, ['ResourceNotFoundException', 404]);
            assert.deepEqual(out.groups, ['py-g2', 'py-g3']);
            assert.equal(out.templateArn, 'arn:aws:iot:us-east-1:000000000000:jobtemplate/py-tpl');
            assert.deepEqual(out.templateDup, ['ConflictException', 409]);
            assert.deepEqual(out.template, ['boto3 template', { op: 'tpl' }, { inProgressTimeoutInMinutes: 15 }, true]);
            assert.deepEqual(out.templates, ['py-tpl']);
            assert.deepEqual(out.templateTags, [{ Key: 'k', Value: 'v' }]);
            assert.deepEqual(out.job, ['arn:aws:iot:us-east-1:000000000000:jobtemplate/py-tpl', { inProgressTimeoutInMinutes: 15 }, { op: 'tpl' }]);
            assert.equal(out.managed.length, 8);
            assert.deepEqual(out.managedRun, ['arn:aws:iot:us-east-1::jobtemplate/AWS-Run-Command:1.0', '1.0', ['command', 'runAsUser']]);
            assert.deepEqual(out.runDoc, { version: '1.0', steps: [{ action: { name: 'Run-Command', type: 'runCommand', input: { command: 'echo ok' }, runAsUser: '' } }] });
            assert.deepEqual(out.runMissing, ['InvalidRequestException', 400]);
            assert.deepEqual(out.templateGone, ['ResourceNotFoundException', 404]);
            assert.equal(out.placeholderKept, true);
            assert.equal(out.fetched, 'boto3 firmware');
            assert.equal(out.s3Get, 'boto3 firmware');
            assert.equal(out.jobsEndpoint, new URL(s.url).host);
            assert.deepEqual(out.badEndpoint, ['InvalidRequestException', 400]);
        });
        test('the AWS CLI lists and describes managed templates and creates a job from one', async () => {
            const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
            const aws = async (...args) => JSON.parse((await run(AWS, ['--endpoint-url', s.url, '--output', 'json', ...args], { env })).stdout || '{}');
            const list = await aws('iot', 'list-managed-job-templates', '--template-name', 'AWS-Download-File');
            assert.deepEqual(list.managedJobTemplates.map((t) => t.templateArn), ['arn:aws:iot:us-east-1::jobtemplate/AWS-Download-File:1.0']);
            const d = await aws('iot', 'describe-managed-job-template', '--template-name', 'AWS-Download-File');
            assert.deepEqual(d.documentParameters.map((p) => p.key), ['downloadUrl', 'filePath', 'runAsUser', 'pathToHandler']);
            await aws('iot', 'create-thing', '--thing-name', 'cli-dl');
            const created = await aws('iot', 'create-job', '--job-id', 'cli-dl-job', '--targets', 'arn:aws:iot:us-east-1:000000000000:thing/cli-dl', '--job-template-arn', 'arn:aws:iot:us-east-1::jobtemplate/AWS-Download-File:1.0', '--document-parameters', 'downloadUrl=https://example.com/a.bin,filePath=/tmp/a.bin');
            assert.equal(created.description, 'A managed job template for downloading a file.');
            const doc = JSON.parse((await aws('iot', 'get-job-document', '--job-id', 'cli-dl-job')).document);
            assert.deepEqual(doc.steps[0].action.input.args, ['https://example.com/a.bin', '/tmp/a.bin']);
            // The CLI's own S3 commands put and get iot-jobs's objects.
            const dir = mkdtempSync(join(tmpdir(), 'iot-jobs-cli-s3-'));
            try {
                writeFileSync(join(dir, 'up.bin'), 'cli upload');
                await run(AWS, ['--endpoint-url', `${s.url}/_iot-jobs/s3`, 's3', 'cp', join(dir, 'up.bin'), 's3://fw/cli/up.bin'], { env });
                await run(AWS, ['--endpoint-url', `${s.url}/_iot-jobs/s3`, 's3', 'cp', 's3://fw/cli/up.bin', join(dir, 'down.bin')], { env });
                assert.equal(readFileSync(join(dir, 'down.bin'), 'utf8'), 'cli upload');
            }
            finally {
                rmSync(dir, { recursive: true, force: true });
            }
            await aws('iot', 'create-thing-type', '--thing-type-name', 'cli-type');
            assert.equal((await aws('iot', 'describe-thing-type', '--thing-type-name', 'cli-type')).thingTypeName, 'cli-type');
        });
    });
}
//# sourceMappingURL=python-templates.test.js.map