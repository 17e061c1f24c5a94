import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config/types.js';
import { Events } from './events.js';
import { createDispatch } from './operations/index.js';
import type { OperationContext } from './operations/types.js';
import { Store } from './store/store.js';
import { lockDataDir } from './store/data-dir-lock.js';
import { createHttpServer } from './http/server.js';
import { startMqtt, type Mqtt } from './mqtt/index.js';
import type { Notifier } from './mqtt/notifier.js';
import { ObjectStore } from './s3/objects.js';
import { registerOwnS3 } from './s3/route.js';
import { deviceDocument } from './operations/documents.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import { StoredClock } from './store/clock.js';
import { Engine } from './workers/engine.js';
import { fireTimeouts } from './store/steps/timeouts.js';
import { nextDue, nextRelease, TIMEOUT } from './store/timers.js';
import { rolloutHandlers } from './store/steps/rollout.js';
import { commandTimerHandlers } from './store/command-timeouts.js';
import type { ClockControl } from './http/clock-route.js';
import { EventConfig } from './store/event-config.js';
import { RateLimiter } from './quotas/limiter.js';
import { QuotaShares } from './quotas/shares.js';
import { throttle } from './quotas/throttle.js';
import { scheduledStartGate } from './quotas/jobs.js';
import { loadOrCreateCa } from './certs/own-ca.js';
import type { Ca } from './certs/x509.js';
import { Iam } from './iam/iam.js';
import { httpAuthorizer } from './iam/http.js';
import { resourceTags } from './iam/resource-tags.js';
import { buildStep, GROUP_BUILD } from './operations/dynamic-groups.js';
import { connectivityRecorder } from './operations/connectivity.js';
import { timeouts as resolveTimeouts, type Timeouts } from './config/timeouts.js';
import type { Server as HttpListener } from 'node:http';

export interface AppOptions {
  clock?: Clock;
  /** PostgreSQL schema for this instance (tests give each run its own). */
  pgSchema?: string;
  /** Shorter client deadlines for tests (src/config/timeouts.ts); the documented ones by default. */
  timeouts?: Partial<Timeouts>;
}

export interface App {
  httpUrl: string;
  mqttUrl?: string;
  /** ws://host:port/mqtt: MQTT over WebSocket on the HTTP port (embedded broker only). */
  mqttWsUrl?: string;
  /** mqtts://host:port: the embedded broker's TLS listener, when configured. */
  mqttTlsUrl?: string;
  /** Undefined when the node runs no MQTT. */
  notifier?: Notifier;
  /** With --iam-policies: the users, their policies, reload() and authorize() for other wires. */
  iam?: Iam;
  /** Publishes an event through the broker in use (mqtt/index.ts); undefined without MQTT. */
  publishEvent?: (topic: string, payload: string) => Promise<void>;
  /** The HTTP listener (its timeouts are the ones in force). */
  httpServer: HttpListener;
  /** The client deadlines in force. */
  timeouts: Timeouts;
  store: Store;
  events: Events;
  /** UpdateEventConfigurations' settings: `isEnabled(type)` for whoever publishes events. */
  eventConfig: EventConfig;
  clock: Clock;
  /** The node's logger, for the lines its command writes around it (shutdown). */
  log: Logger;
  close(): Promise<void>;
}

/** Where the data lives, for the ready line: the SQLite file, or the PostgreSQL database without its password. */
export function dataLocation(config: Config, schema: string | undefined): string {
  if (!config.databaseUrl) return resolve(config.dataDir, 'iot-jobs.sqlite');
  const u = new URL(config.databaseUrl);
  u.password = '';
  u.search = '';
  return `${u.toString()}${schema ? ` (schema ${schema})` : ''}`;
}

/** Wires the store, operations, worker and wire adapters of one iot-jobs node. */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  // First: a bad users file stops the start before anything is opened (IamFileError, exit 2).
  const iam = config.iamPolicies === undefined ? undefined : new Iam(config.iamPolicies, config.accountId, log);
  const timeouts = resolveTimeouts(opts.timeouts);
  // One SQLite data directory serves one server (tools such as `files put` may open it beside it).
  const unlock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let store: Store;
  try {
    store = await Store.open({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: config.dbPoolSize, schema: config.databaseSchema ?? opts.pgSchema });
  } catch (err) {
    unlock();
    throw err;
  }
  if (config.clock !== 'manual' && !opts.clock) {
    // Data whose manual clock ran ahead would go back in time on the system clock: jobs with
    // future timestamps, paced rollouts that stall. Refuse, rather than lose that time silently.
    const ahead = await StoredClock.stored(store).catch(() => undefined);
    if (ahead !== undefined && ahead > Date.now() + 1000) {
      await store.close();
      unlock();
      const minutes = Math.ceil((ahead - Date.now()) / 60_000);
      throw Object.assign(
        new Error(`this data ran on --clock manual, now at ${new Date(ahead).toISOString()}, ${minutes} min ahead of the system clock; start with --clock manual to keep that time, or wait until then`),
        { code: 'ECLOCKAHEAD' },
      );
    }
  }
  let ca: Ca;
  try {
    // Made at the first start and shared by every node: devices trust it as their --ca_file.
    // X.509 validity is wall time on purpose: TLS peers check it against their own clocks.
    ca = await loadOrCreateCa(store, Date.now());
  } catch (err) {
    await store.close();
    unlock();
    throw err;
  }
  const stored = config.clock === 'manual' ? await StoredClock.open(store) : undefined;
  const clock: Clock = stored ?? opts.clock ?? systemClock;
  // Other nodes may move a shared manual clock: read it before each request.
  const refresh = stored && store.dialect === 'postgres' ? () => stored.refresh() : undefined;
  const events = new Events();
  const metrics = new Metrics(store);
  const scope = { region: config.region, accountId: config.accountId };
  let endpoint = `${config.host}:${config.port}`;
  let mqttEndpoint: string | undefined;
  // SQLite shares one connection with the API, so its steps stay small; PostgreSQL's run beside it.
  const batchSize = store.dialect === 'sqlite' ? 2000 : 10000;
  // A timer batch on SQLite holds the API's connection: keep each short (docs/benchmarks.md, Timers).
  const TIMER_BATCH_MS = 5;
  const nodeId = randomUUID();
  // A canceled row costs a fraction of a created or deleted one (docs/benchmarks.md, abort).
  const cancelBatchSize = store.dialect === 'sqlite' ? 5000 : 10000;
  // A fan-out or deletion step on SQLite: 5,000 rows, about 8 ms of SQL since the names stopped
  // coming back through RETURNING; fewer steps, fewer fixed costs per step (docs/benchmarks.md, issue 27).
  const bulkBatchSize = store.dialect === 'sqlite' ? 5000 : 10000;
  let httpUrl = `http://${endpoint}`;
  const objects = new ObjectStore({
    store,
    clock,
    region: config.region,
    credentials: config.s3Credentials ?? config.credentials[0]!,
    endpoint: config.s3Endpoint,
    ownUrl: () => httpUrl,
  });
  // Dynamic thing groups' builds; small steps on SQLite, whose one connection the API shares.
  // IOT_JOBS_GROUP_BUILD_BATCH: smaller steps, for tests that crash a build half-way.
  const buildBatch = Number(process.env.IOT_JOBS_GROUP_BUILD_BATCH) || (store.dialect === 'sqlite' ? 1000 : 5000);
  const engine = new Engine({
    store,
    clock,
    scope,
    nodeId,
    handlers: { [TIMEOUT]: fireTimeouts, ...rolloutHandlers(config.clock === 'manual', scheduledStartGate(config.quotas?.jobs)), ...commandTimerHandlers },
    // Dynamic thing groups' (re)builds: a step of buildBatch things per transaction.
    steps: { [GROUP_BUILD]: { batch: buildBatch, step: async (tx, group, now, limit) => buildStep(tx, group, limit, () => now) } },
    deletionRate: config.deletionRate,
    batchSize,
    batchBudgetMs: store.dialect === 'sqlite' ? TIMER_BATCH_MS : undefined,
    workBatch: { rollout: bulkBatchSize, cancel: cancelBatchSize, sweep: cancelBatchSize, delete: bulkBatchSize },
    refresh,
    capacity: () => events.capacity(),
    log,
  });
  // What a lifecycle transaction owes after COMMIT: the notifier's work and the engine's wake-up.
  let mqtt: Mqtt | undefined;
  store.publishTo({ pendingChanged: (things, ns) => events.pendingChanged(things, ns), wake: () => engine.wake(), eventsOwed: () => mqtt?.events?.wake(), commandRequested: (r) => events.commandRequested(r) });
  let eventConfig: EventConfig;
  try {
    eventConfig = await EventConfig.open(store, clock, log);
  } catch (err) {
    await store.close();
    unlock();
    throw err;
  }
  // Transitions write events of the types turned on (UpdateEventConfigurations), as of the node's cache.
  // An embedded broker knows its subscribers: an event nobody could receive is not written at all.
  store.listened = (topic) => mqtt?.listened === undefined || mqtt.listened(topic);
  store.eventSwitch = (type, topic) => eventConfig.isEnabled(type) && (topic === undefined || store.listened(topic));
  store.scope = scope;
  const ctx: OperationContext = {
    store,
    eventConfig,
    clock,
    events,
    ...scope,
    endpointAddress: () => endpoint,
    mqttEndpointAddress: () => mqttEndpoint,
    objects,
    manualClock: config.clock === 'manual',
    jobQuotas: config.quotas?.jobs,
    ca: async () => ca,
  };
  const inner = createDispatch(ctx);
  const refreshed: typeof inner = refresh ? async (service, name, input) => (await refresh(), inner(service, name, input)) : inner;
  // --quotas: request rates, over HTTP and MQTT alike; on PostgreSQL each node holds a share.
  const limiter = config.quotas ? new RateLimiter(config.quotas) : undefined;
  const shares = limiter && store.dialect === 'postgres' ? new QuotaShares(store, limiter, nodeId, log) : undefined;
  const dispatch = limiter ? throttle(refreshed, limiter, metrics.throttled) : refreshed;
  const clockControl: ClockControl = {
    mode: stored ? 'manual' : 'system',
    now: () => clock.now(),
    refresh,
    async move(to) {
      if (!stored) throw new Error('the system clock cannot be moved');
      const now = await stored.move(to);
      await engine.drain(now);
      await mqtt?.notifier?.idle();
      await mqtt?.events?.idle();
      return now;
    },
    // The earliest timer past the clock (background work aside): "advance to the next deadline".
    nextDeadline: async (now) => {
      const due = await nextDue(store.db, { work: false });
      return due !== undefined && due > now ? due : undefined;
    },
    nextRelease: (jobId) => nextRelease(store.db, jobId),
  };
  let http: Awaited<ReturnType<typeof createHttpServer>>;
  try {
    await shares?.start();
    const iamHttp = iam && { secretOf: iam.secretOf, authorize: httpAuthorizer(iam, { now: () => clock.now(), tagsOf: (arns) => resourceTags(store, arns) }) };
    // With IAM, the server's own S3 knows only the key it presigns with, besides the users'.
    const s3Keys = iam ? [config.s3Credentials ?? config.credentials[0]!] : config.credentials;
    const ownS3 = config.s3Endpoint === undefined ? { store, clock, region: config.region, credentials: s3Keys, iam: iamHttp } : undefined;
    http = await createHttpServer({ config, dispatch, clock, ready: () => store.ping(), log, routes: ownS3 && ((app) => registerOwnS3(app, ownS3)), metrics, clockControl, iam: iamHttp, caPem: ca.certPem, timeouts });
  } catch (err) {
    await store.close();
    unlock();
    throw err;
  }
  endpoint = new URL(http.url).host;
  httpUrl = http.url;
  try {
    mqtt = await startMqtt({
      config,
      store,
      events,
      clock,
      dispatch,
      nodeId,
      log,
      metrics,
      scope,
      // Applications on MQTT are IAM users too: their policies decide iot:Connect, Publish, Subscribe and Receive.
      ...(iam ? { iam: { secretOf: iam.secretOf, authorize: (key: string, action: string, resource: string) => iam.authorize(key, action, [resource]).allowed } } : {}),
      http: { server: http.app.server, url: http.url },
      connectTimeoutMs: timeouts.mqttConnectMs,
      deployment: { sqliteFile: resolve(config.dataDir, 'iot-jobs.sqlite'), about: { data: dataLocation(config, config.databaseSchema ?? opts.pgSchema), http: http.url } },
      resolveDocument: (jobId, document) => deviceDocument(ctx, jobId, document),
      onPresence: connectivityRecorder(ctx, (err, thingName) => log.error({ err, thingName }, 'connectivity not recorded')),
      ca,
    });
  } catch (err) {
    await http.close();
    await store.close();
    unlock();
    throw err;
  }
  // Devices are pointed at the TLS listener, as AWS points them at iot:Data-ATS; AWS answers a
  // host name alone, which means its port 8883: so does iot-jobs there, else host:port.
  if (mqtt) {
    const device = new URL(mqtt.tlsUrl ?? mqtt.url);
    mqttEndpoint = mqtt.tlsUrl && device.port === '8883' ? device.hostname : device.host;
  }
  engine.start();
  if (iam) {
    iam.watch();
    log.info({ file: iam.path, users: iam.users }, 'IAM policies in force: only their users may call the API');
  }
  log.info({ http: http.url, mqtt: mqtt?.url ?? null, mqttWebSocket: mqtt?.wsUrl ?? null, mqttTls: mqtt?.tlsUrl ?? null, database: store.dialect, data: dataLocation(config, config.databaseSchema ?? opts.pgSchema), clock: clockControl.mode }, 'iot-jobs ready');
  let closed = false;
  return {
    httpUrl: http.url,
    mqttUrl: mqtt?.url,
    mqttWsUrl: mqtt?.wsUrl,
    mqttTlsUrl: mqtt?.tlsUrl,
    notifier: mqtt?.notifier,
    iam,
    publishEvent: mqtt ? (topic, payload) => mqtt!.publish(topic, payload) : undefined,
    httpServer: http.app.server,
    timeouts,
    store,
    events,
    eventConfig,
    clock,
    log,
    async close() {
      if (closed) return;
      closed = true;
      iam?.close();
      // MQTT first: its WebSocket clients hold upgraded sockets of the HTTP server.
      await mqtt?.close();
      await http.close();
      await engine.stop();
      objects.close();
      eventConfig.close();
      await shares?.stop();
      await store.close();
      unlock();
    },
  };
}
