import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
/** Debian's Chromium (.ci/run installs it); playwright-core downloads no browser of its own. */
export const CHROMIUM = process.env.IOT_JOBS_TEST_CHROMIUM ?? '/usr/bin/chromium';
export function launchChromium() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        // No sandbox as root; no calls home (this machine has no network, and they slow the start).
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
}
/** Where the browser tests write their screenshots (IOT_JOBS_TEST_SCREENSHOTS, or a temp folder). */
export function screenshotDir() {
    const dir = process.env.IOT_JOBS_TEST_SCREENSHOTS ?? join(tmpdir(), 'iot-jobs-screenshots');
    mkdirSync(dir, { recursive: true });
    return dir;
}
//# sourceMappingURL=browser.js.map