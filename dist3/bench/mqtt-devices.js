/**
 * MQTT device load (issue 3 targets).
 *   node dist/bench/mqtt-devices.js --devices 1000,10000 --rounds 3 [--protocol 5]
 * The server runs as its own process (SQLite, embedded broker). N simulated devices (mqtt.js, one
 * connection each, client id = thing name) are in one group. Each round creates one job on the
 * group; every device waits for notify-next, then runs start-next → update IN_PROGRESS → update
 * SUCCEEDED. Recorded per round: completed cycles per second (first start-next to last SUCCEEDED)
 * and the latency from sending CreateJob to each device's notify-next. A first warm-up round (JIT,
 * caches) is printed but left out of the medians.
 */
import { benchArgs } from './args.js';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { CreateJobCommand } from '@aws-sdk/client-iot';
import { Store } from '../src/store/store.js';
import { clients } from '../test/support/harness.js';
import { spawnServer } from '../test/support/process.js';
import { machine, median, percentile, processCpuMs, seedGroup, tmpDir } from './support.js';
import { SimDevice } from './sim-device.js';
const { values } = benchArgs('MQTT device load: N simulated devices each run start-next, update IN_PROGRESS, update SUCCEEDED after one CreateJob on their group; cycles per second and notify-next latency per round.', {
    options: {
        devices: { type: 'string', default: '1000' },
        rounds: { type: 'string', default: '3' },
        // The devices' MQTT version: 4 (3.1.1) or 5.
        protocol: { type: 'string', default: '4' },
    },
}, {
    devices: 'comma-separated numbers of devices',
    rounds: 'measured rounds (after one warm-up round)',
    protocol: "the devices' MQTT version: 4 (3.1.1) or 5",
});
const sizes = values.devices.split(',').map(Number);
const rounds = Number(values.rounds);
const protocolVersion = Number(values.protocol);
async function connectAll(url, things, make) {
    for (let i = 0; i < things.length; i += 250) {
        await Promise.all(things.slice(i, i + 250).map(async (t) => {
            const c = await mqtt.connectAsync(url, { clientId: t, reconnectPeriod: 0, keepalive: 600, protocolVersion });
            await c.subscribeAsync([`$aws/things/${t}/jobs/notify-next`, `$aws/things/${t}/jobs/start-next/+`, `$aws/things/${t}/jobs/+/update/+`]);
            make(t, c);
        }));
    }
}
async function measure(n) {
    const dataDir = tmpDir();
    const store = await Store.open({ dataDir });
    await seedGroup(store, 'fleet', n);
    await store.close();
    const server = await spawnServer(['--data-dir', dataDir]);
    const { iot } = clients(server.url);
    const things = Array.from({ length: n }, (_, i) => `fleet-${String(i).padStart(8, '0')}`);
    let createdAt = 0;
    let notifyLatencies = [];
    let firstStart = 0;
    let done = 0;
    let rejected = 0;
    let lastDone = 0;
    let allDone = () => { };
    const hooks = {
        notified: () => notifyLatencies.push(performance.now() - createdAt),
        started: () => {
            if (firstStart === 0)
                firstStart = performance.now();
        },
        done: () => {
            lastDone = performance.now();
            if (++done === n)
                allDone();
        },
        rejected: () => {
            rejected++;
        },
    };
    const devices = [];
    await connectAll(server.mqttUrl, things, (t, c) => {
        devices.push(c);
        new SimDevice(t, c, hooks);
    });
    const results = [];
    try {
        for (let r = 0; r <= rounds; r++) {
            notifyLatencies = [];
            firstStart = 0;
            done = 0;
            rejected = 0;
            const finished = new Promise((resolve, reject) => {
                allDone = resolve;
                setTimeout(() => reject(new Error(`round ${r}: only ${done} of ${n} cycles completed in 120 s`)), 120_000).unref();
            });
            const cpu0 = { server: processCpuMs(server.child.pid), client: process.cpuUsage() };
            createdAt = performance.now();
            const answered = iot.send(new CreateJobCommand({ jobId: `bench-${r}`, targets: ['arn:aws:iot:us-east-1:000000000000:thinggroup/fleet'], document: '{"op":"fw"}' }));
            const createJobMs = await answered.then(() => performance.now() - createdAt);
            await finished;
            const clientUs = process.cpuUsage(cpu0.client);
            const round = {
                serverCpu: (processCpuMs(server.child.pid) - cpu0.server) / n,
                clientCpu: (clientUs.user + clientUs.system) / 1000 / n,
                cyclesPerSec: n / ((lastDone - firstStart) / 1000),
                notifyP50: percentile(notifyLatencies, 50),
                notifyP99: percentile(notifyLatencies, 99),
                notifyMin: Math.min(...notifyLatencies),
                createJobMs,
                rejected,
            };
            if (r > 0)
                results.push(round);
            console.error(`  ${n} devices, ${r === 0 ? 'warm-up round' : `round ${r}`}: ${round.cyclesPerSec.toFixed(0)} cycles/s, CreateJob ${round.createJobMs.toFixed(1)} ms, notify-next min ${round.notifyMin.toFixed(1)} p50 ${round.notifyP50.toFixed(1)} ms, p99 ${round.notifyP99.toFixed(1)} ms, rejected ${rejected}, CPU ms/cycle server ${round.serverCpu.toFixed(2)} client ${round.clientCpu.toFixed(2)}`);
            await new Promise((res) => setTimeout(res, 500));
        }
    }
    finally {
        await Promise.all(devices.map((c) => c.endAsync(true)));
        iot.destroy();
        server.child.kill('SIGTERM');
        await server.exited;
    }
    return results;
}
console.log(`# MQTT device load, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'} devices — ${machine()} — ${new Date().toISOString()}`);
console.log('| devices | cycles/s (median) | notify-next p50 ms | notify-next p99 ms | server CPU ms/cycle | client CPU ms/cycle | rejected | rounds |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) {
    const rs = await measure(n);
    console.log(`| ${n} | ${median(rs.map((r) => r.cyclesPerSec)).toFixed(0)} | ${median(rs.map((r) => r.notifyP50)).toFixed(1)} | ${median(rs.map((r) => r.notifyP99)).toFixed(1)} | ${median(rs.map((r) => r.serverCpu)).toFixed(2)} | ${median(rs.map((r) => r.clientCpu)).toFixed(2)} | ${rs.reduce((a, r) => a + r.rejected, 0)} | ${rs.length} |`);
}
//# sourceMappingURL=mqtt-devices.js.map