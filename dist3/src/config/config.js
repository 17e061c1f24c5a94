import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { awsProfile, parseProfile, ProfileError } from '../quotas/profile.js';
/** A configuration mistake: one line for the user, exit code 2. */
export class ConfigError extends Error {
}
function clockMode(raw, name = '--clock') {
    if (raw === undefined || raw === 'system')
        return 'system';
    if (raw === 'manual')
        return 'manual';
    throw new ConfigError(`${name} must be manual or system, not '${raw}'`);
}
/** `off` (default): no throttling, no job quotas; `aws`: the built-in profile; else a profile file. */
export function quotaProfile(raw) {
    if (raw === undefined || raw === 'off')
        return undefined;
    if (raw === 'aws')
        return awsProfile();
    let text;
    try {
        text = readFileSync(raw, 'utf8');
    }
    catch (err) {
        throw new ConfigError(`--quotas must be aws, off or a JSON file; cannot read ${raw} (${err.code ?? 'error'})`);
    }
    try {
        return parseProfile(JSON.parse(text));
    }
    catch (err) {
        if (err instanceof SyntaxError)
            throw new ConfigError(`--quotas ${raw}: not valid JSON (${err.message})`);
        if (err instanceof ProfileError)
            throw new ConfigError(`--quotas ${raw}: ${err.message}`);
        throw err;
    }
}
export const DEFAULT_PORT = 7020;
// Not 1883: a local Mosquitto usually has that one, and a device would then talk to the wrong broker.
export const DEFAULT_MQTT_PORT = 7021;
// Not 8883 either: a local Mosquitto may serve TLS there. 7022 follows the HTTP and MQTT ports.
export const DEFAULT_MQTT_TLS_PORT = 7022;
const DEV_CREDENTIAL = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Flag, else environment variable, else undefined. */
const pick = (flag, env) => (flag !== undefined ? flag : env !== undefined && env !== '' ? env : undefined);
/** What an error names: the flag when it was given, else the environment variable the value came from. */
const named = (flag, given, envName) => (given !== undefined ? flag : envName);
function integer(name, raw, dflt, min, max) {
    if (raw === undefined)
        return dflt;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
        throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'`);
    return Number(raw);
}
function credential(raw, name = '--credentials') {
    const i = raw.indexOf(':');
    // Never the value itself: it holds a secret.
    if (i <= 0 || i === raw.length - 1)
        throw new ConfigError(`${name} must look like KEY:SECRET`);
    return { accessKeyId: raw.slice(0, i), secretAccessKey: raw.slice(i + 1) };
}
/** THING:PASSWORD pairs for MQTT devices; the thing `*` stands for any thing. */
function deviceCredentials(raw, name) {
    const out = new Map();
    for (const r of raw) {
        const i = r.indexOf(':');
        const thing = r.slice(0, i);
        if (i <= 0 || i === r.length - 1 || !(thing === '*' || /^[a-zA-Z0-9:_-]{1,128}$/.test(thing)))
            throw new ConfigError(`${name} must look like THING_NAME:PASSWORD or *:PASSWORD`);
        out.set(thing, r.slice(i + 1));
    }
    return out;
}
function pemFile(name, path) {
    try {
        return readFileSync(path);
    }
    catch (err) {
        throw new ConfigError(`${name}: cannot read ${path} (${err.code ?? 'error'})`);
    }
}
/**
 * The embedded broker's TLS listener: on by default, with a server certificate from iot-jobs' own
 * CA unless one is given; optionally the CA of device certificates named by their CN.
 */
function mqttTls(flags, env, brokerOff) {
    const cert = pick(flags.mqttTlsCert, env.IOT_JOBS_MQTT_TLS_CERT);
    const key = pick(flags.mqttTlsKey, env.IOT_JOBS_MQTT_TLS_KEY);
    const ca = pick(flags.mqttTlsCa, env.IOT_JOBS_MQTT_TLS_CA);
    const port = pick(flags.mqttTlsPort, env.IOT_JOBS_MQTT_TLS_PORT);
    if ((cert === undefined) !== (key === undefined))
        throw new ConfigError('--mqtt-tls-cert and --mqtt-tls-key go together');
    if (brokerOff) {
        if (cert !== undefined || ca !== undefined || (port !== undefined && port !== 'off'))
            throw new ConfigError('--mqtt-tls-* configure the embedded broker; they do not go with --mqtt-url or --no-mqtt');
        return undefined;
    }
    if (port === 'off') {
        if (cert !== undefined || ca !== undefined)
            throw new ConfigError('--mqtt-tls-port off turns the TLS listener off; drop --mqtt-tls-cert, --mqtt-tls-key and --mqtt-tls-ca');
        return undefined;
    }
    return {
        port: integer(named('--mqtt-tls-port', flags.mqttTlsPort, 'IOT_JOBS_MQTT_TLS_PORT'), port, DEFAULT_MQTT_TLS_PORT, 0, 65535),
        movable: port === undefined,
        cert: cert === undefined ? undefined : pemFile(named('--mqtt-tls-cert', flags.mqttTlsCert, 'IOT_JOBS_MQTT_TLS_CERT'), cert),
        key: key === undefined ? undefined : pemFile(named('--mqtt-tls-key', flags.mqttTlsKey, 'IOT_JOBS_MQTT_TLS_KEY'), key),
        ca: ca === undefined ? undefined : pemFile(named('--mqtt-tls-ca', flags.mqttTlsCa, 'IOT_JOBS_MQTT_TLS_CA'), ca),
    };
}
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function logLevel(raw, name) {
    if (!LOG_LEVELS.includes(raw))
        throw new ConfigError(`${name} must be one of ${LOG_LEVELS.join(', ')}, not '${raw}'`);
    return raw;
}
export function isLoopback(host) {
    if (host === 'localhost')
        return true;
    if (isIP(host) === 4)
        return host.startsWith('127.');
    return host === '::1';
}
const LOG_FORMATS = ['pretty', 'json'];
/** pretty on a terminal, JSON for everything else (files, pipes, log collectors). */
function logFormat(raw, tty, name) {
    if (raw === undefined)
        return tty ? 'pretty' : 'json';
    if (!LOG_FORMATS.includes(raw))
        throw new ConfigError(`${name} must be pretty or json, not '${raw}'`);
    return raw;
}
export function resolveConfig(flags, env = process.env, tty = process.stdout.isTTY === true) {
    const host = pick(flags.host, env.IOT_JOBS_HOST) ?? '127.0.0.1';
    const port = integer(named('--port', flags.port, 'IOT_JOBS_PORT'), pick(flags.port, env.IOT_JOBS_PORT), DEFAULT_PORT, 0, 65535);
    const databaseUrl = pick(flags.databaseUrl, env.IOT_JOBS_DATABASE_URL);
    if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
        throw new ConfigError(`${named('--database-url', flags.databaseUrl, 'IOT_JOBS_DATABASE_URL')} must start with postgres:// or postgresql://`);
    const databaseSchema = pick(flags.databaseSchema, env.IOT_JOBS_DATABASE_SCHEMA);
    const schemaName = named('--database-schema', flags.databaseSchema, 'IOT_JOBS_DATABASE_SCHEMA');
    if (databaseSchema !== undefined && databaseUrl === undefined)
        throw new ConfigError(`${schemaName} needs --database-url (PostgreSQL)`);
    // PostgreSQL's unquoted identifiers; it goes into search_path, so nothing else is let through.
    if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_$]{0,62}$/.test(databaseSchema))
        throw new ConfigError(`${schemaName} must be a lower-case PostgreSQL name (a-z, 0-9, _; at most 63), not '${databaseSchema}'`);
    const accountId = pick(flags.accountId, env.IOT_JOBS_ACCOUNT_ID) ?? '000000000000';
    if (!/^\d{12}$/.test(accountId))
        throw new ConfigError(`${named('--account-id', flags.accountId, 'IOT_JOBS_ACCOUNT_ID')} must be 12 digits, not '${accountId}'`);
    const region = pick(flags.region, env.IOT_JOBS_REGION) ?? 'us-east-1';
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
        throw new ConfigError(`${named('--region', flags.region, 'IOT_JOBS_REGION')} must look like us-east-1, not '${region}'`);
    const credentialsFlag = flags.credentials?.length ? flags.credentials : undefined;
    const rawCredentials = credentialsFlag ?? (env.IOT_JOBS_CREDENTIALS ?? '').split(',').filter(Boolean);
    const credentials = rawCredentials.map((c) => credential(c, credentialsFlag ? '--credentials' : 'IOT_JOBS_CREDENTIALS'));
    const defaultCredentials = credentials.length === 0;
    const iamPolicies = pick(flags.iamPolicies, env.IOT_JOBS_IAM_POLICIES);
    // With a users file the API accepts only its keys: test/test then only presigns the server's own S3 URLs.
    if (defaultCredentials && iamPolicies === undefined && !isLoopback(host))
        throw new ConfigError(`refusing to listen on ${host} with the default development credentials; pass --credentials KEY:SECRET`);
    const mqttUrl = pick(flags.mqttUrl, env.IOT_JOBS_MQTT_URL);
    if (mqttUrl !== undefined && !/^mqtts?:\/\/[^/]+/.test(mqttUrl))
        throw new ConfigError(`${named('--mqtt-url', flags.mqttUrl, 'IOT_JOBS_MQTT_URL')} must look like mqtt://host:port, not '${mqttUrl}'`);
    const mqttPortRaw = pick(flags.mqttPort, env.IOT_JOBS_MQTT_PORT);
    const devicesFlag = flags.deviceCredentials?.length ? flags.deviceCredentials : undefined;
    const rawDevices = devicesFlag ?? (env.IOT_JOBS_DEVICE_CREDENTIALS ?? '').split(',').filter(Boolean);
    const devices = deviceCredentials(rawDevices, devicesFlag ? '--device-credentials' : 'IOT_JOBS_DEVICE_CREDENTIALS');
    const brokerOff = flags.mqtt === false || mqttUrl !== undefined;
    const tls = mqttTls(flags, env, brokerOff);
    // `--mqtt-port off` turns the plain listener off; with no TLS listener either, there is no broker.
    const plainOn = !brokerOff && mqttPortRaw !== 'off';
    // The plain listener is open without passwords. The TLS listener never is off loopback: a device
    // without a registered certificate (or one of --mqtt-tls-ca) then needs a password.
    const open = devices.size === 0 && plainOn;
    if (open && !isLoopback(host))
        throw new ConfigError(`refusing to run an open MQTT broker on ${host}; pass --device-credentials THING:PASSWORD, or --mqtt-port off to serve devices with certificates over TLS only (or --no-mqtt)`);
    const s3Endpoint = pick(flags.s3Endpoint, env.IOT_JOBS_S3_ENDPOINT);
    if (s3Endpoint !== undefined && !/^https?:\/\/[^/]+/.test(s3Endpoint))
        throw new ConfigError(`${named('--s3-endpoint', flags.s3Endpoint, 'IOT_JOBS_S3_ENDPOINT')} must look like http://host:port, not '${s3Endpoint}'`);
    const s3Raw = pick(flags.s3Credentials, env.IOT_JOBS_S3_CREDENTIALS);
    return {
        s3Endpoint: s3Endpoint?.replace(/\/+$/, ''),
        s3Credentials: s3Raw === undefined ? undefined : credential(s3Raw, named('--s3-credentials', flags.s3Credentials, 'IOT_JOBS_S3_CREDENTIALS')),
        host,
        port,
        dataDir: pick(flags.dataDir, env.IOT_JOBS_DATA_DIR) ?? './.iot-jobs',
        databaseUrl,
        databaseSchema,
        dbPoolSize: integer(named('--db-pool-size', flags.dbPoolSize, 'IOT_JOBS_DB_POOL_SIZE'), pick(flags.dbPoolSize, env.IOT_JOBS_DB_POOL_SIZE), 10, 1, 1000),
        region,
        accountId,
        credentials: defaultCredentials ? [DEV_CREDENTIAL] : credentials,
        defaultCredentials,
        deletionRate: integer(named('--deletion-rate', flags.deletionRate, 'IOT_JOBS_DELETION_RATE'), pick(flags.deletionRate, env.IOT_JOBS_DELETION_RATE), 0, 0, 1_000_000),
        mqttPort: plainOn ? integer(named('--mqtt-port', flags.mqttPort, 'IOT_JOBS_MQTT_PORT'), mqttPortRaw, DEFAULT_MQTT_PORT, 0, 65535) : undefined,
        mqttTls: tls,
        mqttUrl,
        deviceCredentials: devices,
        logLevel: logLevel(pick(flags.logLevel, env.IOT_JOBS_LOG_LEVEL) ?? 'info', named('--log-level', flags.logLevel, 'IOT_JOBS_LOG_LEVEL')),
        logFormat: logFormat(pick(flags.logFormat, env.IOT_JOBS_LOG_FORMAT), tty, named('--log-format', flags.logFormat, 'IOT_JOBS_LOG_FORMAT')),
        clock: clockMode(pick(flags.clock, env.IOT_JOBS_CLOCK), named('--clock', flags.clock, 'IOT_JOBS_CLOCK')),
        quotas: quotaProfile(pick(flags.quotas, env.IOT_JOBS_QUOTAS)),
        iamPolicies,
    };
}
//# sourceMappingURL=config.js.map