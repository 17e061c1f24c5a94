import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateJobCommand, CreateJobTemplateCommand, CreateThingCommand, DeleteJobTemplateCommand, DescribeJobCommand, DescribeJobTemplateCommand, DescribeManagedJobTemplateCommand, GetJobDocumentCommand, ListJobTemplatesCommand, ListManagedJobTemplatesCommand, ListTagsForResourceCommand, TagResourceCommand, UntagResourceCommand, } from '@aws-sdk/client-iot';
import { DescribeJobExecutionCommand as DeviceDescribeCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, startServer, thingArn, REGION, ACCOUNT } from '../support/harness.js';
import { rejectsWith } from '../support/assert.js';
import { Device } from '../support/device.js';
/**
 * Custom job templates (CreateJobTemplate ... DeleteJobTemplate, CreateJob from a template) and the
 * AWS managed templates (List/DescribeManagedJobTemplate, documentParameters substitution), end to
 * end through @aws-sdk/client-iot, the HTTP device plane and an MQTT device.
 */
const CONFIGS = {
    timeoutConfig: { inProgressTimeoutInMinutes: 30 },
    jobExecutionsRetryConfig: { criteriaList: [{ failureType: 'FAILED', numberOfRetries: 2 }] },
    abortConfig: { criteriaList: [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 50, minNumberOfExecutedThings: 2 }] },
    jobExecutionsRolloutConfig: { maximumPerMinute: 100 },
    presignedUrlConfig: { roleArn: `arn:aws:iam::${ACCOUNT}:role/s3-read`, expiresInSec: 600 },
};
const WINDOWS = [{ startTime: 'cron(0 1 ? * SUN *)', durationInMinutes: 60 }];
const templateArn = (id) => `arn:aws:iot:${REGION}:${ACCOUNT}:jobtemplate/${id}`;
const managedArn = (name) => `arn:aws:iot:${REGION}::jobtemplate/${name}:1.0`;
/** What a job's configuration looks like, without what differs between any two jobs. */
function configOf(job) {
    const { jobArn: _a, jobId: _i, createdAt: _c, lastUpdatedAt: _l, jobProcessDetails: _p, targets: _t, jobTemplateArn: _tpl, status: _s, isConcurrent: _ic, ...rest } = job;
    return rest;
}
for (const backend of BACKENDS) {
    describe(`job templates [${backend}]`, () => {
        const run = randomBytes(3).toString('hex');
        const name = (n) => `${n}-${run}`;
        let s;
        const devices = [];
        before(async () => {
            s = await startServer(backend, { mqttPort: 0 });
        });
        after(async () => {
            for (const d of devices)
                await d.close().catch(() => { });
            await s.close();
        });
        const thing = async (n) => {
            await s.iot.send(new CreateThingCommand({ thingName: n }));
            return thingArn(n);
        };
        const describeJob = async (jobId) => (await s.iot.send(new DescribeJobCommand({ jobId }))).job;
        const doc = async (jobId, beforeSubstitution) => (await s.iot.send(new GetJobDocumentCommand({ jobId, beforeSubstitution }))).document;
        test('CreateJobTemplate from a document stores every configuration; Describe shows them; duplicates 409, unknown 404, bad input 400', async () => {
            const id = name('tpl-doc');
            const out = await s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: 'firmware 2', document: '{"op":"fw","v":2}', ...CONFIGS, maintenanceWindows: WINDOWS }));
            assert.deepEqual({ arn: out.jobTemplateArn, id: out.jobTemplateId }, { arn: templateArn(id), id });
            const d = await s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: id }));
            assert.equal(d.jobTemplateArn, templateArn(id));
            assert.equal(d.description, 'firmware 2');
            assert.equal(d.document, '{"op":"fw","v":2}');
            assert.ok(d.createdAt instanceof Date);
            assert.deepEqual({
                timeoutConfig: d.timeoutConfig,
                jobExecutionsRetryConfig: d.jobExecutionsRetryConfig,
                abortConfig: d.abortConfig,
                jobExecutionsRolloutConfig: d.jobExecutionsRolloutConfig,
                presignedUrlConfig: d.presignedUrlConfig,
            }, CONFIGS);
            assert.deepEqual(d.maintenanceWindows, WINDOWS);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: 'again', document: '{}' })), 'ConflictException', 409, new RegExp(id));
            await rejectsWith(s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: name('nope') })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: name('nope') })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('empty'), description: 'x' })), 'InvalidRequestException', 400, /document, documentSource or jobArn/);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: 'bad.id', description: 'x', document: '{}' })), 'InvalidRequestException', 400, /jobTemplateId/);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('badjson'), description: 'x', document: '{' })), 'InvalidRequestException', 400, /JSON/);
            // The configurations are checked as CreateJob checks them, not first when a job is made from the template.
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('badtimeout'), description: 'x', document: '{}', timeoutConfig: { inProgressTimeoutInMinutes: 0 } })), 'InvalidRequestException', 400, /inProgressTimeoutInMinutes/);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({
                jobTemplateId: name('badrate'),
                description: 'x',
                document: '{}',
                jobExecutionsRolloutConfig: { exponentialRate: { baseRatePerMinute: 10, incrementFactor: 1.55, rateIncreaseCriteria: { numberOfNotifiedThings: 5 } } },
            })), 'InvalidRequestException', 400, /incrementFactor/);
            await rejectsWith(s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('nojob'), description: 'x', jobArn: `arn:aws:iot:${REGION}:${ACCOUNT}:job/${name('nojob')}` })), 'ResourceNotFoundException', 404);
        });
        test('CreateJobTemplate from a job copies its document and configurations; the request overrides them', async () => {
            const jobId = name('src-job');
            await s.iot.send(new CreateJobCommand({ jobId, targets: [await thing(name('src-t'))], document: '{"from":"job"}', ...CONFIGS, schedulingConfig: { maintenanceWindows: WINDOWS } }));
            const id = name('tpl-job');
            await s.iot.send(new CreateJobTemplateCommand({
                jobTemplateId: id,
                description: 'from a job',
                jobArn: `arn:aws:iot:${REGION}:${ACCOUNT}:job/${jobId}`,
                timeoutConfig: { inProgressTimeoutInMinutes: 90 },
            }));
            const d = await s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: id }));
            assert.equal(d.document, '{"from":"job"}');
            assert.deepEqual(d.timeoutConfig, { inProgressTimeoutInMinutes: 90 });
            assert.deepEqual(d.jobExecutionsRetryConfig, CONFIGS.jobExecutionsRetryConfig);
            assert.deepEqual(d.abortConfig, CONFIGS.abortConfig);
            assert.deepEqual(d.jobExecutionsRolloutConfig, CONFIGS.jobExecutionsRolloutConfig);
            assert.deepEqual(d.presignedUrlConfig, CONFIGS.presignedUrlConfig);
            assert.deepEqual(d.maintenanceWindows, WINDOWS);
            // A document in the request replaces the job's.
            await s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: name('tpl-job2'), description: 'd', jobArn: `arn:aws:iot:${REGION}:${ACCOUNT}:job/${jobId}`, document: '{"own":1}' }));
            assert.equal((await s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: name('tpl-job2') }))).document, '{"own":1}');
        });
        test('CreateJob with jobTemplateArn and no document stores exactly what a job carrying it all would; the request wins; DescribeJob shows jobTemplateArn', async () => {
            const id = name('tpl-job-from');
            await s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: 'tpl', document: '{"op":"tpl"}', ...CONFIGS, maintenanceWindows: WINDOWS }));
            const target = await thing(name('from-t'));
            await s.iot.send(new CreateJobCommand({ jobId: name('from-tpl'), targets: [target], jobTemplateArn: templateArn(id) }));
            const direct = {
                jobId: name('direct'),
                targets: [target],
                document: '{"op":"tpl"}',
                description: 'tpl',
                ...CONFIGS,
                schedulingConfig: { maintenanceWindows: WINDOWS },
            };
            await s.iot.send(new CreateJobCommand(direct));
            const fromTpl = await describeJob(name('from-tpl'));
            assert.equal(fromTpl.jobTemplateArn, templateArn(id));
            assert.deepEqual(configOf(fromTpl), configOf(await describeJob(name('direct'))));
            assert.equal(await doc(name('from-tpl')), '{"op":"tpl"}');
            // The request's own values win over the template's.
            await s.iot.send(new CreateJobCommand({
                jobId: name('override'),
                targets: [target],
                jobTemplateArn: templateArn(id),
                document: '{"op":"own"}',
                description: 'own',
                timeoutConfig: { inProgressTimeoutInMinutes: 5 },
            }));
            const o = await describeJob(name('override'));
            assert.equal(await doc(name('override')), '{"op":"own"}');
            assert.equal(o.description, 'own');
            assert.deepEqual(o.timeoutConfig, { inProgressTimeoutInMinutes: 5 });
            assert.deepEqual(o.jobExecutionsRetryConfig, CONFIGS.jobExecutionsRetryConfig);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('unknown-tpl'), targets: [target], jobTemplateArn: templateArn(name('missing')) })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('dp-custom'), targets: [target], jobTemplateArn: templateArn(id), documentParameters: { a: 'b' } })), 'InvalidRequestException', 400, /documentParameters/);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('dp-none'), targets: [target], document: '{}', documentParameters: { a: 'b' } })), 'InvalidRequestException', 400, /documentParameters/);
            // Jobs made from a template do not depend on it.
            await s.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: id }));
            await rejectsWith(s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: id })), 'ResourceNotFoundException', 404);
            assert.equal(await doc(name('from-tpl')), '{"op":"tpl"}');
            assert.equal((await describeJob(name('from-tpl'))).jobTemplateArn, templateArn(id));
        });
        test('concurrent CreateJobTemplate calls for one id: exactly one succeeds, the others get 409', async () => {
            const id = name('race');
            const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: `racer ${i}`, document: `{"i":${i}}` }))));
            const ok = results.filter((r) => r.status === 'fulfilled');
            const failed = results.filter((r) => r.status === 'rejected');
            assert.equal(ok.length, 1);
            for (const f of failed)
                assert.equal(f.reason.name, 'ConflictException');
            const d = await s.iot.send(new DescribeJobTemplateCommand({ jobTemplateId: id }));
            assert.equal(d.document, `{"i":${d.description.slice('racer '.length)}}`, 'the winner is stored whole');
        });
        test('ListJobTemplates pages with keyset tokens; tags work on template ARNs', async () => {
            const ids = [0, 1, 2, 3, 4].map((i) => name(`page-${i}`));
            for (const id of ids)
                await s.iot.send(new CreateJobTemplateCommand({ jobTemplateId: id, description: `d ${id}`, document: '{}', tags: [{ Key: 'k', Value: id }] }));
            const seen = [];
            let token;
            let pages = 0;
            do {
                const p = await s.iot.send(new ListJobTemplatesCommand({ maxResults: 2, nextToken: token }));
                assert.ok(p.jobTemplates.length <= 2);
                for (const t of p.jobTemplates) {
                    assert.equal(t.jobTemplateArn, templateArn(t.jobTemplateId));
                    if (ids.includes(t.jobTemplateId))
                        assert.equal(t.description, `d ${t.jobTemplateId}`);
                    assert.ok(t.createdAt instanceof Date);
                    seen.push(t.jobTemplateId);
                }
                token = p.nextToken;
                pages++;
            } while (token);
            for (const id of ids)
                assert.equal(seen.filter((x) => x === id).length, 1, `${id} listed once`);
            assert.equal(new Set(seen).size, seen.length);
            assert.ok(pages >= 3);
            const arn = templateArn(ids[0]);
            assert.deepEqual((await s.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ Key: 'k', Value: ids[0] }]);
            await s.iot.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'team', Value: 'fw' }] }));
            await s.iot.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['k'] }));
            assert.deepEqual((await s.iot.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ Key: 'team', Value: 'fw' }]);
            await s.iot.send(new DeleteJobTemplateCommand({ jobTemplateId: ids[0] }));
            await rejectsWith(s.iot.send(new ListTagsForResourceCommand({ resourceArn: arn })), 'ResourceNotFoundException', 404);
        });
        test('ListManagedJobTemplates lists the eight AWS managed templates, filtered by templateName and paged', async () => {
            const all = (await s.iot.send(new ListManagedJobTemplatesCommand({}))).managedJobTemplates;
            assert.deepEqual(all.map((t) => t.templateName).sort(), [
                'AWS-Download-File',
                'AWS-Install-Application',
                'AWS-Reboot',
                'AWS-Remove-Application',
                'AWS-Restart-Application',
                'AWS-Run-Command',
                'AWS-Start-Application',
                'AWS-Stop-Application',
            ]);
            for (const t of all) {
                assert.equal(t.templateArn, managedArn(t.templateName));
                assert.equal(t.templateVersion, '1.0');
                assert.deepEqual(t.environments, ['LINUX']);
            }
            const reboot = await s.iot.send(new ListManagedJobTemplatesCommand({ templateName: 'AWS-Reboot' }));
            assert.deepEqual(reboot.managedJobTemplates, [
                { templateArn: managedArn('AWS-Reboot'), templateName: 'AWS-Reboot', description: 'A managed job template for rebooting the device.', environments: ['LINUX'], templateVersion: '1.0' },
            ]);
            assert.deepEqual((await s.iot.send(new ListManagedJobTemplatesCommand({ templateName: 'AWS-Nothing' }))).managedJobTemplates, []);
            const p1 = await s.iot.send(new ListManagedJobTemplatesCommand({ maxResults: 5 }));
            const p2 = await s.iot.send(new ListManagedJobTemplatesCommand({ maxResults: 5, nextToken: p1.nextToken }));
            assert.equal(p1.managedJobTemplates.length, 5);
            assert.equal(p2.managedJobTemplates.length, 3);
            assert.equal(p2.nextToken, undefined);
            assert.deepEqual([...p1.managedJobTemplates, ...p2.managedJobTemplates].map((t) => t.templateName), all.map((t) => t.templateName));
        });
        test('DescribeManagedJobTemplate gives AWS-Download-File as AWS documents it; the default version without templateVersion; unknown 404', async () => {
            const d = await s.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Download-File' }));
            assert.equal(d.templateArn, managedArn('AWS-Download-File'));
            assert.equal(d.templateVersion, '1.0');
            assert.equal(d.description, 'A managed job template for downloading a file.');
            assert.deepEqual(d.environments, ['LINUX']);
            assert.deepEqual(d.documentParameters, [
                { key: 'downloadUrl', description: 'URL of file to download.', regex: '(.*?)', example: 'http://www.example.com/index.html', optional: false },
                { key: 'filePath', description: 'Path on the device where downloaded file is written.', regex: '(.*?)', example: '/path/to/file', optional: false },
                {
                    key: 'runAsUser',
                    description: 'Execute handler as another user. If not specified, then handler is executed as the same user as device client.',
                    regex: '(.){0,256}',
                    example: 'user1',
                    optional: true,
                },
                {
                    key: 'pathToHandler',
                    description: 'Path to handler on the device. If not specified, then device client will use the current working directory.',
                    regex: '(.){0,4096}',
                    example: '/path/to/handler/script',
                    optional: true,
                },
            ]);
            assert.deepEqual(JSON.parse(d.document), {
                version: '1.0',
                steps: [
                    {
                        action: {
                            name: 'Download-File',
                            type: 'runHandler',
                            input: { handler: 'download-file.sh', args: ['${aws:iot:parameter:downloadUrl}', '${aws:iot:parameter:filePath}'], path: '${aws:iot:parameter:pathToHandler}' },
                            runAsUser: '${aws:iot:parameter:runAsUser}',
                        },
                    },
                ],
            });
            const v = await s.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Run-Command', templateVersion: '1.0' }));
            assert.deepEqual(v.documentParameters.map((p) => [p.key, p.optional]), [['command', false], ['runAsUser', true]]);
            await rejectsWith(s.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Reboot', templateVersion: '2.0' })), 'ResourceNotFoundException', 404);
            await rejectsWith(s.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Nothing' })), 'ResourceNotFoundException', 404);
        });
        test('CreateJob from AWS-Download-File substitutes documentParameters in every device-facing copy; beforeSubstitution shows the placeholders', async () => {
            const t = name('dl');
            await s.iot.send(new CreateThingCommand({ thingName: t }));
            const device = await Device.connect(s.app.mqttUrl, t);
            devices.push(device);
            const mark = device.mark();
            const jobId = name('download');
            const created = await s.iot.send(new CreateJobCommand({
                jobId,
                targets: [thingArn(t)],
                jobTemplateArn: managedArn('AWS-Download-File'),
                documentParameters: { downloadUrl: 'https://example.com/fw "2".bin', filePath: '/tmp/fw.bin' },
            }));
            assert.equal(created.description, 'A managed job template for downloading a file.');
            const expected = {
                version: '1.0',
                steps: [
                    {
                        action: {
                            name: 'Download-File',
                            type: 'runHandler',
                            input: { handler: 'download-file.sh', args: ['https://example.com/fw "2".bin', '/tmp/fw.bin'], path: '' },
                            runAsUser: '',
                        },
                    },
                ],
            };
            assert.deepEqual(JSON.parse(await doc(jobId)), expected);
            assert.match(await doc(jobId, true), /\$\{aws:iot:parameter:downloadUrl\}/);
            assert.equal(await doc(jobId, true), (await s.iot.send(new DescribeManagedJobTemplateCommand({ templateName: 'AWS-Download-File' }))).document);
            const job = await describeJob(jobId);
            assert.equal(job.jobTemplateArn, managedArn('AWS-Download-File'));
            assert.deepEqual(job.documentParameters, { downloadUrl: 'https://example.com/fw "2".bin', filePath: '/tmp/fw.bin' });
            const http = await s.data.send(new DeviceDescribeCommand({ jobId, thingName: t }));
            assert.deepEqual(JSON.parse(http.execution.jobDocument), expected);
            const next = await device.waitFor((m) => m.topic === `${device.prefix}/notify-next` && m.i >= mark && m.body.execution?.jobId === jobId);
            assert.deepEqual(next.body.execution.jobDocument, expected);
            const got = await device.request(`${jobId}/get`, {});
            assert.ok(got.accepted);
            assert.deepEqual(got.body.execution.jobDocument, expected);
        });
        test('managed-template parameters: a missing required one, a value failing its regex and an unknown key get 400 naming it; optional ones given are used', async () => {
            const target = await thing(name('mp'));
            const create = (jobId, documentParameters, tpl = 'AWS-Download-File') => s.iot.send(new CreateJobCommand({ jobId: name(jobId), targets: [target], jobTemplateArn: managedArn(tpl), documentParameters }));
            await rejectsWith(create('m1', { downloadUrl: 'https://x/y' }), 'InvalidRequestException', 400, /filePath/);
            await rejectsWith(create('m2', { downloadUrl: 'u', filePath: 'f', runAsUser: 'u'.repeat(257) }), 'InvalidRequestException', 400, /runAsUser/);
            await rejectsWith(create('m3', { downloadUrl: 'u', filePath: 'f', colour: 'red' }), 'InvalidRequestException', 400, /colour/);
            await rejectsWith(create('m4', undefined, 'AWS-Run-Command'), 'InvalidRequestException', 400, /command/);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('m5'), targets: [target], jobTemplateArn: managedArn('AWS-Run-Command'), document: '{}', documentParameters: { command: 'ls' } })), 'InvalidRequestException', 400, /documentParameters/);
            await rejectsWith(s.iot.send(new CreateJobCommand({ jobId: name('m6'), targets: [target], jobTemplateArn: `arn:aws:iot:${REGION}::jobtemplate/AWS-Reboot:9.0` })), 'ResourceNotFoundException', 404);
            await create('m7', { command: 'echo ok', runAsUser: 'root' }, 'AWS-Run-Command');
            assert.deepEqual(JSON.parse(await doc(name('m7'))), {
                version: '1.0',
                steps: [{ action: { name: 'Run-Command', type: 'runCommand', input: { command: 'echo ok' }, runAsUser: 'root' } }],
            });
            // AWS-Reboot takes no required parameter: no documentParameters at all is fine.
            await create('m8', undefined, 'AWS-Reboot');
            assert.equal(JSON.parse(await doc(name('m8'))).steps[0].action.input.handler, 'reboot.sh');
        });
    });
}
//# sourceMappingURL=templates.test.js.map