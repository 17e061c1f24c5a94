import { isIP } from 'node:net';
import type { Config, Credential } from './types.js';

/** A configuration mistake: one line for the user, exit code 2. */
export class ConfigError extends Error {}

export interface Flags {
  host?: string;
  port?: string;
  dataDir?: string;
  databaseUrl?: string;
  dbPoolSize?: string;
  region?: string;
  accountId?: string;
  credentials?: string[];
  deletionRate?: string;
  mqttPort?: string;
  mqtt?: boolean;
  mqttUrl?: string;
  deviceCredentials?: string[];
  logLevel?: string;
}

export const DEFAULT_PORT = 7020;
export const DEFAULT_MQTT_PORT = 1883;
const DEV_CREDENTIAL: Credential = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Flag, else environment variable, else undefined. */
const pick = (flag: string | undefined, env: string | undefined) => (flag !== undefined ? flag : env !== undefined && env !== '' ? env : undefined);

function integer(name: string, raw: string | undefined, dflt: number, min: number, max: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min || Number(raw) > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not '${raw}'`);
  return Number(raw);
}

function credential(raw: string): Credential {
  const i = raw.indexOf(':');
  if (i <= 0 || i === raw.length - 1) throw new ConfigError(`credentials must look like KEY:SECRET, not '${raw}'`);
  return { accessKeyId: raw.slice(0, i), secretAccessKey: raw.slice(i + 1) };
}

/** THING:PASSWORD pairs for MQTT devices; the thing `*` stands for any thing. */
function deviceCredentials(raw: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of raw) {
    const i = r.indexOf(':');
    const thing = r.slice(0, i);
    if (i <= 0 || i === r.length - 1 || !(thing === '*' || /^[a-zA-Z0-9:_-]{1,128}$/.test(thing)))
      throw new ConfigError(`device credentials must look like THING_NAME:PASSWORD or *:PASSWORD, not '${r}'`);
    out.set(thing, r.slice(i + 1));
  }
  return out;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function resolveConfig(flags: Flags, env: NodeJS.ProcessEnv = process.env): Config {
  const host = pick(flags.host, env.IOT_JOBS_HOST) ?? '127.0.0.1';
  const port = integer('--port', pick(flags.port, env.IOT_JOBS_PORT), DEFAULT_PORT, 0, 65535);
  const databaseUrl = pick(flags.databaseUrl, env.IOT_JOBS_DATABASE_URL);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError(`--database-url must start with postgres:// or postgresql://`);
  const accountId = pick(flags.accountId, env.IOT_JOBS_ACCOUNT_ID) ?? '000000000000';
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`--account-id must be 12 digits, not '${accountId}'`);
  const region = pick(flags.region, env.IOT_JOBS_REGION) ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw new ConfigError(`--region must look like us-east-1, not '${region}'`);
  const rawCredentials = flags.credentials?.length ? flags.credentials : (env.IOT_JOBS_CREDENTIALS ?? '').split(',').filter(Boolean);
  const credentials = rawCredentials.map(credential);
  const defaultCredentials = credentials.length === 0;
  if (defaultCredentials && !isLoopback(host))
    throw new ConfigError(`refusing to listen on ${host} with the default development credentials; pass --credentials KEY:SECRET`);
  const mqttUrl = pick(flags.mqttUrl, env.IOT_JOBS_MQTT_URL);
  if (mqttUrl !== undefined && !/^mqtts?:\/\/[^/]+/.test(mqttUrl)) throw new ConfigError(`--mqtt-url must look like mqtt://host:port, not '${mqttUrl}'`);
  const mqttPortRaw = pick(flags.mqttPort, env.IOT_JOBS_MQTT_PORT);
  const rawDevices = flags.deviceCredentials?.length ? flags.deviceCredentials : (env.IOT_JOBS_DEVICE_CREDENTIALS ?? '').split(',').filter(Boolean);
  const devices = deviceCredentials(rawDevices);
  const mqttOff = flags.mqtt === false || mqttPortRaw === 'off' || mqttUrl !== undefined;
  if (!mqttOff && devices.size === 0 && !isLoopback(host))
    throw new ConfigError(`refusing to run an open MQTT broker on ${host}; pass --device-credentials THING:PASSWORD (or --no-mqtt)`);
  return {
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
    mqttPort: mqttOff ? undefined : integer('--mqtt-port', mqttPortRaw, DEFAULT_MQTT_PORT, 0, 65535),
    mqttPortExplicit: mqttPortRaw !== undefined,
    mqttUrl,
    deviceCredentials: devices,
    logLevel: pick(flags.logLevel, env.IOT_JOBS_LOG_LEVEL) ?? 'info',
  };
}
