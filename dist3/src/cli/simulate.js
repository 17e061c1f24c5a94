import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AddThingToThingGroupCommand, CreateThingCommand, CreateThingGroupCommand, ResourceAlreadyExistsException } from '@aws-sdk/client-iot';
import { SingleBar } from 'cli-progress';
import { Option } from 'commander';
import mqtt from 'mqtt';
import { action, customEndpoint, iotClient, UsageError, withAwsOptions } from './aws.js';
import { SimDevice } from './sim-device.js';
import { OUTCOMES, parseMix, parseRange } from './sim-mix.js';
import { answerCommands, noCommands } from './sim-commands.js';
/** Calls made at once while creating things and connecting devices. */
const PARALLEL = 16;
export function addSimulateCommand(program) {
    const cmd = program.command('simulate').description('a simulated fleet: creates (or reuses) N things and runs an MQTT device for each that works its jobs and answers its commands');
    withAwsOptions(cmd)
        .requiredOption('--things <n>', 'how many things (named PREFIX0001, PREFIX0002, ...)')
        .option('--group <name>', 'a thing group the things are put in (created if missing)')
        .option('--prefix <prefix>', 'thing name prefix', 'sim-')
        .option('--succeed <share>', 'share of executions that succeed (default: what the others leave)')
        .option('--fail <share>', 'share that fail (FAILED)')
        .option('--reject <share>', 'share that the device rejects (REJECTED)')
        .option('--hang <share>', 'share the device starts and then never answers, so that a timeout fires')
        .option('--work-time <seconds>', 'work time per execution, MIN-MAX seconds or one value', '1-5')
        .option('--seed <seed>', 'seed of the outcome and work time draws (default: random, printed)')
        .option('--mqtt-url <url>', 'broker: mqtt://, mqtts://, ws:// or wss:// (default: ws(s)://<endpoint>/mqtt, the embedded broker)')
        .option('--mqtt-ca <file>', 'PEM CA that signed the broker certificate (mqtts://, wss://)')
        .option('--mqtt-cert <file>', 'PEM device certificate; {thing} in the path stands for the thing name')
        .option('--mqtt-key <file>', 'PEM key of that certificate; {thing} as above')
        .addOption(new Option('--mqtt-password <password>', 'device password (username = thing name), as in --device-credentials *:PASSWORD').env('IOT_JOBS_MQTT_PASSWORD'))
        .option('--interval <seconds>', 'seconds between two lines of totals when not on a terminal', '1')
        .action(action(simulate));
}
async function simulate(flags) {
    const n = Number(flags.things);
    if (!Number.isInteger(n) || n < 1)
        throw new UsageError(`--things must be a positive whole number, got ${flags.things}`);
    const interval = Number(flags.interval);
    if (!Number.isFinite(interval) || interval <= 0)
        throw new UsageError(`--interval must be a positive number of seconds, got ${flags.interval}`);
    if (!flags.mqttCert !== !flags.mqttKey)
        throw new UsageError('--mqtt-cert and --mqtt-key go together');
    const mix = parseMix(flags);
    const workMs = parseRange(flags.workTime);
    const seed = flags.seed ?? randomBytes(4).toString('hex');
    const iot = await iotClient(flags);
    const url = flags.mqttUrl ?? (await defaultMqttUrl(iot));
    if (!/^(mqtts?|wss?):\/\//.test(url))
        throw new UsageError(`--mqtt-url must be mqtt://, mqtts://, ws:// or wss://, got ${url}`);
    const width = Math.max(4, String(n).length);
    const names = Array.from({ length: n }, (_, i) => `${flags.prefix}${String(i + 1).padStart(width, '0')}`);
    const info = (line) => process.stderr.write(`${line}\n`);
    const shares = OUTCOMES.map((o) => `${o} ${+mix[o].toFixed(4)}`).join(', ');
    info(`simulate: ${n} things ${names[0]}..${names.at(-1)}${flags.group ? ` in group ${flags.group}` : ''}; ${shares}; work ${flags.workTime} s; seed ${seed}`);
    await ensureThings(iot, names, flags.group);
    info(`simulate: things ready; connecting to ${url}`);
    const totals = { things: n, connected: 0, working: 0, started: 0, succeeded: 0, failed: 0, rejected: 0, hung: 0, interrupted: 0, ...noCommands() };
    const ca = flags.mqttCa ? readFileSync(flags.mqttCa) : undefined;
    const devices = [];
    await inParallel(names, async (thing) => {
        const opts = { clientId: thing, reconnectPeriod: 2000, connectTimeout: 10_000, ...(ca ? { ca } : {}) };
        if (flags.mqttPassword !== undefined)
            Object.assign(opts, { username: thing, password: flags.mqttPassword });
        if (flags.mqttCert && flags.mqttKey) {
            opts.cert = readFileSync(flags.mqttCert.replaceAll('{thing}', thing));
            opts.key = readFileSync(flags.mqttKey.replaceAll('{thing}', thing));
        }
        let client;
        try {
            client = await mqtt.connectAsync(url, opts, false);
        }
        catch (err) {
            throw new Error(`device ${thing} could not connect to ${url}: ${err.message}`);
        }
        const d = new SimDevice(thing, client, { seed, mix, workMs, totals });
        devices.push(d);
        await d.start();
        await answerCommands(thing, client, { seed, mix, workMs, totals }, totals);
    });
    info(`simulate: ${n} devices connected; Ctrl-C to stop`);
    const live = liveTotals(flags.output, interval, totals);
    await new Promise((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
    });
    live.stop();
    await Promise.allSettled(devices.map((d) => d.stop()));
    iot.destroy();
    process.exit(0);
}
/** The embedded broker's WebSocket listener, on the HTTP endpoint's own port. */
async function defaultMqttUrl(iot) {
    const endpoint = await customEndpoint(iot);
    if (!endpoint)
        throw new UsageError('--mqtt-url is needed when no endpoint URL is configured (AWS IoT itself: its data endpoint, with device certificates)');
    return `${endpoint.protocol === 'https:' ? 'wss' : 'ws'}://${endpoint.host}/mqtt`;
}
async function ensureThings(iot, names, group) {
    const reuse = (err) => {
        // Exists with another configuration (attributes, type): it is still that thing, reuse it.
        if (!(err instanceof ResourceAlreadyExistsException))
            throw err;
    };
    if (group)
        await iot.send(new CreateThingGroupCommand({ thingGroupName: group })).catch(reuse);
    await inParallel(names, async (thingName) => {
        await iot.send(new CreateThingCommand({ thingName })).catch(reuse);
        if (group)
            await iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName: group }));
    });
}
async function inParallel(items, fn) {
    let next = 0;
    const run = async () => {
        while (next < items.length)
            await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, run));
}
const FORMAT = 'devices {connected}/{things} | working {working} | started {started} | succeeded {succeeded} failed {failed} rejected {rejected} hung {hung} interrupted {interrupted} | commands {commands}: succeeded {commandsSucceeded} failed {commandsFailed} rejected {commandsRejected} hung {commandsHung}';
/** Totals redrawn in place on a terminal, one line per interval otherwise, or JSON lines. */
function liveTotals(output, interval, totals) {
    if (output === 'json') {
        const line = (final) => process.stdout.write(`${JSON.stringify({ ...totals, ...(final ? { final } : {}) })}\n`);
        line(false);
        const timer = setInterval(() => line(false), interval * 1000);
        return {
            stop() {
                clearInterval(timer);
                line(true);
            },
        };
    }
    const bar = new SingleBar({ format: FORMAT, stream: process.stdout, noTTYOutput: true, notTTYSchedule: interval * 1000, hideCursor: true });
    bar.start(totals.things, totals.connected, { ...totals });
    // The bar renders from its payload; refresh it as the devices count.
    const timer = setInterval(() => bar.update(totals.connected, { ...totals }), 100);
    return {
        stop() {
            clearInterval(timer);
            bar.update(totals.connected, { ...totals });
            bar.stop();
        },
    };
}
//# sourceMappingURL=simulate.js.map