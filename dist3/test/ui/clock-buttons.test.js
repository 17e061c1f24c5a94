import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import { BACKENDS, clients, CREDENTIALS, eventually, REGION, startServer, thingArn } from '../support/harness.js';
import { spawnServer } from '../support/process.js';
import { launchChromium, screenshotDir } from '../support/browser.js';
/** GET /_iot-jobs/clock from Node, signed like any control-plane call. */
async function serverClock(url) {
    const u = new URL('/_iot-jobs/clock', url);
    const signer = new SignatureV4({ service: 'iot', region: REGION, credentials: CREDENTIALS, sha256: Hash.bind(null, 'sha256') });
    const req = await signer.sign(new HttpRequest({ method: 'GET', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: u.pathname, headers: { host: u.host } }));
    const res = await fetch(u, { headers: req.headers });
    assert.equal(res.status, 200);
    return (await res.json());
}
async function signIn(page, url) {
    await page.goto(`${url}/ui/`);
    await page.fill('input[name=accessKeyId]', 'test');
    await page.fill('input[name=secretAccessKey]', 'test');
    await page.click('form.signin button[type=submit]');
    await page.locator('h1', { hasText: 'Jobs' }).waitFor();
}
describe('dashboard clock buttons with --clock manual', () => {
    let server;
    let dataDir;
    let browser;
    let page;
    before(async () => {
        dataDir = mkdtempSync(join(tmpdir(), 'iot-jobs-ui-clock-'));
        server = await spawnServer(['--clock', 'manual', '--data-dir', dataDir]);
        browser = await launchChromium();
        page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    });
    after(async () => {
        await browser?.close();
        server?.child.kill('SIGTERM');
        await server?.exited;
        rmSync(dataDir, { recursive: true, force: true });
    });
    test('the buttons show the server clock and advance it; the page follows what the advance fired', async () => {
        const t0 = await serverClock(server.url);
        assert.equal(t0.mode, 'manual');
        await signIn(page, server.url);
        await page.locator(`#clock .clock-now[data-now="${t0.now}"]`).waitFor();
        assert.equal(await page.locator('#clock button.clock-step').count(), 3);
        await page.click('#clock button:has-text("+1 h")');
        const t1 = new Date(Date.parse(t0.now) + 3600_000).toISOString();
        await page.locator(`#clock .clock-now[data-now="${t1}"]`).waitFor();
        assert.equal((await serverClock(server.url)).now, t1, 'the server clock moved by exactly one hour');
        // A device that hangs: one minute on the manual clock times it out, and the job page shows it.
        const { iot, data } = clients(server.url);
        await iot.send(new CreateThingCommand({ thingName: 'ui-clock-dev' }));
        await iot.send(new CreateJobCommand({ jobId: 'ui-clock', targets: [thingArn('ui-clock-dev')], document: '{}', timeoutConfig: { inProgressTimeoutInMinutes: 1 } }));
        await data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-clock-dev' }));
        await page.goto(`${server.url}/ui/#/jobs/ui-clock`);
        await page.locator('.live .legend li[data-state=IN_PROGRESS] b', { hasText: '1' }).waitFor();
        await page.click('#clock button:has-text("+1 min")');
        await page.locator('.live .legend li[data-state=TIMED_OUT] b', { hasText: '1' }).waitFor();
        await page.locator('tr[data-thing=ui-clock-dev] .badge', { hasText: 'TIMED_OUT' }).waitFor();
        await page.screenshot({ path: join(screenshotDir(), 'clock-manual.png') });
        iot.destroy();
        data.destroy();
    });
});
for (const backend of BACKENDS) {
    describe(`dashboard clock buttons with the system clock [${backend}]`, () => {
        let s;
        let browser;
        before(async () => {
            s = await startServer(backend);
            browser = await launchChromium();
        });
        after(async () => {
            await browser?.close();
            await s?.close();
        });
        test('GET answers mode system, and the page shows no buttons', async () => {
            assert.equal((await serverClock(s.url)).mode, 'system');
            const page = await browser.newPage();
            const answered = page.waitForResponse((r) => r.url().endsWith('/_iot-jobs/clock') && r.request().method() === 'GET');
            await signIn(page, s.url);
            const res = await answered;
            assert.equal(res.status(), 200);
            assert.equal((await res.json()).mode, 'system');
            await eventually(async () => page.locator('#clock').isHidden(), 5_000, 'the clock hidden');
            assert.equal(await page.locator('#clock button').count(), 0);
        });
    });
}
//# sourceMappingURL=clock-buttons.test.js.map