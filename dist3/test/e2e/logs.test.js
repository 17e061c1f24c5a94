import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import Database from 'better-sqlite3';
import { CancelJobCommand, CreateJobCommand, CreateThingCommand, CreateThingGroupCommand, DeleteJobCommand, DescribeJobCommand, IoTClient, } from '@aws-sdk/client-iot';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { CLI, spawnServer } from '../support/process.js';
import { Sha256 } from '../../src/auth/sigv4.js';
import { eventually, thingArn } from '../support/harness.js';
import { resolveConfig } from '../../src/config/config.js';
import { INLINE_BATCH } from '../../src/operations/jobs.js';
/**
 * What a real `iot-jobs serve` process writes (its stdout, captured): one line per HTTP request
 * with the fields its event has, refused signatures with the access key id and never a secret,
 * device connect and disconnect, background-work progress at most once a second per job, and the
 * two formats. Logs do not depend on the backend: this runs on SQLite.
 */
const SECRET = 's3cr3t-never-logged';
const WRONG_SECRET = 'wrong-s3cr3t-never-logged';
const dirs = [];
const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'iot-jobs-logs-'));
    dirs.push(d);
    return d;
};
after(() => {
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
});
const lines = (s) => s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
const client = (url, secretAccessKey = SECRET) => new IoTClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOGTEST', secretAccessKey }, maxAttempts: 1 });
describe('logs of a real server process (JSON, as when stdout is not a terminal)', () => {
    let s;
    let iot;
    let dir;
    before(async () => {
        // A slow deletion (10 executions a second) so that its progress is logged while it runs.
        dir = dataDir();
        s = await spawnServer(['--data-dir', dir, '--credentials', `AKIDLOGTEST:${SECRET}`, '--deletion-rate', '10']);
        iot = client(s.url);
    });
    after(async () => {
        iot.destroy();
        s.child.kill('SIGTERM');
        await s.exited;
    });
    test('one line per HTTP request: operation, status, ms, request id, thing and job', async () => {
        const made = await iot.send(new CreateThingCommand({ thingName: 'log-thing-1' }));
        const job = await iot.send(new CreateJobCommand({ jobId: 'log-job-1', targets: [thingArn('log-thing-1')], document: '{}' }));
        await assert.rejects(iot.send(new DescribeJobCommand({ jobId: 'log-missing' })), { name: 'ResourceNotFoundException' });
        const requests = await eventually(async () => {
            const r = lines(s).filter((l) => l.msg === 'request');
            return r.length >= 3 ? r : undefined;
        }, 10_000, 'three request lines');
        const [thing, created, missing] = requests;
        assert.equal(requests.length, 3, JSON.stringify(requests));
        assert.deepEqual({ level: thing.level, operation: thing.operation, status: thing.status, thingName: thing.thingName, requestId: thing.requestId, accessKeyId: thing.accessKeyId }, { level: 30, operation: 'CreateThing', status: 200, thingName: 'log-thing-1', requestId: made.$metadata.requestId, accessKeyId: 'AKIDLOGTEST' });
        assert.equal(thing.jobId, undefined);
        assert.equal(thing.errorCode, undefined);
        assert.equal(typeof thing.ms, 'number');
        assert.ok(thing.ms >= 0 && thing.ms < 60_000);
        assert.deepEqual({ operation: created.operation, status: created.status, jobId: created.jobId, requestId: created.requestId }, { operation: 'CreateJob', status: 200, jobId: 'log-job-1', requestId: job.$metadata.requestId });
        assert.deepEqual({ operation: missing.operation, status: missing.status, errorCode: missing.errorCode, jobId: missing.jobId }, { operation: 'DescribeJob', status: 404, errorCode: 'ResourceNotFoundException', jobId: 'log-missing' });
    });
    test('a refused signature: at info, with the access key id, and no secret anywhere in the output', async () => {
        const wrong = client(s.url, WRONG_SECRET);
        try {
            await assert.rejects(wrong.send(new DescribeJobCommand({ jobId: 'log-job-1' })), { name: 'InvalidSignatureException' });
        }
        finally {
            wrong.destroy();
        }
        const refused = await eventually(async () => lines(s).find((l) => l.msg === 'request refused: signature check failed'), 10_000, 'the refused line');
        assert.equal(refused.level, 30);
        assert.equal(refused.accessKeyId, 'AKIDLOGTEST');
        assert.equal(refused.status, 403);
        assert.equal(refused.errorCode, 'InvalidSignatureException');
        // An unsigned request: refused as well, and no key to name.
        const unsigned = await fetch(`${s.url}/jobs/log-job-1`);
        assert.equal(unsigned.status, 403);
        await unsigned.text();
        await eventually(async () => lines(s).filter((l) => l.msg === 'request refused: signature check failed').length === 2, 10_000, 'the unsigned line');
        const last = lines(s).filter((l) => l.msg === 'request refused: signature check failed')[1];
        assert.equal(last.errorCode, 'MissingAuthenticationTokenException');
        assert.equal(last.accessKeyId, undefined);
        assert.ok(!s.output().includes(SECRET), 'the server secret was logged');
        assert.ok(!s.output().includes(WRONG_SECRET), "the client's secret was logged");
    });
    test('a refused signature says why, as the client is told: wrong secret, unknown key, wrong region, wrong service, clock skew', async () => {
        const before = lines(s).filter((l) => l.msg === 'request refused: signature check failed').length;
        const send = async (o) => {
            const signer = new SignatureV4({ service: o.service ?? 'iot', region: o.region ?? 'us-east-1', credentials: { accessKeyId: o.key ?? 'AKIDLOGTEST', secretAccessKey: o.secret ?? SECRET }, sha256: Sha256 });
            const u = new URL(s.url);
            const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/jobs/log-job-1', headers: { host: u.host } }), o.at ? { signingDate: o.at } : {});
            const res = await fetch(`${s.url}/jobs/log-job-1`, { headers: signed.headers });
            return (await res.json());
        };
        const cases = [
            [{ secret: WRONG_SECRET }, 'wrong secret key (or signing method)'],
            [{ key: 'AKIDNOBODY' }, 'unknown access key'],
            [{ region: 'eu-west-1' }, 'wrong region'],
            [{ service: 'sqs' }, 'wrong service'],
            [{ at: new Date(Date.now() - 3600_000) }, 'clock skew: signed too long ago'],
            [{ at: new Date(Date.now() + 3600_000) }, 'clock skew: signed in the future'],
        ];
        const told = [];
        for (const [c] of cases)
            told.push((await send(c)).message);
        const refused = await eventually(async () => {
            const all = lines(s).filter((l) => l.msg === 'request refused: signature check failed').slice(before);
            return all.length >= cases.length && all;
        }, 10_000, 'the refused lines');
        assert.deepEqual(refused.map((l) => l.reason), cases.map(([, reason]) => reason));
        assert.deepEqual(refused.map((l) => l.message), told);
        assert.ok(!s.output().includes(SECRET) && !s.output().includes(WRONG_SECRET), 'a secret was logged');
    });
    test('a presigned URL: logged without its query (the signature in it is a credential while it lasts)', async () => {
        const u = new URL(s.url);
        const signer = new SignatureV4({ service: 'iot', region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOGTEST', secretAccessKey: SECRET }, sha256: Sha256 });
        const request = new HttpRequest({ method: 'GET', hostname: u.hostname, port: Number(u.port), path: '/jobs/log-job-1', headers: { host: u.host } });
        const signed = await signer.presign(request, { expiresIn: 300 });
        const query = new URLSearchParams(signed.query).toString();
        const r = await fetch(`${s.url}/jobs/log-job-1?${query}`);
        assert.equal(r.status, 200, await r.text());
        const line = await eventually(async () => lines(s).find((l) => l.msg === 'request' && l.operation === 'DescribeJob' && l.status === 200), 10_000, 'the presigned line');
        assert.equal(line.path, '/jobs/log-job-1');
        assert.equal(line.accessKeyId, 'AKIDLOGTEST');
        const signature = String(signed.query['X-Amz-Signature']);
        assert.ok(!s.output().includes(signature), 'the presigned signature was logged');
    });
    test('GET /health is logged at debug only, so not at info', async () => {
        const before = lines(s).length;
        for (const path of ['/health', '/metrics']) {
            const r = await fetch(`${s.url}${path}`);
            assert.equal(r.status, 200);
            await r.text();
        }
        // A signed request after them: once its line is there, theirs would be too.
        await iot.send(new DescribeJobCommand({ jobId: 'log-job-1' }));
        await eventually(async () => lines(s).slice(before).some((l) => l.operation === 'DescribeJob'), 10_000, 'the DescribeJob line');
        assert.deepEqual(lines(s).slice(before).filter((l) => l.operation === 'health' || l.operation === 'metrics'), []);
    });
    test('a device connecting and disconnecting, at info', async () => {
        const device = await mqtt.connectAsync(s.mqttUrl, { clientId: 'log-thing-1', reconnectPeriod: 0 });
        const connected = await eventually(async () => lines(s).find((l) => l.msg === 'device connected'), 10_000, 'device connected');
        assert.equal(connected.level, 30);
        assert.equal(connected.clientId, 'log-thing-1');
        assert.equal(connected.remote, '127.0.0.1');
        await device.endAsync();
        const gone = await eventually(async () => lines(s).find((l) => l.msg === 'device disconnected'), 10_000, 'device disconnected');
        assert.equal(gone.level, 30);
        assert.equal(gone.clientId, 'log-thing-1');
    });
    test('background work: a rollout and a cancel say when they are done; a deletion its progress, at most once a second', async () => {
        // A group past what CreateJob and CancelJob do inline (2,000), so that the worker does the rest;
        // its members go straight into the database (a second SQLite connection), as a fleet import would.
        await iot.send(new CreateThingGroupCommand({ thingGroupName: 'log-group' }));
        const members = INLINE_BATCH + 500;
        const db = new Database(join(dir, 'iot-jobs.sqlite'));
        try {
            db.pragma('busy_timeout = 10000');
            db.transaction(() => {
                const thing = db.prepare("insert into things (thing_name, thing_id, thing_type_name, attributes, version, created_at) values (?, ?, null, '{}', 1, 0)");
                const member = db.prepare("insert into group_members (group_name, thing_name) values ('log-group', ?)");
                for (let i = 0; i < members; i++) {
                    const name = `log-member-${String(i).padStart(5, '0')}`;
                    thing.run(name, `id-${i}`);
                    member.run(name);
                }
            })();
        }
        finally {
            db.close();
        }
        await iot.send(new CreateJobCommand({ jobId: 'log-rollout', targets: [`arn:aws:iot:us-east-1:000000000000:thinggroup/log-group`], document: '{}' }));
        const rollout = await eventually(async () => lines(s).find((l) => l.msg === 'job rollout done' && l.jobId === 'log-rollout'), 30_000, 'rollout done');
        assert.deepEqual({ level: rollout.level, work: rollout.work, done: rollout.done }, { level: 30, work: 'rollout', done: members - INLINE_BATCH });
        await iot.send(new CancelJobCommand({ jobId: 'log-rollout' }));
        const cancel = await eventually(async () => lines(s).find((l) => l.msg === 'job cancel done' && l.jobId === 'log-rollout'), 30_000, 'cancel done');
        assert.deepEqual({ level: cancel.level, work: cancel.work, done: cancel.done }, { level: 30, work: 'cancel', done: members - INLINE_BATCH });
        // 30 executions deleted at 10 a second: about 3 seconds of deletion.
        const things = Array.from({ length: 30 }, (_, i) => `log-del-${String(i).padStart(2, '0')}`);
        for (const thingName of things)
            await iot.send(new CreateThingCommand({ thingName }));
        await iot.send(new CreateJobCommand({ jobId: 'log-delete', targets: things.map(thingArn), document: '{}' }));
        await iot.send(new DeleteJobCommand({ jobId: 'log-delete', force: true }));
        const done = await eventually(async () => lines(s).find((l) => l.msg === 'job delete done' && l.jobId === 'log-delete'), 60_000, 'deletion done');
        assert.deepEqual({ level: done.level, work: done.work, done: done.done }, { level: 30, work: 'delete', done: 30 });
        const progress = lines(s).filter((l) => l.msg === 'job delete in progress' && l.jobId === 'log-delete');
        assert.ok(progress.length >= 1, 'no progress line in a deletion of about 3 s');
        for (const p of progress) {
            assert.equal(p.level, 30);
            assert.equal(p.done + p.left, 30, JSON.stringify(p));
        }
        for (let i = 1; i < progress.length; i++)
            assert.ok(progress[i].time - progress[i - 1].time >= 1000, `two progress lines within a second: ${JSON.stringify(progress)}`);
    });
});
describe('log formats', () => {
    test('pretty and json resolve from the flag, the environment, or the terminal', () => {
        assert.equal(resolveConfig({}, {}, true).logFormat, 'pretty');
        assert.equal(resolveConfig({}, {}, false).logFormat, 'json');
        assert.equal(resolveConfig({ logFormat: 'json' }, {}, true).logFormat, 'json');
        assert.equal(resolveConfig({}, { IOT_JOBS_LOG_FORMAT: 'pretty' }, false).logFormat, 'pretty');
    });
    /** Runs serve until its ready line, then SIGTERM; returns everything it wrote. */
    function runUntilReady(cmd, args) {
        const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TERM: 'dumb' } });
        let out = '';
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                child.kill('SIGKILL');
                reject(new Error(`no ready line:\n${out}`));
            }, 30_000);
            const onData = (b) => {
                // pino-pretty colours its output on a terminal.
                out += b.toString().replace(/\x1b\[[0-9;]*m/g, '');
                if (/iot-jobs ready[\s\S]*database/.test(out))
                    child.kill('SIGTERM');
            };
            child.stdout.on('data', onData);
            child.stderr.on('data', onData);
            child.on('close', () => {
                clearTimeout(timer);
                resolve(out);
            });
        });
    }
    test('--log-format pretty: pino-pretty lines, not JSON', async () => {
        const out = await runUntilReady(process.execPath, [CLI, 'serve', '--port', '0', '--mqtt-port', '0', '--data-dir', dataDir(), '--log-format', 'pretty']);
        // One line per event, its fields after the message.
        assert.match(out, /^\[[\d:.]+\] INFO: iot-jobs ready \{"http":"http:\/\/127\.0\.0\.1:\d+","mqtt":"mqtt:\/\/127\.0\.0\.1:\d+",/m);
        assert.ok(!out.split('\n').some((l) => l.startsWith('{')), out);
    });
    test('on a terminal (a pty from script(1)) the default is pretty', async () => {
        const cmd = [process.execPath, CLI, 'serve', '--port', '0', '--mqtt-port', '0', '--data-dir', dataDir()].map((a) => `'${a}'`).join(' ');
        const out = await runUntilReady('/usr/bin/script', ['-qec', cmd, '/dev/null']);
        assert.match(out, /INFO.*: iot-jobs ready/);
        assert.ok(!out.includes('"msg":"iot-jobs ready"'), out);
    });
});
//# sourceMappingURL=logs.test.js.map