import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
/** test/support/sdk-mqtt5-device.ts: aws-iot-device-sdk-v2's Mqtt5Client + IotJobsClientv2 in its own process. */
const DEVICE = fileURLToPath(new URL('./sdk-mqtt5-device.js', import.meta.url));
/** Runs the device; calls `onReady` once it is subscribed; resolves with every step it printed. */
export function runSdkDevice(env, onReady) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [DEVICE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        const steps = [];
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d.toString()));
        const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
            const s = JSON.parse(line);
            steps.push(s);
            if (s.step === 'ready')
                onReady().catch(reject);
        });
        child.on('exit', (code) => {
            clearTimeout(killer);
            const failed = steps.find((s) => s.step === 'error');
            if (code !== 0 || failed)
                reject(new Error(`device exited ${code}: ${JSON.stringify(steps)} ${stderr.slice(-2000)}`));
            else
                resolve(steps);
        });
    });
}
export const step = (steps, name) => {
    const s = steps.find((x) => x.step === name);
    assert.ok(s, `step ${name} in ${JSON.stringify(steps)}`);
    return s;
};
//# sourceMappingURL=sdk-device-run.js.map