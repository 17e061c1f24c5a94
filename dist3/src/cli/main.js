#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, quotaProfile, resolveConfig } from '../config/config.js';
import { profileText } from '../quotas/profile.js';
import { startApp } from '../app.js';
import { Store } from '../store/store.js';
import { putObject } from '../s3/objects.js';
import { MAX_OBJECT_BYTES } from '../s3/route.js';
import { systemClock } from '../clock.js';
import { addOperatorCommands } from './operator.js';
import { clockRequest, parseDuration } from './clock-client.js';
import { CA_PEM_PATH } from '../http/server.js';
import { addIamCommands } from './iam.js';
import { IamFileError } from '../iam/users.js';
import { iotClient, resolved } from './aws.js';
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
/** One line on stderr and the exit code: 2 for usage and configuration, 1 for anything else. */
function die(message, code) {
    process.stderr.write(`iot-jobs: error: ${message}\n`);
    process.exit(code);
}
const collect = (value, previous = []) => [...previous, value];
const program = new Command('iot-jobs')
    .description('Self-hosted, wire-compatible AWS IoT Jobs')
    .version(pkg.version)
    .exitOverride()
    .showSuggestionAfterError(true)
    // Commander puts its suggestion on a second line: keep the error one line.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? `iot-jobs: ${oneLine(s)}` : s) });
/** "error: unknown option '--prot'\n(Did you mean --port?)\n" as one line. */
function oneLine(s) {
    return `${s.replace(/\n\(Did you mean (.+)\?\)/, ' (did you mean $1?)').trimEnd()}\n`;
}
// `iot-jobs jobs show X | head`: a reader that stopped reading is not an error; stop quietly.
for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err) => {
        if (err.code === 'EPIPE')
            process.exit(0);
        throw err;
    });
program
    .command('serve')
    .description('run the HTTP API, the MQTT broker (or a client of one) and the background worker')
    .option('--host <host>', 'address to listen on (env IOT_JOBS_HOST)', undefined)
    .option('--port <port>', 'HTTP port, 0 for any free one (env IOT_JOBS_PORT; default 7020)')
    .option('--data-dir <dir>', 'directory of the SQLite file (env IOT_JOBS_DATA_DIR; default ./.iot-jobs)')
    .option('--database-url <url>', 'postgres:// URL: use PostgreSQL instead of SQLite (env IOT_JOBS_DATABASE_URL)')
    .option('--database-schema <name>', 'PostgreSQL schema to keep the tables in, created if missing (env IOT_JOBS_DATABASE_SCHEMA; default: the search_path)')
    .option('--db-pool-size <n>', 'PostgreSQL connections (env IOT_JOBS_DB_POOL_SIZE; default 10)')
    .option('--region <region>', 'region in ARNs and signatures (env IOT_JOBS_REGION; default us-east-1)')
    .option('--account-id <id>', 'account in ARNs (env IOT_JOBS_ACCOUNT_ID; default 000000000000)')
    .option('--credentials <KEY:SECRET>', 'accepted SigV4 key pair, repeatable (env IOT_JOBS_CREDENTIALS, comma-separated)', collect)
    .option('--deletion-rate <n>', 'job executions deleted per second by background deletion, 0 = unlimited (env IOT_JOBS_DELETION_RATE)')
    .option('--mqtt-port <port>', 'embedded MQTT broker port, 0 for any free one (env IOT_JOBS_MQTT_PORT; default 7021)')
    .addOption(new Option('--no-mqtt', 'run no embedded MQTT broker'))
    .option('--mqtt-url <url>', 'use an external MQTT broker, mqtt://host:port (env IOT_JOBS_MQTT_URL)')
    .option('--device-credentials <THING:PASSWORD>', 'MQTT username (thing name) and password, repeatable; *:PASSWORD for any thing (env IOT_JOBS_DEVICE_CREDENTIALS)', collect)
    .option('--mqtt-tls-cert <file>', "PEM server certificate (chain) of the MQTT TLS listener; default: issued by iot-jobs' own CA (env IOT_JOBS_MQTT_TLS_CERT)")
    .option('--mqtt-tls-key <file>', 'PEM private key of that certificate (env IOT_JOBS_MQTT_TLS_KEY)')
    .option('--mqtt-tls-port <port>', 'MQTT over TLS port, 0 for any free one, off for none (env IOT_JOBS_MQTT_TLS_PORT; default 7022, another free one if taken)')
    .option('--mqtt-tls-ca <file>', 'PEM CA of device certificates: devices must present one whose subject CN is their thing name (env IOT_JOBS_MQTT_TLS_CA)')
    .option('--log-level <level>', 'log level (env IOT_JOBS_LOG_LEVEL; default info)')
    .option('--s3-endpoint <url>', 'S3-compatible endpoint for presigned-URL placeholders and documentSource; default: iot-jobs serves the objects (env IOT_JOBS_S3_ENDPOINT)')
    .option('--s3-credentials <KEY:SECRET>', 'key pair for --s3-endpoint; default: the first --credentials pair (env IOT_JOBS_S3_CREDENTIALS)')
    .option('--log-format <format>', 'pretty or json (env IOT_JOBS_LOG_FORMAT; default pretty on a terminal, json otherwise)')
    .option('--clock <mode>', 'system, or manual: time moves only through POST /_iot-jobs/clock (env IOT_JOBS_CLOCK; default system)')
    .option('--quotas <aws|off|file>', "AWS's request rates and job quotas: aws (built in), off, or a JSON profile file (env IOT_JOBS_QUOTAS; default off)")
    .option('--iam-policies <file>', 'IAM users file: only its key pairs are accepted and every request is authorized by their policies; reloaded on SIGHUP and on change (env IOT_JOBS_IAM_POLICIES)')
    .action(async (flags) => {
    let config;
    try {
        config = resolveConfig(flags);
    }
    catch (err) {
        if (err instanceof ConfigError)
            die(err.message, 2);
        throw err;
    }
    // Signals are handled from the start: one that comes while the server starts (or right after
    // its ready line) stops it cleanly once it is up, instead of killing it half-way.
    let app;
    let stopping;
    let closing = false;
    const stop = (signal) => {
        // A second signal, while starting or closing: leave at once.
        if (closing || (stopping && !app))
            process.exit(1);
        stopping = signal;
        if (!app)
            return;
        closing = true;
        // A log line like every other: in JSON mode, JSON too.
        app.log.info({ signal }, 'iot-jobs shutting down');
        app.close().then(() => process.exit(0), (err) => die(`shutdown failed: ${err.message}`, 1));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    try {
        app = await startApp(config);
    }
    catch (err) {
        if (err instanceof IamFileError)
            die(err.message, 2);
        const e = err;
        if (e.code === 'EDATADIRLOCKED' || e.code === 'ECLOCKAHEAD')
            die(e.message, 2);
        // A --data-dir that cannot be made or opened is a bad flag value too.
        if (!config.databaseUrl && ['EACCES', 'ENOTDIR', 'EEXIST', 'EROFS', 'ENOENT', 'EPERM'].includes(e.code ?? ''))
            die(`--data-dir ${config.dataDir} cannot be used (${e.code})`, 2);
        if (e.code === 'EADDRINUSE')
            die(e.message.startsWith('MQTT') ? e.message : `port ${e.port ?? config.port} on ${config.host} is already in use`, 2);
        die(e.message ?? String(err), 1);
    }
    if (stopping)
        stop(stopping);
    if (app.iam)
        process.on('SIGHUP', () => app.iam.reload('SIGHUP'));
});
const files = program.command('files').description("objects iot-jobs serves itself for presigned-URL placeholders and documentSource (when no --s3-endpoint is given)");
files
    .command('put <bucket/key> <file>')
    .description('store a file as s3 object bucket/key, in the database that `serve` uses')
    .option('--data-dir <dir>', 'directory of the SQLite file (env IOT_JOBS_DATA_DIR; default ./.iot-jobs)')
    .option('--database-url <url>', 'postgres:// URL (env IOT_JOBS_DATABASE_URL)')
    .option('--content-type <type>', 'Content-Type to serve it with (default application/octet-stream)')
    .action(async (target, file, flags) => {
    const slash = target.indexOf('/');
    if (slash <= 0 || slash === target.length - 1)
        die(`the object must be given as bucket/key, not '${target}'`, 2);
    let body;
    try {
        body = readFileSync(file);
    }
    catch (err) {
        die(`cannot read ${file}: ${err.message}`, 2);
    }
    if (body.length > MAX_OBJECT_BYTES)
        die(`${file} is larger than ${MAX_OBJECT_BYTES} bytes`, 2);
    let config;
    try {
        config = resolveConfig({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, mqtt: false });
    }
    catch (err) {
        if (err instanceof ConfigError)
            die(err.message, 2);
        throw err;
    }
    const store = await Store.open({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: 1 });
    try {
        await putObject(store, { bucket: target.slice(0, slash), key: target.slice(slash + 1) }, body, flags.contentType, systemClock.now());
    }
    finally {
        await store.close();
    }
    process.stdout.write(`stored s3://${target} (${body.length} bytes)\n`);
});
program
    .command('ca')
    .description("print iot-jobs' CA certificate (PEM), the --ca_file of devices; GET /_iot-jobs/ca.pem, unsigned")
    .option('--endpoint-url <url>', 'server URL (env AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL; default http://127.0.0.1:7020)')
    .action(async (o) => {
    const url = o.endpointUrl ?? process.env.AWS_ENDPOINT_URL_IOT ?? process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:7020';
    let res;
    try {
        res = await fetch(new URL(CA_PEM_PATH, url));
    }
    catch (err) {
        die(`cannot reach ${url}: ${err.message}`, 1);
    }
    if (res.status !== 200)
        die(`${url} answered ${res.status} for ${CA_PEM_PATH}`, 1);
    process.stdout.write(await res.text());
});
addOperatorCommands(program);
program
    .command('quotas')
    .description('request rates and job quotas for serve --quotas')
    .command('show <profile>')
    .description('print a profile (aws, or a JSON file, checked) in the form --quotas FILE takes, ready to copy and edit')
    .action((name) => {
    try {
        const profile = quotaProfile(name);
        if (!profile)
            die(`'off' has no quotas to show; use aws or a file`, 2);
        process.stdout.write(profileText(profile));
    }
    catch (err) {
        if (err instanceof ConfigError)
            die(err.message, 2);
        throw err;
    }
});
addIamCommands(program, die);
const clockCmd = program
    .command('clock')
    .description('show or move the clock of a server started with --clock manual (GET/POST /_iot-jobs/clock)')
    .option('--endpoint-url <url>', 'server URL; else AWS_ENDPOINT_URL_IOT, AWS_ENDPOINT_URL or the profile\'s endpoint_url; default http://127.0.0.1:7020')
    .option('--region <region>', 'signing region; else AWS_REGION, AWS_DEFAULT_REGION or the profile\'s region; default us-east-1')
    .option('--profile <name>', 'a profile of ~/.aws/config and ~/.aws/credentials; else AWS_PROFILE or default');
/** Signed like `iot-jobs jobs`: the same endpoint, region and credentials resolution. */
async function clockCli(body) {
    const o = clockCmd.opts();
    let ep;
    try {
        const client = await iotClient({ ...o, output: 'json' });
        ep = await resolved(client);
        client.destroy();
    }
    catch (err) {
        die(err.message, 1);
    }
    let answer;
    try {
        answer = await clockRequest(ep, body);
    }
    catch (err) {
        die(`cannot reach ${ep.url}: ${err.message}`, 1);
    }
    if (answer.status !== 200)
        die(`${answer.status} ${String(answer.body.__type ?? answer.body.code ?? '')} ${String(answer.body.message ?? '')}`.trim(), 1);
    process.stdout.write(`${JSON.stringify(answer.body)}\n`);
}
clockCmd.command('show').description('print {"mode", "now"}').action(() => clockCli(undefined));
clockCmd
    .command('advance <duration>')
    .description('move a manual clock forward: 90s, 5m, 2h, 1d (or seconds); answers once the work due is done')
    .action((d) => {
    const seconds = parseDuration(d);
    if (seconds === undefined)
        die(`duration must look like 90s, 5m, 2h or 1d, not '${d}'`, 2);
    return clockCli({ advanceSeconds: seconds });
});
clockCmd
    .command('set <time>')
    .description('move a manual clock to an ISO-8601 time with a zone, not earlier than now')
    .action((t) => clockCli({ now: t }));
try {
    await program.parseAsync(process.argv);
}
catch (err) {
    if (err instanceof CommanderError)
        process.exit(err.exitCode === 0 ? 0 : 2);
    throw err;
}
//# sourceMappingURL=main.js.map