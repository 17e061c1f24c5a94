import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { Events } from '../events.js';
import type { ObjectStore } from '../s3/objects.js';
import type { EventConfig } from '../store/event-config.js';
import type { JobQuotas } from '../quotas/types.js';
import type { Ca } from '../certs/x509.js';

/** The two HTTP services, named by their SigV4 signing names. */
export type ServiceName = 'iot' | 'iot-jobs-data';

/** A decoded, validated input: member names exactly as in the AWS model. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Input = Record<string, any>;
/** Output members as in the AWS model; `timestamp` shapes are Date, undefined/null members are left out. */
export type Output = Record<string, unknown> | undefined;

export interface OperationContext {
  store: Store;
  clock: Clock;
  events: Events;
  region: string;
  accountId: string;
  /** host:port that DescribeEndpoint answers with. */
  endpointAddress: () => string;
  /** host:port of the MQTT broker devices connect to (DescribeEndpoint iot:Data); undefined without one. */
  mqttEndpointAddress?: () => string | undefined;
  /** The S3 behind presigned-URL placeholders and documentSource; none: placeholders stay as they are. */
  objects?: ObjectStore;
  /** UpdateEventConfigurations' settings, cached on this node (isEnabled for the event publisher). */
  eventConfig: EventConfig;
  /** `--clock manual`: paced rollouts release whole minutes' worth as the clock is moved. */
  manualClock?: boolean;
  /** `--quotas`: AWS's active and concurrent job limits (src/quotas/jobs.ts); undefined = none. */
  jobQuotas?: JobQuotas | undefined;
  /** iot-jobs' own CA (kept in the store), which issues CreateKeysAndCertificate's certificates. */
  ca?: () => Promise<Ca>;
}

export type Operation = (ctx: OperationContext, input: Input) => Promise<Output>;
export type OperationTable = Record<ServiceName, Record<string, Operation>>;

/** What wire adapters call: one entry point for every operation of both services. */
export type Dispatch = (service: ServiceName, operation: string, input: Input) => Promise<Output>;
