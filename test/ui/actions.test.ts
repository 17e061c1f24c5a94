import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  AddThingToThingGroupCommand,
  CreateCommandCommand,
  CreateJobCommand,
  CreateJobTemplateCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DescribeEventConfigurationsCommand,
  DescribeJobCommand,
  DescribeJobExecutionCommand,
  GetJobDocumentCommand,
  UpdateIndexingConfigurationCommand,
} from '@aws-sdk/client-iot';
import { StartCommandExecutionCommand, StartNextPendingJobExecutionCommand, UpdateJobExecutionCommand } from '@aws-sdk/client-iot-jobs-data-plane';
import type { Browser, Page } from 'playwright-core';
import { ACCOUNT, eventually, groupArn, REGION, startServer, thingArn, type TestServer } from '../support/harness.js';
import { launchChromium } from '../support/browser.js';
import { Device } from '../support/device.js';

/**
 * The dashboard as a place to act from (issue 28 §3), the progress against the targets (§1) and
 * the live event feed (issue 21 §4), black-box in Chromium against a real server on the manual
 * clock with its embedded broker. The screenshots go to docs/img/ (docs/dashboard.md shows them)
 * when IOT_JOBS_DOC_SCREENSHOTS is set, else to the temp folder.
 */
const GROUP = 50;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SHOTS = process.env.IOT_JOBS_DOC_SCREENSHOTS ?? join(process.env.IOT_JOBS_TEST_SCREENSHOTS ?? '/tmp/iot-jobs-screenshots');

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

/** The page fits the window's width: nothing wider than the viewport (a phone must not scroll sideways). */
async function noOverflow(page: Page, what: string): Promise<void> {
  const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })');
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide in a ${client} px window`);
}

/** Answers the open confirmation: OK (or Back), after checking its title. */
async function confirm(page: Page, title: RegExp, ok = true, force?: boolean, shot?: string): Promise<void> {
  const dialog = page.locator('dialog.confirm[open]');
  await dialog.waitFor();
  assert.match((await dialog.locator('h2').textContent()) ?? '', title);
  if (force !== undefined) await dialog.locator('input[name=force]').setChecked(force);
  if (shot) await shoot(page, shot);
  await dialog.locator(ok ? 'button.ok' : 'button.cancel').click();
  await dialog.waitFor({ state: 'detached' });
}

const stat = (page: Page, k: string) => page.locator(`.live .targets li[data-k=${k}] b`);

describe('dashboard actions and views in headless Chromium [sqlite, manual clock]', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const devices: Device[] = [];
  before(async () => {
    s = await startServer('sqlite', { clock: 'manual', mqttPort: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: DESKTOP });
    page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
    await s.iot.send(new CreateThingGroupCommand({ thingGroupName: 'ui-fifty' }));
    for (let i = 0; i < GROUP; i++) {
      const thingName = `ui-g${String(i).padStart(2, '0')}`;
      await s.iot.send(new CreateThingCommand({ thingName }));
      await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'ui-fifty', thingName }));
    }
    await page.goto(`${s.url}/ui/`);
    await page.fill('input[name=accessKeyId]', 'test');
    await page.fill('input[name=secretAccessKey]', 'test');
    await page.click('form.signin button[type=submit]');
    await page.locator('h1', { hasText: 'Jobs' }).waitFor();
  });
  after(async () => {
    for (const d of devices) await d.client.endAsync().catch(() => undefined);
    await browser?.close();
    await s?.close();
  });

  test('create a job from the form (targets, document, rollout, abort, timeout), after a confirmation; Back creates nothing', async () => {
    await page.click('a.button:has-text("Create job")');
    await page.locator('h1', { hasText: 'Create a job' }).waitFor();
    await page.fill('input[name=jobId]', 'ui-paced');
    await page.fill('input[name=description]', 'firmware 3.1 for the fifty');
    await page.fill('input[name=groups]', 'ui-fifty');
    await page.fill('textarea[name=document]', '{"operation":"update","version":"3.1"}');
    await page.fill('input[name=maximumPerMinute]', '10');
    await page.selectOption('select[name=abortFailureType]', 'FAILED');
    await page.fill('input[name=thresholdPercentage]', '30');
    await page.fill('input[name=minNumberOfExecutedThings]', '5');
    await page.fill('input[name=inProgressTimeoutInMinutes]', '5');
    await shoot(page, 'dashboard-create');
    await page.click('form.create button[type=submit]');
    await confirm(page, /Create job ui-paced/, false);
    await assert.rejects(s.iot.send(new DescribeJobCommand({ jobId: 'ui-paced' })), { name: 'ResourceNotFoundException' });
    await page.click('form.create button[type=submit]');
    await confirm(page, /Create job ui-paced/);
    await page.locator('.view.job h1', { hasText: 'ui-paced' }).waitFor();
    const job = (await s.iot.send(new DescribeJobCommand({ jobId: 'ui-paced' }))).job!;
    assert.deepEqual(job.targets, [groupArn('ui-fifty')]);
    assert.equal(job.description, 'firmware 3.1 for the fifty');
    assert.equal(job.jobExecutionsRolloutConfig?.maximumPerMinute, 10);
    assert.deepEqual(job.abortConfig?.criteriaList, [{ failureType: 'FAILED', action: 'CANCEL', thresholdPercentage: 30, minNumberOfExecutedThings: 5 }]);
    assert.equal(job.timeoutConfig?.inProgressTimeoutInMinutes, 5);
    assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: 'ui-paced' }))).document, '{"operation":"update","version":"3.1"}');
  });

  test('progress against the targets: a paced 50-thing group shows targeted, not started, notified, done and the pace; the list reads x / 50', async () => {
    await eventually(async () => (await stat(page, 'notified').textContent()) === '10', 15_000, '10 notified in the first minute');
    assert.equal(await stat(page, 'targeted').textContent(), String(GROUP));
    assert.equal(await stat(page, 'not-started').textContent(), '40');
    assert.equal(await stat(page, 'done').textContent(), '0');
    assert.equal(await stat(page, 'pace').textContent(), '10 a minute');
    // 50 left to do, not "10 still open": the phase bar is against the targets.
    await page.locator('.live .left[data-left="50"]').waitFor();
    assert.equal(await page.locator('.live .phase-bar').getAttribute('aria-valuenow'), '0');
    // Timeouts, retries and the rollout in words, not JSON.
    await page.locator('.config dd[data-key=timeout]', { hasText: 'IN_PROGRESS 5 minutes after it started times out' }).waitFor();
    await page.locator('.config dd[data-key=rollout]', { hasText: 'At most 10 things notified a minute' }).waitFor();
    await page.locator('.config dd[data-key=retries]', { hasText: 'No retries' }).waitFor();
    // The abort criterion as a gauge: 0 % of 0, 5 more executions to go before it may fire.
    const gauge = page.locator('.abort .gauge[data-failure-type=FAILED]');
    await gauge.waitFor();
    assert.equal(await gauge.getAttribute('data-left'), '5');
    await page.goto(`${s.url}/ui/#/`);
    await page.locator('tr[data-job=ui-paced] td.num', { hasText: `0 / ${GROUP}` }).waitFor();
    await page.locator('tr[data-job=ui-paced] td.description', { hasText: 'firmware 3.1 for the fifty' }).waitFor();
  });

  test('"next deadline" moves the manual clock to the next rollout step, after a confirmation', async () => {
    await page.goto(`${s.url}/ui/#/jobs/ui-paced`);
    await eventually(async () => (await stat(page, 'notified').textContent()) === '10', 15_000, '10 notified');
    const next = await eventually(async () => (await page.locator('#clock button.clock-next').getAttribute('data-next')) || undefined, 15_000, 'a next deadline');
    const before = await page.locator('#clock .clock-now').getAttribute('data-now');
    assert.ok(Date.parse(next) > Date.parse(before!), `${next} is after ${before}`);
    // The job's next release is that deadline, a minute after the first, with the next 10.
    const release = page.locator('.live .targets li[data-k=next]');
    await eventually(async () => (await release.getAttribute('data-at')) === next, 15_000, 'the next release shown');
    assert.equal(Date.parse(next) - Date.parse((await s.iot.send(new DescribeJobCommand({ jobId: 'ui-paced' }))).job!.createdAt!.toISOString()), 60_000);
    assert.equal(await release.getAttribute('data-count'), '10');
    assert.match((await release.textContent()) ?? '', /^next release 10 at \d\d:\d\d:\d\d/);
    await page.click('#clock button.clock-next');
    await confirm(page, /next deadline/);
    await page.locator(`#clock .clock-now[data-now="${next}"]`).waitFor();
    await eventually(async () => (await stat(page, 'notified').textContent()) === '20', 15_000, '20 notified after the step');
    assert.equal(await stat(page, 'not-started').textContent(), '30');
  });

  test('events: off until turned on from the page (confirmed); then transitions caused through the SDK appear live', async () => {
    const feed = page.locator('section.events');
    await feed.locator('.events-off', { hasText: 'JOB and JOB_EXECUTION events are off' }).waitFor();
    await feed.locator('.feed-state[data-state=live]').waitFor({ timeout: 15_000 });
    await feed.locator('button.events-on').click();
    await confirm(page, /Turn job events on/);
    await eventually(async () => (await feed.getAttribute('data-events-on')) === 'true', 20_000, 'events on');
    const cfg = (await s.iot.send(new DescribeEventConfigurationsCommand({}))).eventConfigurations!;
    assert.equal(cfg.JOB?.Enabled, true);
    assert.equal(cfg.JOB_EXECUTION?.Enabled, true);

    // Devices work through their executions with the data-plane SDK: succeed, fail (with details), reject.
    const run = async (thingName: string, status: 'SUCCEEDED' | 'FAILED' | 'REJECTED', statusDetails?: Record<string, string>) => {
      const started = await s.data.send(new StartNextPendingJobExecutionCommand({ thingName, statusDetails: { step: 'download' } }));
      assert.equal(started.execution?.jobId, 'ui-paced');
      await s.data.send(new UpdateJobExecutionCommand({ thingName, jobId: 'ui-paced', status, statusDetails }));
    };
    await run('ui-g00', 'SUCCEEDED', { version: '3.1' });
    await run('ui-g01', 'SUCCEEDED');
    await run('ui-g02', 'FAILED', { reason: 'disk full' });
    await run('ui-g03', 'REJECTED', { reason: 'battery low' });
    await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-g04', statusDetails: { step: 'flashing' } }));
    await feed.locator('li[data-operation=succeeded][data-thing=ui-g00]').waitFor({ timeout: 15_000 });
    await feed.locator('li[data-operation=failed][data-thing=ui-g02]', { hasText: 'disk full' }).waitFor();
    await feed.locator('li[data-operation=rejected][data-thing=ui-g03]').waitFor();
  });

  test('the job page: status colours and statusDetails in the executions table, the gauge moves, the per-minute history chart', async () => {
    await page.locator('tr[data-thing=ui-g02] td.details', { hasText: 'reason=disk full' }).waitFor({ timeout: 15_000 });
    await page.locator('tr[data-thing=ui-g04] td.details', { hasText: 'step=flashing' }).waitFor();
    const colour = (status: string) =>
      page.locator(`[data-table=executions] .badge[data-status=${status}]`).first().evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    const [ok, failed, rejected, queued] = [await colour('SUCCEEDED'), await colour('FAILED'), await colour('REJECTED'), await colour('QUEUED')];
    assert.equal(new Set([ok, failed, rejected, queued]).size, 4, `four colours: ${ok} ${failed} ${rejected} ${queued}`);
    assert.equal(failed, 'rgb(220, 38, 38)');
    assert.equal(rejected, 'rgb(249, 115, 22)');
    assert.equal(ok, 'rgb(22, 163, 74)');
    // 1 failed of 4 executed: 25 % against 30 %, one more to finish before the minimum of 5.
    const gauge = page.locator('.abort .gauge[data-failure-type=FAILED]');
    await eventually(async () => (await gauge.getAttribute('data-rate')) === '25.0', 15_000, 'the gauge at 25 %');
    assert.equal(await gauge.getAttribute('data-left'), '1');
    // The chart counts the four finished executions in the minute they finished (it re-reads every 10 s).
    await eventually(async () => (await page.locator('.history .chart').getAttribute('data-total')) === '4', 30_000, 'the history chart');
    assert.equal(await page.locator('.history canvas').count(), 1);
    await page.locator('.history .u-legend', { hasText: 'rejected' }).waitFor();
    await noOverflow(page, 'job page (desktop)');
    await shoot(page, 'dashboard-job', true);
    await page.setViewportSize(PHONE);
    await page.locator('.history canvas').waitFor();
    await noOverflow(page, 'job page (phone)');
    await shoot(page, 'dashboard-job-phone', true);
    await page.setViewportSize(DESKTOP);
  });

  test('an execution opens to its detail: versions, timestamps, status details, document; cancel and delete it with confirmations', async () => {
    await page.locator('tr[data-thing=ui-g02] a.open-execution').click();
    const view = page.locator('.view.execution[data-thing=ui-g02]');
    await view.waitFor();
    await view.locator('dd[data-key=reason]', { hasText: 'disk full' }).waitFor();
    const x = (await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'ui-paced', thingName: 'ui-g02' }))).execution!;
    assert.equal(await view.locator('dd[data-key=version]').textContent(), String(x.versionNumber));
    assert.equal(await view.locator('dd[data-key="execution number"]').textContent(), String(x.executionNumber));
    assert.match((await view.locator('dd[data-key=started]').textContent()) ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \((just now|\d+ (s|min) ago)\)$/);
    await view.locator('pre.document', { hasText: '"version": "3.1"' }).waitFor();
    assert.ok(await view.locator('button.act-cancel').isDisabled(), 'a finished execution cannot be canceled');
    await shoot(page, 'dashboard-execution');

    // An IN_PROGRESS one: cancel without force is refused (the error shows), with force it is canceled.
    await page.goto(`${s.url}/ui/#/jobs/ui-paced/things/ui-g04`);
    await page.locator('.view.execution .badge[data-status=IN_PROGRESS]').waitFor();
    await page.click('.view.execution button.act-cancel');
    await confirm(page, /Cancel the execution on ui-g04/, true, false);
    await page.locator('.view.execution .error', { hasText: 'InvalidStateTransition' }).waitFor();
    await page.click('.view.execution button.act-cancel');
    await confirm(page, /Cancel the execution on ui-g04/, true, true);
    await page.locator('.view.execution .badge[data-status=CANCELED]').waitFor();
    assert.equal((await s.iot.send(new DescribeJobExecutionCommand({ jobId: 'ui-paced', thingName: 'ui-g04' }))).execution?.forceCanceled, true);
    // A QUEUED one is canceled without force.
    await page.goto(`${s.url}/ui/#/jobs/ui-paced/things/ui-g05`);
    await page.locator('.view.execution .badge[data-status=QUEUED]').waitFor();
    await page.click('.view.execution button.act-cancel');
    await confirm(page, /Cancel the execution on ui-g05/, true, false);
    await page.locator('.view.execution .badge[data-status=CANCELED]').waitFor();
    // Delete: the finished one goes.
    await page.click('.view.execution button.act-delete');
    await confirm(page, /Delete execution #1 on ui-g05/, true, false);
    await page.locator('.view.execution .badge[data-status=GONE]').waitFor();
    await assert.rejects(s.iot.send(new DescribeJobExecutionCommand({ jobId: 'ui-paced', thingName: 'ui-g05' })), { name: 'ResourceNotFoundException' });
    // One still IN_PROGRESS needs force to be deleted.
    await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-g06' }));
    await page.goto(`${s.url}/ui/#/jobs/ui-paced/things/ui-g06`);
    await page.locator('.view.execution .badge[data-status=IN_PROGRESS]').waitFor();
    await page.click('.view.execution button.act-delete');
    await confirm(page, /Delete execution #1 on ui-g06/, true, true);
    await page.locator('.view.execution .badge[data-status=GONE]').waitFor();
  });

  test('cancel a job without force: the IN_PROGRESS ones are shown as going on, not "nothing left to do"; the feed shows the job canceled', async () => {
    await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-g07' }));
    await page.goto(`${s.url}/ui/#/jobs/ui-paced`);
    await page.locator('.view.job .title-row .badge[data-status=IN_PROGRESS]').waitFor();
    await page.click('.view.job button.act-cancel');
    await confirm(page, /Cancel job ui-paced/, true, false, 'dashboard-confirm');
    await page.locator('.view.job .title-row .badge[data-status=CANCELED]').waitFor();
    await page.locator('.live .phase.p-canceled', { hasText: 'still IN_PROGRESS' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.live .left').getAttribute('data-left'), '1');
    await page.locator('section.events li[data-kind=job][data-operation=canceled]').waitFor({ timeout: 15_000 });
    await shoot(page, 'dashboard-canceled');
    // A CANCELED job is deleted without force (AWS asks for force only while the job is IN_PROGRESS).
    await page.click('.view.job button.act-delete');
    await confirm(page, /Delete job ui-paced/, true, false);
    await page.locator('.badge[data-status=GONE]').waitFor({ timeout: 30_000 });
    await assert.rejects(s.iot.send(new DescribeJobCommand({ jobId: 'ui-paced' })), { name: 'ResourceNotFoundException' });
  });

  test('delete without force is refused while the job is IN_PROGRESS; cancel with force, then delete with force', async () => {
    await s.iot.send(new CreateThingCommand({ thingName: 'ui-solo' }));
    await s.iot.send(new CreateJobCommand({ jobId: 'ui-force', targets: [thingArn('ui-solo')], document: '{}' }));
    await s.data.send(new StartNextPendingJobExecutionCommand({ thingName: 'ui-solo' }));
    await page.goto(`${s.url}/ui/#/jobs/ui-force`);
    await page.locator('.live .legend li[data-state=IN_PROGRESS] b', { hasText: '1' }).waitFor();
    await page.click('.view.job button.act-delete');
    await confirm(page, /Delete job ui-force/, true, false);
    await page.locator('.view.job .error', { hasText: 'InvalidStateTransition' }).waitFor();
    assert.equal((await s.iot.send(new DescribeJobCommand({ jobId: 'ui-force' }))).job?.status, 'IN_PROGRESS');
    await page.click('.view.job button.act-cancel');
    await confirm(page, /Cancel job ui-force/, true, true);
    await page.locator('.live .legend li[data-state=CANCELED] b', { hasText: '1' }).waitFor({ timeout: 15_000 });
    assert.equal((await s.iot.send(new DescribeJobCommand({ jobId: 'ui-force' }))).job?.forceCanceled, true);
    await page.locator('.live .phase.p-done').waitFor();
    await page.click('.view.job button.act-delete');
    await confirm(page, /Delete job ui-force/, true, true);
    await page.locator('.badge[data-status=GONE]').waitFor({ timeout: 30_000 });
  });

  test('create a job from a template', async () => {
    await s.iot.send(
      new CreateJobTemplateCommand({ jobTemplateId: 'ui-tpl', description: 'reboot template', document: '{"operation":"reboot"}', timeoutConfig: { inProgressTimeoutInMinutes: 7 } }),
    );
    await page.goto(`${s.url}/ui/#/create`);
    await page.locator('select[name=template] option', { hasText: 'ui-tpl' }).waitFor({ state: 'attached' });
    await page.fill('input[name=jobId]', 'ui-from-tpl');
    await page.fill('input[name=things]', 'ui-solo');
    await page.selectOption('select[name=template]', { label: 'ui-tpl' });
    assert.equal(await page.inputValue('textarea[name=document]'), '', 'a template empties the document field');
    await page.click('form.create button[type=submit]');
    await confirm(page, /Create job ui-from-tpl/);
    await page.locator('.view.job h1', { hasText: 'ui-from-tpl' }).waitFor();
    const job = (await s.iot.send(new DescribeJobCommand({ jobId: 'ui-from-tpl' }))).job!;
    assert.equal(job.jobTemplateArn, `arn:aws:iot:${REGION}:${ACCOUNT}:jobtemplate/ui-tpl`);
    assert.equal(job.timeoutConfig?.inProgressTimeoutInMinutes, 7);
    assert.equal((await s.iot.send(new GetJobDocumentCommand({ jobId: 'ui-from-tpl' }))).document, '{"operation":"reboot"}');
    await page.locator('pre.document', { hasText: '"operation": "reboot"' }).waitFor();
  });

  test('the thing page: attributes, type, groups, connected now and last seen, job and command executions', async () => {
    await s.iot.send(new UpdateIndexingConfigurationCommand({ thingIndexingConfiguration: { thingIndexingMode: 'REGISTRY', thingConnectivityIndexingMode: 'STATUS' } }));
    await s.iot.send(new CreateThingTypeCommand({ thingTypeName: 'ui-sensor' }));
    await s.iot.send(new CreateThingCommand({ thingName: 'ui-thing', thingTypeName: 'ui-sensor', attributePayload: { attributes: { model: 'X2', site: 'north' } } }));
    await s.iot.send(new AddThingToThingGroupCommand({ thingGroupName: 'ui-fifty', thingName: 'ui-thing' }));
    await s.iot.send(new CreateJobCommand({ jobId: 'ui-thing-job', targets: [thingArn('ui-thing')], document: '{}' }));
    await s.iot.send(new CreateCommandCommand({ commandId: 'ui-reboot', payload: { content: new TextEncoder().encode('{"do":"reboot"}'), contentType: 'application/json' } }));
    const { executionId } = await s.data.send(
      new StartCommandExecutionCommand({ commandArn: `arn:aws:iot:${REGION}:${ACCOUNT}:command/ui-reboot`, targetArn: thingArn('ui-thing'), executionTimeoutSeconds: 600 }),
    );
    const d = await Device.connect(s.app.mqttUrl!, 'ui-thing');
    devices.push(d);
    await page.goto(`${s.url}/ui/#/things/ui-thing`);
    const facts = page.locator('.view.thing');
    await facts.locator('dd[data-key=type]', { hasText: 'ui-sensor' }).waitFor();
    await facts.locator('dd[data-key=groups]', { hasText: 'ui-fifty' }).waitFor();
    await facts.locator('.attributes dd[data-key=model]', { hasText: 'X2' }).waitFor();
    await facts.locator('.attributes dd[data-key=site]', { hasText: 'north' }).waitFor();
    await facts.locator('dd[data-key=connected][data-value=yes]').waitFor({ timeout: 15_000 });
    await facts.locator('tr[data-job=ui-thing-job] .badge[data-status=QUEUED]').waitFor();
    await facts.locator(`tr[data-command-execution="${executionId}"]`, { hasText: 'ui-reboot' }).waitFor();
    await noOverflow(page, 'thing page (desktop)');
    await shoot(page, 'dashboard-thing');
    await d.client.endAsync();
    await facts.locator('dd[data-key=connected][data-value=no]').waitFor({ timeout: 15_000 });
    assert.match((await facts.locator('dd[data-key="last seen"]').textContent()) ?? '', /(just now|ago) \(\d{4}-/);
    await page.setViewportSize(PHONE);
    await noOverflow(page, 'thing page (phone)');
    await shoot(page, 'dashboard-thing-phone', true);
    await page.setViewportSize(DESKTOP);
  });

  test('the job list: description column, relative times, search by job id; phone layout', async () => {
    await page.goto(`${s.url}/ui/#/`);
    await page.locator('tr[data-job=ui-from-tpl]').waitFor();
    await page.locator('tr[data-job=ui-thing-job]').waitFor();
    assert.match((await page.locator('tr[data-job=ui-thing-job] td.time').first().textContent()) ?? '', /^(just now|\d+ (s|min) ago)$/);
    await shoot(page, 'dashboard-jobs');
    await page.fill('input[name=job-search]', 'tpl');
    await eventually(async () => (await page.locator('[data-table=jobs] tbody tr[data-job]').count()) === 1, 15_000, 'one job left by the search');
    assert.equal(await page.locator('[data-table=jobs] tbody tr[data-job]').getAttribute('data-job'), 'ui-from-tpl');
    await page.press('input[name=job-search]', 'Enter');
    await eventually(async () => (await page.evaluate<string>('location.hash')) === '#/jobs/tpl', 5_000, 'Enter opens the job by id');
    await page.goto(`${s.url}/ui/#/`);
    await page.setViewportSize(PHONE);
    await page.locator('tr[data-job=ui-from-tpl]').waitFor();
    await noOverflow(page, 'job list (phone)');
    await shoot(page, 'dashboard-jobs-phone', true);
    await page.goto(`${s.url}/ui/#/create`);
    await page.locator('form.create').waitFor();
    await noOverflow(page, 'create form (phone)');
    await page.setViewportSize(DESKTOP);
  });
});
