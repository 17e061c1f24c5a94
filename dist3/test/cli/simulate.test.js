import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CancelJobCommand, CreateJobCommand, DescribeJobCommand, DescribeJobExecutionCommand, ListJobExecutionsForJobCommand } from '@aws-sdk/client-iot';
import { BACKENDS, CREDENTIALS, MOSQUITTO_URL, REGION, eventually, groupArn, startServer, thingArn } from '../support/harness.js';
import { awsEnv, runCli, startCli } from '../support/cli.js';
import { makePki } from '../support/certs.js';
import { clockRequest } from '../../src/cli/clock-client.js';
/**
 * `iot-jobs simulate` as a user runs it: the real CLI as a child process, with real MQTT connections
 * to the embedded broker (WebSocket, TCP with passwords, TLS with device certificates) or to
 * Mosquitto, working real jobs created through the SDK. Outcomes are seeded, so a run is the same
 * every time; the assertions still only ask for the mix within a binomial tolerance.
 */
const totalsOf = (run) => run
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
/** Waits for the simulator to have counted `n` successes: a reply can reach it after the server's commit is visible over HTTP. */
const succeeded = (run, n) => eventually(async () => totalsOf(run).at(-1)?.succeeded === n, 60_000, `the simulator to count ${n} successes`);
async function stop(run) {
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    assert.equal(code, 0, run.stderr());
    const last = totalsOf(run).at(-1);
    assert.equal(last.final, true);
    return last;
}
const simArgs = (prefix, n, more) => ['simulate', '--things', String(n), '--prefix', prefix, '--output', 'json', '--interval', '0.2', ...more];
async function counts(s, jobId) {
    const { job } = await s.iot.send(new DescribeJobCommand({ jobId }));
    const d = job.jobProcessDetails;
    return {
        queued: d.numberOfQueuedThings ?? 0,
        inProgress: d.numberOfInProgressThings ?? 0,
        succeeded: d.numberOfSucceededThings ?? 0,
        failed: d.numberOfFailedThings ?? 0,
        rejected: d.numberOfRejectedThings ?? 0,
        canceled: d.numberOfCanceledThings ?? 0,
        timedOut: d.numberOfTimedOutThings ?? 0,
        status: job.status,
    };
}
async function executionsIn(s, jobId, status) {
    const r = await s.iot.send(new ListJobExecutionsForJobCommand({ jobId, status, maxResults: 250 }));
    return (r.executionSummaries ?? []).map((e) => e.thingArn.split('/').pop());
}
/** |k - n·p| within four binomial standard deviations, plus one for rounding. */
function withinMix(k, n, p, what) {
    const slack = 4 * Math.sqrt(n * p * (1 - p)) + 1;
    assert.ok(Math.abs(k - n * p) <= slack, `${what}: ${k} of ${n}, expected ${n * p} ± ${slack.toFixed(1)}`);
}
for (const backend of BACKENDS) {
    describe(`iot-jobs simulate (${backend})`, () => {
        const servers = [];
        const runs = [];
        const tag = `${backend}-${process.pid}`;
        after(async () => {
            for (const r of runs)
                if (r.child.exitCode === null)
                    r.child.kill('SIGKILL');
            for (const s of servers)
                await s.close();
        });
        const server = async (overrides = {}) => {
            const s = await startServer(backend, { mqttPort: 0, ...overrides });
            servers.push(s);
            return s;
        };
        const sim = (s, args, env = {}) => {
            const r = startCli(args, awsEnv(s.url, env));
            runs.push(r);
            return r;
        };
        test('200 devices in a group work a job: counts match --succeed 0.9 --fail 0.05 --reject 0.02 --hang 0.03', async (t) => {
            // A manual clock: the hung devices' executions time out only when the test moves it.
            const s = await server({ clock: 'manual' });
            const n = 200;
            const group = `fleet-${tag}`;
            const run = sim(s, simArgs('mix-', n, ['--group', group, '--succeed', '0.9', '--fail', '0.05', '--reject', '0.02', '--hang', '0.03', '--work-time', '0.05-0.3', '--seed', '42']));
            await run.waitFor(/200 devices connected/, 120_000, 'stderr');
            assert.match(run.stderr(), /connecting to ws:\/\/127\.0\.0\.1:\d+\/mqtt/);
            const jobId = 'rollout-1';
            await s.iot.send(new CreateJobCommand({ jobId, targets: [groupArn(group)], document: '{"op":"update","version":"2.0"}', timeoutConfig: { inProgressTimeoutInMinutes: 5 } }));
            // Done when every device has answered what it will answer: hanging ones stay IN_PROGRESS.
            const settled = await eventually(async () => {
                const t = totalsOf(run).at(-1);
                const c = await counts(s, jobId);
                return t && t.started === n && t.working === 0 && c.queued === 0 && c.succeeded + c.failed + c.rejected + c.inProgress === n && c.inProgress === t.hung ? c : undefined;
            }, 180_000, 'every device to have worked its execution');
            const totals = await stop(run);
            t.diagnostic(`server counts: ${JSON.stringify(settled)}`);
            assert.equal(settled.status, 'IN_PROGRESS', 'hung executions keep the job open until they time out');
            assert.deepEqual([totals.succeeded, totals.failed, totals.rejected, totals.hung, totals.interrupted], [settled.succeeded, settled.failed, settled.rejected, settled.inProgress, 0], 'the simulator counted what the server recorded');
            withinMix(settled.succeeded, n, 0.9, 'succeeded');
            withinMix(settled.failed, n, 0.05, 'failed');
            withinMix(settled.rejected, n, 0.02, 'rejected');
            withinMix(settled.inProgress, n, 0.03, 'hung');
            assert.ok(settled.failed > 0 && settled.rejected > 0 && settled.inProgress > 0, 'every outcome happened');
            // Firmware steps, seen in what the server kept: start-next and the half-way report carry statusDetails.
            const describe = async (status) => {
                const thingName = (await executionsIn(s, jobId, status))[0];
                return (await s.iot.send(new DescribeJobExecutionCommand({ jobId, thingName }))).execution;
            };
            const ok = await describe('SUCCEEDED');
            assert.deepEqual(ok.statusDetails?.detailsMap, { step: 'done', progress: '100' });
            const hung = await describe('IN_PROGRESS');
            assert.deepEqual(hung.statusDetails?.detailsMap, { step: 'downloading', progress: '0' });
            // QUEUED (1) → start-next IN_PROGRESS (2) → half-way IN_PROGRESS (3) → SUCCEEDED (4).
            assert.equal(ok.versionNumber, 4);
            assert.equal(hung.versionNumber, 2);
            assert.equal((await describe('FAILED')).statusDetails?.detailsMap?.reason, 'simulated failure');
            assert.match((await describe('REJECTED')).statusDetails?.detailsMap?.reason ?? '', /simulated rejection/);
            // Past the in-progress timeout the hung executions are TIMED_OUT and the job is done.
            const moved = await clockRequest({ url: s.url, region: REGION, credentials: CREDENTIALS }, { advanceSeconds: 6 * 60 });
            assert.equal(moved.status, 200, JSON.stringify(moved.body));
            const timedOut = await counts(s, jobId);
            assert.equal(timedOut.timedOut, totals.hung, 'every hung execution timed out');
            assert.equal(timedOut.inProgress, 0);
            assert.equal(timedOut.status, 'COMPLETED');
            // The same things and group are reused by a second run, which works the next job.
            const again = sim(s, simArgs('mix-', 5, ['--group', group, '--work-time', '0.05']));
            await again.waitFor(/5 devices connected/, 60_000, 'stderr');
            await s.iot.send(new CreateJobCommand({ jobId: 'rollout-2', targets: [thingArn('mix-0001'), thingArn('mix-0005')], document: '{}' }));
            await eventually(async () => (await counts(s, 'rollout-2')).status === 'COMPLETED', 60_000, 'rollout-2 to complete');
            assert.equal((await counts(s, 'rollout-2')).succeeded, 2);
            await succeeded(again, 2);
            assert.equal((await stop(again)).succeeded, 2);
        });
        test('a hung device comes back once its execution is over; work is dropped when a job is canceled under it', async () => {
            const s = await server();
            const hang = sim(s, simArgs('hang-', 3, ['--hang', '1']));
            const slow = sim(s, simArgs('slow-', 3, ['--work-time', '600']));
            await hang.waitFor(/3 devices connected/, 60_000, 'stderr');
            await slow.waitFor(/3 devices connected/, 60_000, 'stderr');
            const hangThings = ['hang-0001', 'hang-0002', 'hang-0003'].map(thingArn);
            await s.iot.send(new CreateJobCommand({ jobId: 'h1', targets: hangThings, document: '{}' }));
            await eventually(async () => (await counts(s, 'h1')).inProgress === 3, 60_000, 'h1 started everywhere');
            await s.iot.send(new CreateJobCommand({ jobId: 'h2', targets: hangThings, document: '{}' }));
            // Hanging on h1, the devices take nothing else; the executions stay IN_PROGRESS.
            await new Promise((r) => setTimeout(r, 1000));
            assert.equal((await counts(s, 'h2')).queued, 3);
            assert.equal((await counts(s, 'h1')).inProgress, 3);
            await s.iot.send(new CancelJobCommand({ jobId: 'h1', force: true }));
            await eventually(async () => (await counts(s, 'h2')).inProgress === 3, 60_000, 'h2 started once h1 was canceled');
            await s.iot.send(new CreateJobCommand({ jobId: 's1', targets: ['slow-0001', 'slow-0002', 'slow-0003'].map(thingArn), document: '{}' }));
            await eventually(async () => totalsOf(slow).at(-1)?.working === 3, 60_000, 'the slow devices working');
            await s.iot.send(new CancelJobCommand({ jobId: 's1', force: true }));
            await eventually(async () => {
                const t = totalsOf(slow).at(-1);
                return t?.interrupted === 3 && t.working === 0;
            }, 60_000, 'the slow devices to drop their work');
            const h = await stop(hang);
            assert.equal(h.hung, 6);
            const w = await stop(slow);
            assert.deepEqual([w.started, w.interrupted, w.succeeded], [3, 3, 0]);
        });
        test('Mosquitto as the broker (--mqtt-url on both sides)', async () => {
            const s = await server({ mqttUrl: MOSQUITTO_URL });
            const prefix = `mq-${tag}-`;
            const run = sim(s, simArgs(prefix, 10, ['--mqtt-url', MOSQUITTO_URL, '--work-time', '0.05-0.2']));
            await run.waitFor(/10 devices connected/, 60_000, 'stderr');
            const targets = Array.from({ length: 10 }, (_, i) => thingArn(`${prefix}${String(i + 1).padStart(4, '0')}`));
            await s.iot.send(new CreateJobCommand({ jobId: 'mq', targets, document: '{}' }));
            await eventually(async () => (await counts(s, 'mq')).status === 'COMPLETED', 120_000, 'the job to complete through Mosquitto');
            assert.deepEqual(await counts(s, 'mq'), { queued: 0, inProgress: 0, succeeded: 10, failed: 0, rejected: 0, canceled: 0, timedOut: 0, status: 'COMPLETED' }, JSON.stringify(totalsOf(run).at(-1)));
            await succeeded(run, 10);
            assert.equal((await stop(run)).succeeded, 10);
        });
        test('TLS with a device certificate per thing; TCP with a device password', async () => {
            const pki = makePki();
            try {
                const things = ['tls-0001', 'tls-0002'];
                for (const t of things)
                    pki.device(t);
                const s = await server({
                    mqttPort: 0,
                    deviceCredentials: new Map([['*', 'fleet-secret']]),
                    mqttTls: { port: 0, cert: Buffer.from(pki.server.cert), key: Buffer.from(pki.server.key), ca: Buffer.from(pki.ca.cert) },
                });
                const tls = sim(s, simArgs('tls-', 2, ['--mqtt-url', s.app.mqttTlsUrl, '--mqtt-ca', pki.ca.certFile, '--mqtt-cert', join(pki.dir, 'device-{thing}.pem'), '--mqtt-key', join(pki.dir, 'device-{thing}.key'), '--work-time', '0.05']));
                const tcp = sim(s, simArgs('pw-', 2, ['--mqtt-url', s.app.mqttUrl, '--work-time', '0.05']), { IOT_JOBS_MQTT_PASSWORD: 'fleet-secret' });
                await tls.waitFor(/2 devices connected/, 60_000, 'stderr');
                await tcp.waitFor(/2 devices connected/, 60_000, 'stderr');
                await s.iot.send(new CreateJobCommand({ jobId: 'sec', targets: [...things, 'pw-0001', 'pw-0002'].map(thingArn), document: '{}' }));
                await eventually(async () => (await counts(s, 'sec')).status === 'COMPLETED', 60_000, 'the job to complete');
                assert.equal((await counts(s, 'sec')).succeeded, 4);
                await succeeded(tls, 2);
                await succeeded(tcp, 2);
                assert.equal((await stop(tls)).succeeded, 2);
                assert.equal((await stop(tcp)).succeeded, 2);
                const refused = await runCli(simArgs('pw-', 1, ['--mqtt-url', s.app.mqttUrl, '--mqtt-password', 'wrong']), awsEnv(s.url), 60_000);
                assert.equal(refused.code, 1);
                assert.match(refused.stderr, /iot-jobs: error: device pw-0001 could not connect to mqtt:\/\/.*: .*\n$/);
            }
            finally {
                rmSync(pki.dir, { recursive: true, force: true });
            }
        });
    });
}
describe('iot-jobs simulate: bad flags', () => {
    const env = awsEnv('http://127.0.0.1:9');
    for (const [args, message] of [
        [['--things', '0'], /--things must be a positive whole number/],
        [['--things', '5', '--succeed', '0.9', '--fail', '0.2'], /must add up to 1, got 1.1/],
        [['--things', '5', '--hang', '2'], /--hang must be a share between 0 and 1/],
        [['--things', '5', '--work-time', '5-1'], /--work-time must be seconds or a range/],
        [['--things', '5', '--mqtt-url', 'http://x'], /--mqtt-url must be mqtt/],
    ]) {
        test(args.join(' '), async () => {
            const r = await runCli(['simulate', ...args], env);
            assert.equal(r.code, 2, r.stderr);
            assert.match(r.stderr, new RegExp(`^iot-jobs: error: .*${message.source}.*\\n$`));
        });
    }
});
//# sourceMappingURL=simulate.test.js.map