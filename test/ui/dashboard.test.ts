import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  AddThingToThingGroupCommand,
  CancelJobCommand,
  CreateJobCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteJobCommand,
  DescribeJobCommand,
} from '@aws-sdk/client-iot';
import { StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import type { Browser, Page } from 'playwright-core';
import { BACKENDS, eventually, groupArn, startServer, thingArn, type TestServer } from '../support/harness.js';
import { launchChromium, screenshotDir } from '../support/browser.js';

/** Executions in the job whose forced deletion the page must count down (slowed by --deletion-rate). */
const FLEET = 1500;
const DELETION_RATE = 250;

async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) await fn(items[i++]!);
  }));
}

async function signIn(page: Page, url: string, secret: string): Promise<void> {
  await page.goto(`${url}/ui/`);
  await page.fill('input[name=accessKeyId]', 'test');
  await page.fill('input[name=secretAccessKey]', secret);
  await page.click('form.signin button[type=submit]');
}

const legendCount = (page: Page, state: string) => page.locator(`.live .legend li[data-state=${state}] b`);

for (const backend of BACKENDS) {
  describe(`dashboard in headless Chromium [${backend}]`, () => {
    let s: TestServer;
    let browser: Browser;
    let page: Page;
    before(async () => {
      s = await startServer(backend, { deletionRate: DELETION_RATE });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      // A signature failure or a script error in the page must fail the test, not hide.
      page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    });
    after(async () => {
      await browser?.close();
      await s?.close();
    });

    test('the page is static and served at /ui/; data calls stay signed', async () => {
      const res = await fetch(`${s.url}/ui`, { redirect: 'manual' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/ui/');
      const html = await (await fetch(`${s.url}/ui/`)).text();
      assert.match(html, /<script type="module"[^>]+src="\/ui\/assets\/[^"]+\.js"/);
      assert.equal((await fetch(`${s.url}/jobs`)).status, 403, 'an unsigned API call is still refused');
    });

    test('a wrong secret is refused; the right one signs in, once per browser session', async () => {
      await signIn(page, s.url, 'wrong');
      await page.locator('.signin .error').filter({ hasText: 'InvalidSignatureException' }).waitFor();
      await signIn(page, s.url, 'test');
      await page.locator('h1', { hasText: 'Jobs' }).waitFor();
      // Kept in sessionStorage: a reload does not ask again.
      await page.reload();
      await page.locator('h1', { hasText: 'Jobs' }).waitFor();
      assert.equal(await page.locator('form.signin').count(), 0);
    });

    test('a job created through the SDK appears, and its progress moves as a device finishes, without a reload', async () => {
      for (const n of ['ui-dev-1', 'ui-dev-2']) await s.iot.send(new CreateThingCommand({ thingName: n }));
      await s.iot.send(
        new CreateJobCommand({
          jobId: 'ui-fw-1',
          targets: [thingArn('ui-dev-1'), thingArn('ui-dev-2')],
          document: '{"op":"update","version":"2.0"}',
          description: 'firmware 2.0',
        }),
      );
      const row = page.locator('tr[data-job=ui-fw-1]');
      await row.locator('.badge', { hasText: 'IN_PROGRESS' }).waitFor();
      assert.equal(await row.locator('td.num').textContent(), '0 / 2');
      await row.locator('td:first-child a').click();
      await page.locator('.view.job h1', { hasText: 'ui-fw-1' }).waitFor();
      await page.locator('.config dd', { hasText: 'firmware 2.0' }).waitFor();
      await page.locator('pre.document', { hasText: '"version": "2.0"' }).waitFor();
      await page.locator('.live .left[data-left="2"]').waitFor();
      assert.equal(await legendCount(page, 'QUEUED').textContent(), '2');
      // Marks this document: a reload would lose the mark.
      await page.evaluate(() => ((globalThis as unknown as { mark: number }).mark = 42));

      const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-dev-1' }));
      assert.equal(started.execution?.jobId, 'ui-fw-1');
      await eventually(async () => (await legendCount(page, 'IN_PROGRESS').textContent()) === '1', 15_000, 'IN_PROGRESS 1 on the page');
      await s.data.send(new UpdateJobExecutionCommand({ thingName: 'ui-dev-1', jobId: 'ui-fw-1', status: 'SUCCEEDED' }));
      await eventually(async () => (await legendCount(page, 'SUCCEEDED').textContent()) === '1', 15_000, 'SUCCEEDED 1 on the page');
      await page.locator('.live .left[data-left="1"]').waitFor();
      // What a person sees: half the bar is the succeeded colour, half the queued one.
      await eventually(async () => {
        const bar = await page.locator('.live .bar').boundingBox();
        const ok = await page.locator('.live .bar .seg[data-state=SUCCEEDED]').boundingBox();
        const queued = await page.locator('.live .bar .seg[data-state=QUEUED]').boundingBox();
        return !!bar && !!ok && !!queued && Math.abs(ok.width - bar.width / 2) < 3 && Math.abs(queued.width - bar.width / 2) < 3;
      }, 15_000, 'a half-succeeded bar');
      assert.equal(await page.locator('.live .phase-bar').getAttribute('aria-valuenow'), '50');
      assert.equal(await legendCount(page, 'QUEUED').textContent(), '1');
      assert.equal(await page.evaluate(() => (globalThis as unknown as { mark?: number }).mark), 42, 'no reload happened');
      // The executions table follows too, and filters by status.
      await page.locator('tr[data-thing=ui-dev-1] .badge', { hasText: 'SUCCEEDED' }).waitFor();
      await page.selectOption('select[name=executions-status]', 'QUEUED');
      await eventually(async () => (await page.locator('[data-table=executions] tbody tr').count()) === 1 && page.locator('tr[data-thing=ui-dev-2]').count(), 15_000, 'only the queued one');
      await page.screenshot({ path: join(screenshotDir(), `job-${backend}.png`), fullPage: true });

      // A thing page lists that thing's executions.
      await page.selectOption('select[name=executions-status]', '');
      await page.locator('tr[data-thing=ui-dev-1] td:first-child a').click();
      await page.locator('.view.thing h1', { hasText: 'ui-dev-1' }).waitFor();
      await page.locator('tr[data-job=ui-fw-1] .badge', { hasText: 'SUCCEEDED' }).waitFor();

      // Back on the job, a CancelJob shows: the queued execution canceled, the succeeded one kept.
      await page.locator('tr[data-job=ui-fw-1] td:first-child a').click();
      await page.locator('.live .left[data-left="1"]').waitFor();
      await s.iot.send(new CancelJobCommand({ jobId: 'ui-fw-1' }));
      await page.locator('.title-row .badge[data-status=CANCELED]').waitFor();
      await eventually(async () => (await legendCount(page, 'CANCELED').textContent()) === '1', 15_000, 'CANCELED 1 on the page');
      assert.equal(await legendCount(page, 'SUCCEEDED').textContent(), '1');
      await page.locator('.phase.p-done').waitFor();
    });

    test('a forced deletion of a big job counts down, with rate and ETA, to gone; executions are paged', async () => {
      const names = Array.from({ length: FLEET }, (_, i) => `ui-fleet-${i}`);
      await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'ui-fleet' }));
      await pool(names, 8, async (thingName) => {
        await s.iot.send(new CreateThingCommand({ thingName }));
        await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'ui-fleet', thingName }));
      });
      await s.iot.send(new CreateJobCommand({ jobId: 'ui-big', targets: [groupArn('ui-fleet')], document: '{}' }));
      await eventually(async () => (await s.iot.send(new DescribeJobCommand({ jobId: 'ui-big' }))).job?.jobProcessDetails?.numberOfQueuedThings === FLEET, 60_000, 'the fan-out');

      // The list shows both jobs with their bars.
      await page.goto(`${s.url}/ui/#/`);
      await page.locator('tr[data-job=ui-big] td.num', { hasText: `0 / ${FLEET}` }).waitFor();
      await page.locator('tr[data-job=ui-fw-1] td.num', { hasText: '2 / 2' }).waitFor();
      await page.screenshot({ path: join(screenshotDir(), `jobs-${backend}.png`) });
      await page.goto(`${s.url}/ui/#/jobs/ui-big`);
      await page.locator(`.live .left[data-left="${FLEET}"]`).waitFor();
      // Paged: 25 a page, and the next page shows other things.
      await eventually(async () => (await page.locator('[data-table=executions] tbody tr').count()) === 25, 15_000, 'a full first page');
      const first = await page.locator('[data-table=executions] tbody tr').first().getAttribute('data-thing');
      await page.click('[data-table=executions] button.next');
      await page.locator('[data-table=executions] .page-info', { hasText: 'page 2' }).waitFor();
      await eventually(async () => (await page.locator('[data-table=executions] tbody tr').first().getAttribute('data-thing')) !== first, 15_000, 'page 2');
      await page.click('[data-table=executions] button.prev');
      await page.locator('[data-table=executions] .page-info', { hasText: 'page 1' }).waitFor();

      await s.iot.send(new DeleteJobCommand({ jobId: 'ui-big', force: true }));
      await page.locator('.badge[data-status=DELETION_IN_PROGRESS]').waitFor({ timeout: 15_000 });
      await page.locator('.phase.p-deleting').waitFor();
      // Watch the count fall: several distinct values, never rising, then the job is gone.
      const seen: number[] = [];
      let rateShown = false;
      let shot = false;
      await eventually(async () => {
        if (await page.locator('.badge[data-status=GONE]').count()) return true;
        const left = await page.locator('.live .left').getAttribute('data-left').catch(() => null);
        if (left !== null && Number(left) !== seen.at(-1)) seen.push(Number(left));
        const rate = (await page.locator('.live .rate').textContent().catch(() => '')) ?? '';
        if (/rate \d+(\.\d)?\/s · ETA \d+/.test(rate)) {
          rateShown = true;
          const pct = Number(await page.locator('.live .phase-bar').getAttribute('aria-valuenow').catch(() => 0));
          const fill = await page.locator('.live .phase-fill').boundingBox().catch(() => null);
          if (!shot && Number(left) < FLEET * 0.8 && pct > 0 && fill && fill.width > 0) {
            shot = true;
            await page.screenshot({ path: join(screenshotDir(), `deleting-${backend}.png`) });
          }
        }
        await new Promise((r) => setTimeout(r, 200));
        return false;
      }, 120_000, 'the job to be gone');
      assert.ok(seen.length >= 3, `the countdown showed several values: ${seen.join(', ')}`);
      for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! < seen[i - 1]!, `the count only falls: ${seen.join(', ')}`);
      assert.ok(rateShown, 'a rate and an ETA were shown while deleting');
      assert.ok(shot, 'the deletion bar filled while the count fell');
      await page.locator('.gone-text', { hasText: 'ui-big is gone' }).waitFor();
      await page.screenshot({ path: join(screenshotDir(), `gone-${backend}.png`) });
    });
  });
}
