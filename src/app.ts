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
import { JobWorker, releaseAllLeases } from './workers/job-worker.js';
import { createHttpServer } from './http/server.js';
import { startMqtt, type Mqtt } from './mqtt/index.js';
import type { Notifier } from './mqtt/notifier.js';
import { ObjectStore } from './s3/objects.js';
import { registerOwnS3 } from './s3/route.js';
import { deviceDocument } from './operations/documents.js';
import { createLogger } from './log.js';
import { Metrics } from './metrics.js';
import { StoredClock } from './store/clock.js';
import { TimerWorker } from './workers/timer-worker.js';
import { fireTimeouts, TIMEOUT } from './store/timeouts.js';
import { rolloutHandlers } from './store/rollout.js';
import type { ClockControl } from './http/clock-route.js';

export interface AppOptions {
  clock?: Clock;
  /** PostgreSQL schema for this instance (tests give each run its own). */
  pgSchema?: string;
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
  store: Store;
  events: Events;
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
  const stored = config.clock === 'manual' ? await StoredClock.open(store) : undefined;
  const clock: Clock = stored ?? opts.clock ?? systemClock;
  // Other nodes may move a shared manual clock: read it before each request.
  const refresh = stored && store.dialect === 'postgres' ? () => stored.refresh() : undefined;
  if (store.dialect === 'sqlite') await releaseAllLeases(store);
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
  const worker = new JobWorker({ store, clock, events, scope, nodeId, deletionRate: config.deletionRate, batchSize, cancelBatchSize, log });
  let httpUrl = `http://${endpoint}`;
  const objects = new ObjectStore({
    store,
    clock,
    region: config.region,
    credentials: config.s3Credentials ?? config.credentials[0]!,
    endpoint: config.s3Endpoint,
    ownUrl: () => httpUrl,
  });
  const timers = new TimerWorker({ store, clock, events, nodeId, handlers: { [TIMEOUT]: fireTimeouts, ...rolloutHandlers(config.clock === 'manual') }, batchSize, batchBudgetMs: store.dialect === 'sqlite' ? TIMER_BATCH_MS : undefined, refresh, log });
  const ctx: OperationContext = {
    store,
    clock,
    events,
    ...scope,
    wake: () => {
      worker.wake();
      timers.wake();
    },
    endpointAddress: () => endpoint,
    mqttEndpointAddress: () => mqttEndpoint,
    objects,
    manualClock: config.clock === 'manual',
  };
  const inner = createDispatch(ctx);
  const dispatch: typeof inner = refresh ? async (service, name, input) => (await refresh(), inner(service, name, input)) : inner;
  let mqtt: Mqtt | undefined;
  const clockControl: ClockControl = {
    mode: stored ? 'manual' : 'system',
    now: () => clock.now(),
    refresh,
    async move(to) {
      if (!stored) throw new Error('the system clock cannot be moved');
      const now = await stored.move(to);
      await timers.drain(now);
      await mqtt?.notifier?.idle();
      return now;
    },
  };
  let http: Awaited<ReturnType<typeof createHttpServer>>;
  try {
    const ownS3 = config.s3Endpoint === undefined ? { store, clock, region: config.region, credentials: config.credentials } : undefined;
    http = await createHttpServer({ config, dispatch, clock, ready: () => store.ping(), log, routes: ownS3 && ((app) => registerOwnS3(app, ownS3)), metrics, clockControl });
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
      http: { server: http.app.server, url: http.url },
      deployment: { sqliteFile: resolve(config.dataDir, 'iot-jobs.sqlite'), about: { data: dataLocation(config, config.databaseSchema ?? opts.pgSchema), http: http.url } },
      resolveDocument: (jobId, document) => deviceDocument(ctx, jobId, document),
    });
  } catch (err) {
    await http.close();
    await store.close();
    unlock();
    throw err;
  }
  if (mqtt) mqttEndpoint = new URL(mqtt.url).host;
  worker.start();
  timers.start();
  log.info({ http: http.url, mqtt: mqtt?.url ?? null, mqttWebSocket: mqtt?.wsUrl ?? null, mqttTls: mqtt?.tlsUrl ?? null, database: store.dialect, data: dataLocation(config, config.databaseSchema ?? opts.pgSchema), clock: clockControl.mode }, 'iot-jobs ready');
  let closed = false;
  return {
    httpUrl: http.url,
    mqttUrl: mqtt?.url,
    mqttWsUrl: mqtt?.wsUrl,
    mqttTlsUrl: mqtt?.tlsUrl,
    notifier: mqtt?.notifier,
    store,
    events,
    clock,
    log,
    async close() {
      if (closed) return;
      closed = true;
      // MQTT first: its WebSocket clients hold upgraded sockets of the HTTP server.
      await mqtt?.close();
      await http.close();
      await worker.stop();
      objects.close();
      await timers.stop();
      await store.close();
      unlock();
    },
  };
}
