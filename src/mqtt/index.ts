import type { Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import type { Events } from '../events.js';
import type { Dispatch } from '../operations/types.js';
import type { Store } from '../store/store.js';
import { clientTokenOf, handleRequest, rejected } from './device-api.js';
import { startEmbeddedBroker } from './embedded.js';
import { connectExternalBroker } from './external.js';
import { deploymentId } from './deployment.js';
import { Notifier } from './notifier.js';
import { parseRequest } from './topics.js';
import type { Logger } from './types.js';
import { sentKind, type Metrics } from '../metrics.js';

export interface MqttDeps {
  config: Config;
  /** The API's HTTP server and URL, for MQTT over WebSocket on /mqtt. */
  http?: { server: import('node:http').Server; url: string };
  store: Store;
  /** What this node announces on an external broker: where its data is, its HTTP address. */
  deployment?: { sqliteFile: string; about: Record<string, unknown> };
  events: Events;
  clock: Clock;
  dispatch: Dispatch;
  nodeId: string;
  log: Logger;
  /** The document as devices are given it (presigned-URL placeholders replaced). */
  resolveDocument?: (jobId: string, document: string) => Promise<string>;
  metrics?: Metrics | undefined;
}

export interface Mqtt {
  url: string;
  /** ws://.../mqtt on the HTTP port, when the embedded broker runs. */
  wsUrl?: string;
  /** mqtts://host:port, when the embedded broker has a TLS listener. */
  tlsUrl?: string;
  notifier: Notifier;
  close(): Promise<void>;
}

export const MQTT_WS_PATH = '/mqtt';

/** Requests one thing may have queued or running; more are answered RequestThrottled. */
export const MAX_QUEUED_PER_THING = 16;

/**
 * Device requests of one thing run one after another, in arrival order (a device's start-next
 * and the update after it must not race), and at most MAX_QUEUED_PER_THING wait.
 */
function perThingQueue(deps: MqttDeps) {
  const queues = new Map<string, { tail: Promise<void>; n: number }>();
  return (thingName: string, topic: string, payload: Buffer, send: (topic: string, payload: string) => void): void => {
    const request = parseRequest(topic) ?? 'invalid';
    deps.metrics?.mqttIn.inc({ kind: request === 'invalid' ? 'invalid' : request.api });
    const reply = (t: string, body: string) => {
      deps.metrics?.mqttOut.inc({ kind: sentKind(t) });
      send(t, body);
    };
    const q = queues.get(thingName) ?? { tail: Promise.resolve(), n: 0 };
    if (q.n >= MAX_QUEUED_PER_THING) {
      const r = rejected(topic, 'RequestThrottled', `Too many requests in flight for thing ${thingName}`, clientTokenOf(payload), Math.floor(deps.clock.now() / 1000));
      reply(r.topic, r.payload);
      return;
    }
    q.n++;
    queues.set(thingName, q);
    q.tail = q.tail
      .then(async () => {
        const r = await handleRequest(deps.dispatch, topic, request, payload, deps.clock.now(), (err) =>
          deps.log.error({ err, topic }, 'mqtt request failed'),
        );
        reply(r.topic, r.payload);
      })
      .catch((err: unknown) => deps.log.error({ err, topic }, 'mqtt reply failed'))
      .finally(() => {
        if (--q.n === 0) queues.delete(thingName);
      });
  };
}

/** Starts the MQTT side of a node: the embedded broker or a client of an external one, and the notifier. */
export async function startMqtt(deps: MqttDeps): Promise<Mqtt | undefined> {
  const { config, store, events, clock, log } = deps;
  const onRequest = perThingQueue(deps);
  const counted = (publish: (thing: string, topic: string, payload: string) => void) => (thing: string, topic: string, payload: string) => {
    deps.metrics?.mqttOut.inc({ kind: sentKind(topic) });
    publish(thing, topic, payload);
  };
  let broker: { url: string; tlsUrl?: string; close(): Promise<void> };
  let notifier: Notifier;
  if (config.mqttUrl !== undefined) {
    const deployment = deps.deployment && { id: await deploymentId(store, deps.deployment.sqliteFile), about: deps.deployment.about };
    const external = await connectExternalBroker({ url: config.mqttUrl, nodeId: deps.nodeId, store, clock, onRequest, log, deployment });
    broker = external;
    // Several PostgreSQL nodes may change the same thing: what each thing was told is kept in the store.
    const told = store.dialect === 'postgres' ? 'store' : 'memory';
    notifier = new Notifier({ store, events, clock, publish: counted((_thing, topic, payload) => external.publish(topic, payload)), told, log, resolveDocument: deps.resolveDocument });
  } else if (config.mqttPort !== undefined || config.mqttTls) {
    const embedded = await startEmbeddedBroker({
      host: config.host,
      port: config.mqttPort,
      tls: config.mqttTls,
      deviceCredentials: config.deviceCredentials,
      onRequest,
      log,
      metrics: deps.metrics,
    });
    broker = embedded;
    if (deps.http) embedded.attachWebSocket(deps.http.server, MQTT_WS_PATH);
    const local = new Notifier({
      store,
      events,
      clock,
      publish: counted(embedded.deliver),
      wants: embedded.connected,
      subscribed: embedded.subscribed,
      told: 'memory',
      log,
      resolveDocument: deps.resolveDocument,
    });
    embedded.onClient((thingName) => local.connected(thingName));
    notifier = local;
  } else {
    return undefined;
  }
  return {
    url: broker.url,
    ...(broker.tlsUrl ? { tlsUrl: broker.tlsUrl } : {}),
    wsUrl: deps.http && config.mqttUrl === undefined ? `${deps.http.url.replace(/^http/, 'ws')}${MQTT_WS_PATH}` : undefined,
    notifier,
    async close() {
      await notifier.close();
      await broker.close();
    },
  };
}
