import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DescribeThingCommand, ListThingsInThingGroupCommand } from '@aws-sdk/client-iot';
import { setTimeout as sleep } from 'node:timers/promises';
import { BACKENDS, eventually, startServer } from '../support/harness.js';
import { ROOT, readmeBlock } from '../support/readme.js';
import { DEFAULT_MQTT_PORT, DEFAULT_PORT, resolveConfig } from '../../src/config/config.js';
/**
 * The README's quick start, run as written: each block is taken from README.md (not copied here)
 * and run against a real server with the real client it is written for: the shell block with
 * Debian's AWS CLI 2.9 (/usr/bin/aws, which ignores AWS_ENDPOINT_URL), the JS block with the AWS
 * SDK, the Python block with Debian's boto3. Only the endpoint's port is changed, to the test
 * server's. The children get no AWS_* variables and an empty HOME: the blocks must bring all they need.
 * IOT_JOBS_TEST_EXTRA_AWS (comma-separated paths, e.g. an AWS CLI v1) runs the shell block with those too.
 */
const README_URL = `http://127.0.0.1:${DEFAULT_PORT}`;
const home = mkdtempSync(join(tmpdir(), 'iot-jobs-readme-home-'));
after(() => rmSync(home, { recursive: true, force: true }));
function run(cmd, args, input, env, timeoutMs = 240_000) {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stdout = '';
    child.stdout.on('data', (b) => {
        out += b.toString();
        stdout += b.toString();
    });
    child.stderr.on('data', (b) => (out += b.toString()));
    child.stdin.end(input);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${cmd} did not finish within ${timeoutMs} ms:\n${out}`));
        }, timeoutMs);
        child.on('error', reject);
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, out });
        });
    });
}
/** A clean environment: a PATH, an empty HOME, nothing from AWS. */
const cleanEnv = (path) => ({ PATH: path, HOME: home, LANG: 'C.UTF-8' });
function pointAt(code, url) {
    assert.ok(code.includes(README_URL), `the block should name ${README_URL}:\n${code}`);
    return code.split(README_URL).join(url);
}
const blocks = {
    watch: readmeBlock('watch'),
    cli: readmeBlock('cli'),
    js: readmeBlock('js'),
    python: readmeBlock('python'),
};
async function runCli(url, aws = '/usr/bin/aws') {
    const r = await run('/bin/bash', ['-e', '-o', 'pipefail'], pointAt(blocks.cli.code, url), cleanEnv(`${dirname(aws)}:/usr/bin:/bin`));
    assert.equal(r.code, 0, `the README's shell block failed with ${aws}:\n${r.out}`);
    // describe-job and start-next printed what this server holds.
    assert.match(r.out, /"jobId": "fw-1"/);
    assert.match(r.out, /"status": "IN_PROGRESS"/);
    return r.out;
}
async function runJs(url) {
    const r = await run(process.execPath, ['--input-type=module'], pointAt(blocks.js.code, url), cleanEnv('/usr/bin:/bin'));
    assert.equal(r.code, 0, `the README's JS block failed:\n${r.out}`);
    assert.equal(r.stdout.trim(), 'js-fw-1 IN_PROGRESS');
}
async function runPython(url) {
    const r = await run('/usr/bin/python3', ['-'], pointAt(blocks.python.code, url), cleanEnv('/usr/bin:/bin'));
    assert.equal(r.code, 0, `the README's boto3 block failed:\n${r.out}`);
    assert.equal(r.stdout.trim(), 'py-fw-1 IN_PROGRESS');
}
/** The block reached this server (not some other endpoint): its thing is here. */
async function hasThing(s, thingName) {
    const t = await s.iot.send(new DescribeThingCommand({ thingName }));
    assert.equal(t.thingName, thingName);
}
/** Each block deletes its job at the end (--force); it is gone once the worker has removed it. */
async function jobGone(s, jobId) {
    await eventually(async () => {
        const jobs = await s.app.store.db.selectFrom('jobs').select('job_id').where('job_id', '=', jobId).execute();
        return jobs.length === 0;
    }, 30_000, `${jobId} deleted`);
}
test('the blocks are the languages they are run as', () => {
    assert.equal(blocks.cli.lang, 'sh');
    assert.equal(blocks.js.lang, 'js');
    assert.equal(blocks.python.lang, 'python');
});
test("the serve block's addresses are the defaults, and npm start is iot-jobs serve", () => {
    const serve = readmeBlock('serve');
    const config = resolveConfig({}, {}, false);
    assert.equal(config.port, DEFAULT_PORT);
    assert.equal(config.mqttPort, DEFAULT_MQTT_PORT);
    assert.match(serve.code, new RegExp(`HTTP on http://127\\.0\\.0\\.1:${config.port}\\b`));
    assert.match(serve.code, new RegExp(`MQTT on mqtt://127\\.0\\.0\\.1:${config.mqttPort}\\b`));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.start, `node ${pkg.bin['iot-jobs']} serve`);
});
for (const backend of BACKENDS) {
    describe(`README quick start (${backend})`, () => {
        const servers = [];
        const fresh = async () => {
            const s = await startServer(backend);
            servers.push(s);
            return s;
        };
        after(async () => {
            for (const s of servers)
                await s.close();
        });
        test('the shell block with Debian AWS CLI 2.9 on a fresh server, then boto3, then the JS SDK (the order that used to fail with 409)', async () => {
            const s = await fresh();
            await runCli(s.url);
            await hasThing(s, 'dev-1');
            await jobGone(s, 'fw-1');
            await runPython(s.url);
            await hasThing(s, 'py-dev-1');
            await runJs(s.url);
            await hasThing(s, 'js-dev-1');
        });
        test('the JS block on a fresh server, then boto3', async () => {
            const s = await fresh();
            await runJs(s.url);
            await runPython(s.url);
            await jobGone(s, 'js-fw-1');
            await jobGone(s, 'py-fw-1');
        });
        test('the boto3 block alone on a fresh server', async () => {
            const s = await fresh();
            await runPython(s.url);
            await hasThing(s, 'py-dev-1');
        });
        const extra = (process.env.IOT_JOBS_TEST_EXTRA_AWS ?? '').split(',').filter(Boolean);
        for (const aws of extra) {
            test(`the shell block with ${aws}`, async () => {
                const s = await fresh();
                await runCli(s.url, aws);
                await hasThing(s, 'dev-1');
            });
        }
    });
}
/** A server on the default port, where the iot-jobs commands go by default (retried while another run holds it). */
async function onDefaultPort() {
    for (let i = 0;; i++) {
        try {
            return await startServer('sqlite', { port: DEFAULT_PORT, mqttPort: 0 });
        }
        catch (err) {
            if (i >= 30 || err.code !== 'EADDRINUSE')
                throw err;
            await sleep(2000);
        }
    }
}
describe('README "Watching jobs and simulating a fleet", in the quick-start shell', () => {
    test('the quick-start shell block, then the watch block as written: the job reaches the local server, completes, and is deleted', async () => {
        const s = await onDefaultPort();
        try {
            // One shell, as the user has it: the quick start's exports and $E, then the watch block, run
            // in the clone (npx finds its iot-jobs there).
            const script = `set -m\n${blocks.cli.code}\n${blocks.watch.code}`;
            // set -m: job control on, as in the user's interactive shell, so that `kill %1` stops simulate's process group.
            const r = await run('/bin/bash', ['-e', '-o', 'pipefail'], script, cleanEnv(`${dirname(process.execPath)}:/usr/bin:/bin`), 240_000);
            assert.equal(r.code, 0, `the README's watch block failed:\n${r.out}`);
            assert.match(r.stdout, /^fw-2 COMPLETED: \d+ succeeded, \d+ failed/m);
            // The things simulate made are on this server, in the group the job targeted.
            const { things } = await s.iot.send(new ListThingsInThingGroupCommand({ thingGroupName: 'lab' }));
            assert.equal(things?.length, 20);
            await jobGone(s, 'fw-2');
        }
        finally {
            await s.close();
        }
    });
});
test('no job id is shared between README.md and examples/README.md', () => {
    const ids = (file) => new Set([...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:--job-id |jobId[=:] ?["']?)([\w-]+)/g)].map((m) => m[1]));
    const readme = ids('README.md');
    const examples = ids('examples/README.md');
    assert.ok(readme.size > 0 && examples.size > 0);
    assert.deepEqual([...examples].filter((id) => readme.has(id)), []);
});
//# sourceMappingURL=readme.test.js.map