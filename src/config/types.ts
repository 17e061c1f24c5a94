import type { QuotaProfile } from '../quotas/types.js';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface MqttTls {
  /** 0 = ephemeral. */
  port: number;
  /** The default port, not asked for: when taken, another is used (devices verify the server, so none is misrouted). */
  movable?: boolean;
  /** Server certificate and key; both absent: issued by iot-jobs' own CA at start. */
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  /** CA of device certificates: when set, devices must present one, whose subject CN is their thing name. */
  ca?: Buffer | undefined;
}

/** The one typed configuration, made from flags and environment variables by config/config.ts. */
export interface Config {
  host: string;
  /** HTTP port; 0 picks a free one. */
  port: number;
  dataDir: string;
  /** postgres://... selects PostgreSQL; undefined means SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema (created if missing); undefined = the connection's search_path. */
  databaseSchema?: string | undefined;
  /** PostgreSQL pool size. */
  dbPoolSize: number;
  region: string;
  accountId: string;
  credentials: Credential[];
  /** True when credentials are the built-in test/test pair (only allowed on loopback). */
  defaultCredentials: boolean;
  /** Job executions deleted per second by the deletion worker, over all deletions; 0 = unlimited. */
  deletionRate: number;
  /** Embedded MQTT broker's plain TCP port (0 = ephemeral); undefined = no plain listener. */
  mqttPort: number | undefined;
  /** The embedded broker's TLS listener (on by default; `--mqtt-tls-port off` turns it off). */
  mqttTls?: MqttTls | undefined;
  /** mqtt://host:port of an external broker; when set, no embedded broker runs. */
  mqttUrl: string | undefined;
  /** MQTT device passwords by thing name (`*` = any thing); empty = open, allowed only on loopback. */
  deviceCredentials: Map<string, string>;
  logLevel: string;
  /** An S3-compatible endpoint behind presigned-URL placeholders and documentSource; undefined = iot-jobs serves the objects. */
  s3Endpoint?: string | undefined;
  /** Key pair for that endpoint; the first of `credentials` when undefined. */
  s3Credentials?: Credential | undefined;
  /** 'pretty' (pino-pretty) or one JSON object per line; optional so that older configs mean JSON. */
  logFormat?: 'pretty' | 'json';
  /** 'manual': time moves only through POST /_iot-jobs/clock, kept in the store. Default 'system'. */
  clock?: 'manual' | 'system';
  /** `--quotas`: request rates and job quotas to enforce; undefined = none (off). */
  quotas?: QuotaProfile | undefined;
  /** --iam-policies: the IAM users file; only its keys are accepted and every request is authorized. */
  iamPolicies?: string | undefined;
}
