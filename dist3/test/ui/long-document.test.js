import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CreateJobCommand, CreateThingCommand } from '@aws-sdk/client-iot';
import { startServer, thingArn } from '../support/harness.js';
import { launchChromium } from '../support/browser.js';
import { ROOT } from '../support/readme.js';
/**
 * A legal 32 KB job document on one line (issue 28) must not widen the job page: the document
 * panel wraps and scrolls, the configuration keeps its column, and a screenshot can be taken.
 * The screenshots go to docs/img/, at a desktop and at a phone size.
 */
describe('a job whose document is one 32 KB line, in headless Chromium', () => {
    let s;
    let browser;
    before(async () => {
        s = await startServer('sqlite');
        browser = await launchChromium();
        await s.iot.send(new CreateThingCommand({ thingName: 'operator-long-doc-1' }));
        // 32,768 characters in all, the most a document may have, and no line break.
        const document = JSON.stringify({ payload: `${'A1b2C3d4'.repeat(4094)}xy` });
        assert.equal(document.length, 32_768);
        await s.iot.send(new CreateJobCommand({ jobId: 'operator-long-doc', targets: [thingArn('operator-long-doc-1')], document, description: 'a document of one long line' }));
    });
    after(async () => {
        await browser?.close();
        await s?.close();
    });
    for (const [name, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
        test(`${name} ${viewport.width}x${viewport.height}: the page stays as wide as the window, the document wraps inside its panel`, async () => {
            const page = await browser.newPage({ viewport });
            page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
            await page.goto(`${s.url}/ui/`);
            await page.fill('input[name=accessKeyId]', 'test');
            await page.fill('input[name=secretAccessKey]', 'test');
            await page.click('form.signin button[type=submit]');
            await page.goto(`${s.url}/ui/#/jobs/operator-long-doc`);
            await page.locator('pre.document', { hasText: 'A1b2C3d4' }).waitFor({ timeout: 20_000 });
            const widths = (await page.evaluate(`({
        page: document.documentElement.scrollWidth,
        doc: document.querySelector('pre.document').getBoundingClientRect().width,
        config: document.querySelector('.config-box').getBoundingClientRect().width,
        wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${viewport.width} + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className),
      })`));
            assert.ok(widths.page <= viewport.width, `the page is ${widths.page} px wide in a ${viewport.width} px window: ${widths.wide.join(', ')}`);
            assert.ok(widths.doc <= viewport.width && widths.config >= Math.min(300, viewport.width - 60), JSON.stringify(widths));
            await page.screenshot({ path: join(ROOT, 'docs', 'img', `job-long-document-${name}.png`) });
            await page.close();
        });
    }
});
//# sourceMappingURL=long-document.test.js.map