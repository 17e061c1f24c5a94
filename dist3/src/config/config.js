import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { awsProfile, parseProfile, ProfileError } from '../quotas/profile.js';
/** A configuration mistake: one line for the user, exit code 2. */
export class ConfigError extends Error {
}
function clockMode(raw) {
    if (raw === undefined || raw === 'system')
        return 'system';
    if (raw === 'manual')
        return 'manual';
    throw new ConfigError(`--clock must be manual or system, not '${raw}'`);
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
function integer(name, raw, dflt, min, max) {
    if (raw === undefined)
        return dflt;
    if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max)
        throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'`);
    return Number(raw);
}
function credential(raw) {
    const i = raw.indexOf(':');
    if (i <= 0 || i === raw.length - 1)
        throw new ConfigError(`credentials must look like KEY:SECRET, not '${raw}'`);
    return { accessKeyId: raw.slice(0, i), secretAccessKey: raw.slice(i + 1) };
}
/** THING:PASSWORD pairs for MQTT devices; the thing `*` stands for any thing. */
function deviceCredentials(raw) {
    const out = new Map();
    for (const r of raw) {
        const i = r.indexOf(':');
        const thing = r.slice(0, i);
        if (i <= 0 || i === r.length - 1 || !(thing === '*' || /^[a-zA-Z0-9:_-]{1,128}$/.test(thing)))
            throw new ConfigError(`device credentials must look like THING_NAME:PASSWORD or *:PASSWORD, not '${r}'`);
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
        port: integer('--mqtt-tls-port', port, DEFAULT_MQTT_TLS_PORT, 0, 65535),
        movable: port === undefined,
        cert: cert === undefined ? undefined : pemFile('--mqtt-tls-cert', cert),
        key: key === undefined ? undefined : pemFile('--mqtt-tls-key', key),
        ca: ca === undefined ? undefined : pemFile('--mqtt-tls-ca', ca),
    };
}
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function logLevel(raw) {
    if (!LOG_LEVELS.includes(raw))
        throw new ConfigError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${raw}'`);
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
function logFormat(raw, tty) {
    if (raw === undefined)
        return tty ? 'pretty' : 'json';
    if (!LOG_FORMATS.includes(raw))
        throw new ConfigError(`--log-format must be pretty or json, not '${raw}'`);
    return raw;
}
export function resolveConfig(flags, env = process.env, tty = process.stdout.isTTY === true) {
    const host = pick(flags.host, env.IOT_JOBS_HOST) ?? '127.0.0.1';
    const port = integer('--port', pick(flags.port, env.IOT_JOBS_PORT), DEFAULT_PORT, 0, 65535);
    const databaseUrl = pick(flags.databaseUrl, env.IOT_JOBS_DATABASE_URL);
    if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl))
        throw new ConfigError(`--database-url must start with postgres:// or postgresql://`);
    const accountId = pick(flags.accountId, env.IOT_JOBS_ACCOUNT_ID) ?? '000000000000';
    if (!/^\d{12}$/.test(accountId))
        throw new ConfigError(`--account-id must be 12 digits, not '${accountId}'`);
    const region = pick(flags.region, env.IOT_JOBS_REGION) ?? 'us-east-1';
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
        throw new ConfigError(`--region must look like us-east-1, not '${region}'`);
    const rawCredentials = flags.credentials?.length ? flags.credentials : (env.IOT_JOBS_CREDENTIALS ?? '').split(',').filter(Boolean);
    const credentials = rawCredentials.map(credential);
    const defaultCredentials = credentials.length === 0;
    const iamPolicies = pick(flags.iamPolicies, env.IOT_JOBS_IAM_POLICIES);
    // With a users file the API accepts only its keys: test/test then only presigns the server's own S3 URLs.
    if (defaultCredentials && iamPolicies === undefined && !isLoopback(host))
        throw new ConfigError(`refusing to listen on ${host} with the default development credentials; pass --credentials KEY:SECRET`);
    const mqttUrl = pick(flags.mqttUrl, env.IOT_JOBS_MQTT_URL);
    if (mqttUrl !== undefined && !/^mqtts?:\/\/[^/]+/.test(mqttUrl))
        throw new ConfigError(`--mqtt-url must look like mqtt://host:port, not '${mqttUrl}'`);
    const mqttPortRaw = pick(flags.mqttPort, env.IOT_JOBS_MQTT_PORT);
    const rawDevices = flags.deviceCredentials?.length ? flags.deviceCredentials : (env.IOT_JOBS_DEVICE_CREDENTIALS ?? '').split(',').filter(Boolean);
    const devices = deviceCredentials(rawDevices);
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
        throw new ConfigError(`--s3-endpoint must look like http://host:port, not '${s3Endpoint}'`);
    const s3Raw = pick(flags.s3Credentials, env.IOT_JOBS_S3_CREDENTIALS);
    return {
        s3Endpoint: s3Endpoint?.replace(/\/+$/, ''),
        s3Credentials: s3Raw === undefined ? undefined : credential(s3Raw),
        host,
        port,
        dataDir: pick(flags.dataDir, env.IOT_JOBS_DATA_DIR) ?? './.iot-jobs',
        databaseUrl,
        dbPoolSize: integer('--db-pool-size', pick(flags.dbPoolSize, env.IOT_JOBS_DB_POOL_SIZE), 10, 1, 1000),
        region,
        accountId,
        credentials: defaultCredentials ? [DEV_CREDENTIAL] : credentials,
        defaultCredentials,
        deletionRate: integer('--deletion-rate', pick(flags.deletionRate, env.IOT_JOBS_DELETION_RATE), 0, 0, 1_000_000),
        mqttPort: plainOn ? integer('--mqtt-port', mqttPortRaw, DEFAULT_MQTT_PORT, 0, 65535) : undefined,
        mqttTls: tls,
        mqttUrl,
        deviceCredentials: devices,
        logLevel: logLevel(pick(flags.logLevel, env.IOT_JOBS_LOG_LEVEL) ?? 'info'),
        logFormat: logFormat(pick(flags.logFormat, env.IOT_JOBS_LOG_FORMAT), tty),
        clock: clockMode(pick(flags.clock, env.IOT_JOBS_CLOCK)),
        quotas: quotaProfile(pick(flags.quotas, env.IOT_JOBS_QUOTAS)),
        iamPolicies,
    };
}
//# sourceMappingURL=config.js.map