import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IoTClient, ListJobsCommand, DescribeJobCommand } from '@aws-sdk/client-iot';
import { CLI, spawnServer } from '../support/process.js';
import { eventually } from '../support/harness.js';
import { readmeBlock } from '../support/readme.js';
/**
 * The real process with --iam-policies: a bad users file stops the start (exit 2, one line naming
 * the user and the statement), SIGHUP reloads, each request's decision is in its info log line, and
 * `iot-jobs iam check` decides like the server.
 */
const A = 'arn:aws:iot:us-east-1:000000000000';
const dirs = [];
const servers = [];
after(() => {
    for (const s of servers)
        if (s.child.exitCode === null)
            s.child.kill('SIGKILL');
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
function tmp() {
    const d = mkdtempSync(join(tmpdir(), 'iam-cli-'));
    dirs.push(d);
    return d;
}
const ci = (extra = []) => ({
    users: [
        {
            name: 'ci',
            accessKeyId: 'AKIDCLICI',
            secretAccessKey: 'cli-ci-secret',
            policies: [
                {
                    Version: '2012-10-17',
                    Statement: [
                        { Sid: 'CanaryOnly', Effect: 'Allow', Action: 'iot:CreateJob', Resource: [`${A}:job/*`, `${A}:thinggroup/canary-*`], Condition: { StringEqualsIfExists: { 'aws:RequestTag/team': 'fw' } } },
                        { Sid: 'NoDelete', Effect: 'Deny', Action: 'iot:DeleteJob', Resource: '*' },
                        ...extra,
                    ],
                },
            ],
        },
    ],
});
function write(dir, content) {
    const f = join(dir, 'users.json');
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
}
function cli(args, env = {}) {
    return new Promise((resolve) => execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? (err.code ?? -1) : 0, stdout, stderr })));
}
describe('iot-jobs serve --iam-policies', () => {
    test('a malformed file or an invalid policy stops the start: exit 2, one line naming the user and the statement', async () => {
        const dir = tmp();
        const bad = ci([{ Sid: 'Oops', Effect: 'Permit', Action: 'iot:ListJobs', Resource: '*' }]);
        const cases = [
            [bad, `iot-jobs: error: --iam-policies ${join(dir, 'users.json')}: user ci, policy 1, statement 3 (Sid "Oops"): Effect must be "Allow" or "Deny"\n`],
            ['{"users": [', `iot-jobs: error: --iam-policies ${join(dir, 'users.json')}: not valid JSON`],
            [{ users: [{ name: 'x', accessKeyId: 'K', secretAccessKey: 's', policies: [{ Statement: { Effect: 'Allow', Action: 'iot:*', Resource: 'job/*' } }] }] }, 'user x, policy 1, statement 1: Resource "job/*" must be'],
        ];
        for (const [content, expected] of cases) {
            write(dir, content);
            const r = await cli(['serve', '--port', '0', '--no-mqtt', '--data-dir', tmp(), '--iam-policies', join(dir, 'users.json')]);
            assert.equal(r.code, 2, r.stderr);
            assert.equal(r.stderr.split('\n').length, 2, r.stderr);
            assert.ok(r.stderr.startsWith('iot-jobs: error: ') && r.stderr.includes(expected), r.stderr);
        }
    });
    test('SIGHUP reloads; each decision is logged at info with the deciding and the needed statement', async () => {
        const dir = tmp();
        const file = write(dir, ci());
        const s = await spawnServer(['--no-mqtt', '--data-dir', tmp(), '--log-format', 'json'], { IOT_JOBS_IAM_POLICIES: file });
        servers.push(s);
        const iot = new IoTClient({ endpoint: s.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDCLICI', secretAccessKey: 'cli-ci-secret' }, maxAttempts: 1 });
        try {
            await assert.rejects(iot.send(new ListJobsCommand({})), { name: 'AccessDeniedException' });
            await assert.rejects(iot.send(new DescribeJobCommand({ jobId: 'nope' })), { name: 'AccessDeniedException' });
            const lines = () => s.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
            // The request line is written once the response is sent.
            const denied = await eventually(async () => lines().find((l) => l.msg === 'request' && l.operation === 'ListJobs'), 10_000, 'the request line');
            assert.equal(denied.level, 30);
            assert.equal(denied.status, 403);
            assert.deepEqual(denied.iam, { user: 'ci', action: 'iot:ListJobs', resources: ['*'], decision: 'implicitDeny', needed: 'an Allow statement with Action iot:ListJobs and Resource *' });
            // The change alone would reload it too (polled): the SIGHUP reload says so in its line.
            write(dir, ci([{ Sid: 'List', Effect: 'Allow', Action: ['iot:ListJobs', 'iot:DescribeJob'], Resource: '*' }]));
            s.child.kill('SIGHUP');
            await eventually(async () => lines().some((l) => l.msg === 'IAM policies reloaded' && l.trigger === 'SIGHUP'), 10_000, 'the reload line');
            await eventually(async () => (await iot.send(new ListJobsCommand({}))).jobs !== undefined, 10_000, 'ListJobs allowed');
            const allowed = await eventually(async () => lines().filter((l) => l.msg === 'request' && l.operation === 'ListJobs' && l.status === 200).pop(), 10_000, 'the allowed line');
            assert.deepEqual(allowed.iam, { user: 'ci', action: 'iot:ListJobs', resources: ['*'], decision: 'allow', statement: 'user ci, policy 1: statement 3 (Sid "List") [Allow]' });
            // A bad file: the reload is refused, logged, and the policies in force stay.
            write(dir, '{"users": 1}');
            s.child.kill('SIGHUP');
            await eventually(async () => lines().find((l) => l.msg === 'IAM policies not reloaded: the previous ones stay in force' && l.trigger === 'SIGHUP'), 10_000, 'the refusal');
            assert.ok((await iot.send(new ListJobsCommand({}))).jobs);
            assert.equal(s.child.exitCode, null);
        }
        finally {
            iot.destroy();
            s.child.kill('SIGTERM');
            await s.exited;
        }
    });
});
describe('iot-jobs iam check', () => {
    const dir = tmp();
    const file = write(dir, ci());
    const check = (...args) => cli(['iam', 'check', '--iam-policies', file, '--user', 'ci', ...args]);
    test('allowed: exit 0 and the statement', async () => {
        const r = await check('--action', 'iot:CreateJob', '--resource', `${A}:job/j1`, '--resource', `${A}:thinggroup/canary-1`, '--context', 'aws:RequestTag/team=fw');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^ALLOWED: arn:aws:iam::000000000000:user\/ci iot:CreateJob on .*job\/j1, .*thinggroup\/canary-1\n/);
        assert.match(r.stdout, /statement: user ci, policy 1: statement 1 \(Sid "CanaryOnly"\) \[Allow\]/);
    });
    test('a condition that fails, an explicit deny, a resource outside: exit 1, what is needed, the API\'s message', async () => {
        const tag = await check('--action', 'iot:CreateJob', '--resource', `${A}:job/j1`, '--context', 'aws:RequestTag/team=ops');
        assert.equal(tag.code, 1);
        assert.match(tag.stdout, /^DENIED \(no statement allows it\)/);
        assert.match(tag.stdout, /needed: an Allow statement with Action iot:CreateJob and Resource .*job\/j1 whose Condition holds/);
        const deny = await check('--action', 'iot:DeleteJob', '--resource', `${A}:job/j1`);
        assert.equal(deny.code, 1);
        assert.match(deny.stdout, /^DENIED \(explicit deny\)/);
        assert.match(deny.stdout, /statement: user ci, policy 1: statement 2 \(Sid "NoDelete"\) \[Deny\]/);
        assert.ok(deny.stdout.includes(`403 AccessDeniedException "User: arn:aws:iam::000000000000:user/ci is not authorized to perform: iot:DeleteJob on resource: ${A}:job/j1 with an explicit deny in an identity-based policy"`), deny.stdout);
        const prod = await check('--action', 'iot:CreateJob', '--resource', `${A}:job/j1`, '--resource', `${A}:thinggroup/prod`);
        assert.equal(prod.code, 1);
        assert.ok(prod.stdout.includes(`on resource: ${A}:thinggroup/prod because no identity-based policy allows the iot:CreateJob action`), prod.stdout);
    });
    test('an unknown user or a bad flag: exit 2', async () => {
        assert.equal((await cli(['iam', 'check', '--iam-policies', file, '--user', 'nobody', '--action', 'iot:ListJobs'])).code, 2);
        assert.equal((await check('--action', 'iot:ListJobs', '--context', 'novalue')).code, 2);
        assert.equal((await cli(['iam', 'check', '--user', 'ci', '--action', 'iot:ListJobs'], { IOT_JOBS_IAM_POLICIES: '' })).code, 2);
    });
});
describe("the README's IAM example", () => {
    test('its users file loads, and its iam check prints what the README says', async () => {
        const dir = tmp();
        writeFileSync(join(dir, 'users.json'), readmeBlock('iam-users').code);
        // `iot-jobs` on the PATH, as a global install has it.
        const bin = join(dir, 'bin');
        mkdirSync(bin);
        writeFileSync(join(bin, 'iot-jobs'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
        const block = readmeBlock('iam-check').code;
        const r = await new Promise((resolve) => execFile('/bin/sh', ['-c', block], { cwd: dir, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }, (err, stdout, stderr) => resolve({ code: err ? (err.code ?? -1) : 0, stdout, stderr })));
        assert.equal(r.code, 1, r.stderr);
        const expected = block.split('\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2).replace(/ \.\.\.$/, ''));
        const got = r.stdout.split('\n');
        assert.ok(expected.length === 2);
        assert.ok(got[0].startsWith(expected[0]), got[0]);
        assert.equal(got.find((l) => l.trim().startsWith('needed:'))?.trim(), expected[1].trim());
    });
});
//# sourceMappingURL=iam-cli.test.js.map