import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, DeleteJobCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, startServer, thingArn } from '../support/harness.js';
import { awsEnv, runCli, startCli, startOnTerminal } from '../support/cli.js';
import { CLI } from '../support/process.js';
/**
 * `iot-jobs jobs list|show|watch` as an operator runs them: the real CLI as a child process, against
 * a real server, with the AWS CLI's environment variables, flags and shared config files.
 */
const frames = (stdout) => stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
for (const backend of BACKENDS) {
    describe(`iot-jobs jobs (${backend})`, () => {
        let s;
        let env;
        const tmp = mkdtempSync(join(tmpdir(), 'iot-jobs-ops-'));
        const p = `ops-${backend}-${process.pid}`;
        before(async () => {
            s = await startServer(backend, {
                credentials: [
                    { accessKeyId: 'test', secretAccessKey: 'test' },
                    { accessKeyId: 'OPSKEY', secretAccessKey: 'ops-secret' },
                ],
                deletionRate: 20,
            });
            env = awsEnv(s.url);
            for (let i = 1; i <= 60; i++)
                await s.iot.send(new CreateThingCommand({ thingName: `${p}-${i}` }));
        });
        after(async () => {
            await s.close();
            rmSync(tmp, { recursive: true, force: true });
        });
        const things = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => thingArn(`${p}-${from + i}`));
        const createJob = (jobId, targets) => s.iot.send(new CreateJobCommand({ jobId, targets, document: '{"op":"update"}' }));
        const finish = async (n, status = 'SUCCEEDED') => {
            const r = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: `${p}-${n}` }));
            await s.data.send(new UpdateJobExecutionCommand({ thingName: `${p}-${n}`, jobId: r.execution.jobId, status: status }));
        };
        test('list: every page, as a table or as JSON, with filters', async () => {
            for (const id of ['l-1', 'l-2', 'l-3'])
                await createJob(`${p}-${id}`, things(60, 60));
            const json = await runCli(['jobs', 'list', '--output', 'json', '--page-size', '1'], env);
            assert.equal(json.code, 0, json.stderr);
            const ids = JSON.parse(json.stdout).jobs.map((j) => j.jobId);
            for (const id of ['l-1', 'l-2', 'l-3'])
                assert.ok(ids.includes(`${p}-${id}`), `${id} in ${ids.join(',')}`);
            const table = await runCli(['jobs', 'list'], env);
            assert.equal(table.code, 0, table.stderr);
            assert.match(table.stdout, /^JOB ID\s+STATUS\s+SELECTION\s+CREATED\s+COMPLETED\s*$/m);
            assert.match(table.stdout, new RegExp(`^${p}-l-3\\s+IN_PROGRESS\\s+SNAPSHOT\\s+\\d{4}-`, 'm'));
            const none = await runCli(['jobs', 'list', '--status', 'COMPLETED', '--output', 'json'], env);
            assert.deepEqual(JSON.parse(none.stdout), { jobs: [] });
            const bad = await runCli(['jobs', 'list', '--status', 'DONE'], env);
            assert.equal(bad.code, 2);
            assert.match(bad.stderr, /^iot-jobs: error: option '--status <status>' argument 'DONE' is invalid/);
        });
        test('show: configuration and counts; a missing job is one line and exit 1', async () => {
            await createJob(`${p}-show`, things(12, 13));
            const json = await runCli(['jobs', 'show', `${p}-show`, '--output', 'json'], env);
            assert.equal(json.code, 0, json.stderr);
            const job = JSON.parse(json.stdout).job;
            assert.equal(job.jobId, `${p}-show`);
            assert.equal(job.jobProcessDetails.numberOfQueuedThings, 2);
            assert.ok(!json.stdout.includes('$metadata'));
            const table = await runCli(['jobs', 'show', `${p}-show`], env);
            assert.match(table.stdout, new RegExp(`│ jobId\\s+│ ${p}-show`));
            assert.match(table.stdout, /^QUEUED  IN_PROGRESS  SUCCEEDED  FAILED  REJECTED  TIMED_OUT  CANCELED  REMOVED\s*\n2 +0 +0 +0 +0 +0 +0 +0\s*$/m);
            const missing = await runCli(['jobs', 'show', `${p}-nope`], env);
            assert.equal(missing.code, 1);
            assert.match(missing.stderr, /^iot-jobs: error: ResourceNotFoundException: .*\n$/);
        });
        test('endpoint and credentials resolve as in the AWS CLI: flag, service env, env, --profile, AWS_PROFILE', async () => {
            const closed = 'http://127.0.0.1:9';
            const ok = async (args, e) => {
                const r = await runCli(['jobs', 'show', `${p}-l-1`, '--output', 'json', ...args], e);
                assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
            };
            await ok(['--endpoint-url', s.url], awsEnv(closed, { AWS_ENDPOINT_URL_IOT: closed }));
            await ok([], awsEnv(closed, { AWS_ENDPOINT_URL_IOT: s.url }));
            await ok([], awsEnv(s.url));
            // AWS_DEFAULT_REGION counts as with the AWS CLI; the server checks the signing region.
            await ok([], awsEnv(s.url, { AWS_REGION: undefined, AWS_DEFAULT_REGION: 'us-east-1' }));
            const wrongRegion = await runCli(['jobs', 'show', `${p}-l-1`], awsEnv(s.url, { AWS_REGION: 'eu-west-1' }));
            assert.equal(wrongRegion.code, 1);
            assert.match(wrongRegion.stderr, /^iot-jobs: error: \w+: .*\n$/);
            // A profile gives keys, region and endpoint_url; nothing of AWS is in the environment.
            writeFileSync(join(tmp, 'config'), `[profile ops]\nregion = us-east-1\nendpoint_url = ${s.url}\n\n[profile wrong]\nregion = us-east-1\nendpoint_url = ${s.url}\n`);
            writeFileSync(join(tmp, 'credentials'), '[ops]\naws_access_key_id = OPSKEY\naws_secret_access_key = ops-secret\n\n[wrong]\naws_access_key_id = OPSKEY\naws_secret_access_key = not-it\n');
            const files = { AWS_CONFIG_FILE: join(tmp, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'credentials') };
            const bare = { ...awsEnv(undefined, files), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined };
            await ok(['--profile', 'ops'], bare);
            await ok([], { ...bare, AWS_PROFILE: 'ops' });
            const wrong = await runCli(['jobs', 'show', `${p}-l-1`, '--profile', 'wrong'], bare);
            assert.equal(wrong.code, 1);
            assert.match(wrong.stderr, /InvalidSignatureException/);
        });
        test('watch --output json: a frame per poll with counts, rate and ETA, until the job completes', async () => {
            const jobId = `${p}-watch`;
            await createJob(jobId, things(1, 4));
            const run = startCli(['jobs', 'watch', jobId, '--output', 'json', '--interval', '0.2'], env);
            await run.waitFor(/"queued":4/);
            for (let n = 1; n <= 4; n++) {
                await finish(n, n === 4 ? 'FAILED' : 'SUCCEEDED');
                await run.waitFor(new RegExp(`"done":${n},`));
            }
            const { code } = await run.exited;
            assert.equal(code, 0, run.stderr());
            const fs = frames(run.stdout());
            const last = fs.at(-1);
            assert.equal(last.end, 'COMPLETED');
            assert.deepEqual([last.done, last.total, last.succeeded, last.failed, last.queued, last.etaSeconds], [4, 4, 3, 1, 0, 0]);
            for (let i = 1; i < fs.length; i++)
                assert.ok(fs[i].done >= fs[i - 1].done, 'done never goes back');
            assert.ok(fs.some((f) => f.rate !== null && f.rate > 0 && f.etaSeconds !== null && f.done < f.total), 'a frame with a rate and an ETA');
        });
        test('watch, not on a terminal: plain progress lines from the bar, and a summary', async () => {
            const jobId = `${p}-plain`;
            await createJob(jobId, things(5, 6));
            const run = startCli(['jobs', 'watch', jobId, '--interval', '0.2'], env);
            const bar = new RegExp(`^${jobId} rollout \\[([=-]{24})\\] (\\d+)% (\\d+)/2 \\| queued \\d+ in progress \\d+ \\| not started \\d+ \\| succeeded \\d+ .* \\| \\S+/s ETA \\S+$`);
            await run.waitFor(bar);
            await finish(5);
            await run.waitFor(/ 50% 1\/2 /);
            await finish(6);
            const { code } = await run.exited;
            assert.equal(code, 0, run.stderr());
            const lines = run.stdout().split('\n').filter(Boolean);
            assert.ok(lines.slice(0, -1).every((l) => bar.test(l)), lines.join('\n'));
            assert.ok(!run.stdout().includes('\x1b'), 'no terminal control sequences in a pipe');
            assert.match(lines.at(-2), / \[={24}\] 100% 2\/2 /);
            assert.equal(lines.at(-1), `${jobId} COMPLETED: 2 succeeded, 0 failed, 0 rejected, 0 timed out, 0 canceled, 0 removed`);
        });
        test('watch on a terminal: one bar redrawn in place', async () => {
            const jobId = `${p}-tty`;
            await createJob(jobId, things(7, 8));
            // script(1) gives the CLI a pseudo-terminal; its output is what a terminal would receive.
            const tty = startOnTerminal(`${process.execPath} ${CLI} jobs watch ${jobId} --interval 0.2`, { ...env, COLUMNS: '220' });
            await tty.waitFor(/rollout \[/);
            await finish(7);
            await tty.waitFor(/50% 1\/2/);
            await finish(8);
            const { code } = await tty.exited;
            assert.equal(code, 0, tty.stdout());
            const out = tty.stdout();
            const [barPart, ...rest] = out.split(`${jobId} COMPLETED`);
            const redraws = barPart.split('\x1b[1G').length - 1;
            assert.ok(redraws >= 3, `the bar was drawn ${redraws} times`);
            assert.ok(!barPart.trimEnd().includes('\n'), 'frames overwrite each other on one line');
            assert.match(barPart, /\[={24}\] 100% 2\/2/);
            assert.match(rest.join(''), /^: 2 succeeded/);
        });
        test('watch a cancel: ends when the cancel is worked off, in-progress executions left running', async () => {
            const jobId = `${p}-cancel`;
            await createJob(jobId, things(9, 11));
            await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: `${p}-9` }));
            const run = startCli(['jobs', 'watch', jobId, '--output', 'json', '--interval', '0.2'], env);
            await run.waitFor(/"inProgress":1/);
            await s.iot.send(new CancelJobCommand({ jobId }));
            const { code } = await run.exited;
            assert.equal(code, 0, run.stderr());
            const last = frames(run.stdout()).at(-1);
            assert.deepEqual([last.end, last.status, last.canceled, last.inProgress, last.queued], ['CANCELED', 'CANCELED', 2, 1, 0]);
        });
        test('watch a forced deletion: executions counting down to gone', async () => {
            const jobId = `${p}-delete`;
            await createJob(jobId, things(1, 60));
            const run = startCli(['jobs', 'watch', jobId, '--output', 'json', '--interval', '0.1'], env);
            await run.waitFor(/"queued":60/);
            await s.iot.send(new DeleteJobCommand({ jobId, force: true }));
            const { code } = await run.exited;
            assert.equal(code, 0, run.stderr());
            const fs = frames(run.stdout());
            const deleting = fs.filter((f) => f.phase === 'deleting');
            assert.ok(deleting.some((f) => f.done > 0 && f.done < 60), `a frame part way (--deletion-rate 20): ${deleting.map((f) => f.done).join(',')}`);
            assert.ok(deleting.every((f) => f.total === 60));
            assert.deepEqual([fs.at(-1).end, fs.at(-1).done, fs.at(-1).total], ['DELETED', 60, 60]);
        });
    });
}
//# sourceMappingURL=jobs.test.js.map