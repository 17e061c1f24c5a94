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
import { EventPublisher } from './event-publisher.js';
import type { Scope } from '../domain/arn.js';
import { parseRequest } from './topics.js';
import { commandRejected, handleCommandResponse } from './command-api.js';
import type { CommandResponseTopic } from './command-topics.js';
import type { Logger } from './types.js';
import { pendingCaps } from '../quotas/pending.js';
import { sentKind, type Metrics } from '../metrics.js';
import { hostname } from 'node:os';
import { issueServerCertificate, type Ca } from '../certs/x509.js';
import { CertAuthority } from './cert-auth.js';
import { upgradeVerifier } from './application.js';
import { notifyNextTopic, notifyTopic } from './topics.js';

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
  /** Region and account, for the ARNs in events. */
  scope: Scope;
  /** With --iam-policies: applications are the IAM users, authorized by their policies. */
  iam?: { secretOf: (accessKeyId: string) => string | undefined; authorize: (accessKeyId: string, action: 'iot:Connect' | 'iot:Publish' | 'iot:Subscribe' | 'iot:Receive', resource: string) => boolean };
  /** The embedded broker saw a client connect or disconnect (an external broker tells nothing of it). */
  onPresence?: (clientId: string, connected: boolean, disconnectReason?: string) => void;
  /** iot-jobs' own CA: the TLS listener's certificate when none is given, and the registry's devices. */
  ca?: Ca | undefined;
  /** The embedded broker's CONNECT deadline (default 30 s). */
  connectTimeoutMs?: number | undefined;
}

export interface Mqtt {
  url: string;
  /** ws://.../mqtt on the HTTP port, when the embedded broker runs. */
  wsUrl?: string;
  /** mqtts://host:port, when the embedded broker has a TLS listener. */
  tlsUrl?: string;
  notifier: Notifier;
  /** Publishes the events the store's outbox holds. */
  events: EventPublisher;
  /** Whether anyone could receive a message on a topic (the embedded broker); undefined when unknown (external). */
  listened?: (topic: string) => boolean;
  /**
   * Publishes a service message (an event) through the broker in use: to the subscribed
   * applications of the embedded broker, or at QoS 1 to the external broker. Resolves when the
   * broker can take more (the embedded broker's receivers drained, the external broker's PUBACK).
   */
  publish(topic: string, payload: string): Promise<void>;
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

/** A device's command status updates run one after another per client, in arrival order (IN_PROGRESS before SUCCEEDED). */
function perClientCommands(deps: MqttDeps) {
  const tails = new Map<string, { tail: Promise<void>; n: number }>();
  return (clientId: string, topic: string, target: CommandResponseTopic, payload: Buffer, reply: (topic: string, payload: string) => void): void => {
    const q = tails.get(clientId) ?? { tail: Promise.resolve(), n: 0 };
    if (q.n >= MAX_QUEUED_PER_THING) {
      const r = commandRejected(topic, target.executionId, 'RequestThrottled', `Too many updates in flight for client ${clientId}`);
      return reply(r.topic, r.payload);
    }
    q.n++;
    tails.set(clientId, q);
    q.tail = q.tail
      .then(async () => {
        const r = await handleCommandResponse(deps.dispatch, topic, target, payload, (err) => deps.log.error({ err, topic }, 'mqtt command update failed'));
        deps.metrics?.mqttOut.inc({ kind: sentKind(r.topic) });
        reply(r.topic, r.payload);
      })
      .catch((err: unknown) => deps.log.error({ err, topic }, 'mqtt command reply failed'))
      .finally(() => {
        if (--q.n === 0) tails.delete(clientId);
      });
  };
}

/** Starts the MQTT side of a node: the embedded broker or a client of an external one, and the notifier. */
export async function startMqtt(deps: MqttDeps): Promise<Mqtt | undefined> {
  const { config, store, events, clock, log } = deps;
  const onRequest = perThingQueue(deps);
  const onCommandResponse = perClientCommands(deps);
  const counted = (publish: (thing: string, topic: string, payload: string) => void) => (thing: string, topic: string, payload: string) => {
    deps.metrics?.mqttOut.inc({ kind: sentKind(topic) });
    publish(thing, topic, payload);
  };
  let broker: { url: string; tlsUrl?: string; publish(topic: string, payload: string): Promise<void>; close(): Promise<void> };
  // Whether anyone could receive a topic: the embedded broker knows; an external one does not tell.
  let listened: ((topic: string) => boolean) | undefined;
  let notifier: Notifier;
  if (config.mqttUrl !== undefined) {
    const deployment = deps.deployment && { id: await deploymentId(store, deps.deployment.sqliteFile), about: deps.deployment.about };
    const external = await connectExternalBroker({ url: config.mqttUrl, nodeId: deps.nodeId, store, clock, onRequest, onCommandResponse, log, deployment });
    events.onCommandRequest((r) => external.publishCommand(r, clock.now()));
    broker = { url: external.url, publish: external.publishEvent, close: external.close };
    // Several PostgreSQL nodes may change the same thing: what each thing was told is kept in the store.
    const told = store.dialect === 'postgres' ? 'store' : 'memory';
    notifier = new Notifier({ store, events, clock, publish: counted((_thing, topic, payload) => external.publish(topic, payload)), told, log, resolveDocument: deps.resolveDocument, pendingCaps: pendingCaps(config.quotas?.jobs) });
  } else if (config.mqttPort !== undefined || config.mqttTls) {
    let tls;
    if (config.mqttTls) {
      let { cert, key } = config.mqttTls;
      if (!cert || !key) {
        if (!deps.ca) throw new Error('the MQTT TLS listener needs a certificate or the own CA');
        // For the address it serves, and the names a local device uses; no SNI is needed.
        const wildcard = ['0.0.0.0', '::'].includes(config.host);
        const issued = await issueServerCertificate(deps.ca, [...(wildcard ? [hostname()] : [config.host]), 'localhost', '127.0.0.1'], new Date()); // wall time: TLS clients check it
        cert = Buffer.from(`${issued.certPem.trim()}\n${deps.ca.certPem.trim()}\n`);
        key = Buffer.from(issued.keyPem);
      }
      tls = { ...config.mqttTls, cert, key };
    }
    let embeddedRef: { disconnect(clientId: string, stream: unknown, reason: string): void } | undefined;
    const certs = deps.scope
      ? new CertAuthority({ store, clock, scope: deps.scope, log, disconnect: (id, reason) => embeddedRef?.disconnect(id.clientId, id.stream, reason) })
      : undefined;
    await certs?.start();
    const embedded = await startEmbeddedBroker({
      host: config.host,
      port: config.mqttPort,
      tls,
      certs,
      deviceCredentials: config.deviceCredentials,
      onRequest,
      onCommandResponse,
      log,
      metrics: deps.metrics,
      onPresence: deps.onPresence,
      clock,
      scope: { region: config.region, accountId: config.accountId },
      // Signed URLs are applications; clients sign with the wall clock, or the app's if a test moved it.
      verifyUpgrade: upgradeVerifier({ credentials: config.credentials, region: config.region, alsoAccept: () => clock.now(), ...(deps.iam ? { iam: deps.iam } : {}) }),
      connectTimeoutMs: deps.connectTimeoutMs,
      // A client id that names no thing is a client target (`client/<id>`), confined to its commands topics.
      isThing: async (name) => (await store.db.selectFrom('things').select('thing_name').where('thing_name', '=', name).executeTakeFirst()) !== undefined,
    });
    events.onCommandRequest((r) => embedded.deliverCommand(r, clock.now()));
    broker = embedded;
    embeddedRef = embedded;
    if (deps.http) embedded.attachWebSocket(deps.http.server, MQTT_WS_PATH);
    // A thing is worth notifying when its device is connected or an application listens to its notifications.
    const appListens = (thing: string) => embedded.hasSubscriber(notifyTopic(thing, null)) || embedded.hasSubscriber(notifyNextTopic(thing, null));
    const local = new Notifier({
      store,
      events,
      clock,
      publish: counted(embedded.deliver),
      wants: (thing) => embedded.connected(thing) || appListens(thing),
      subscribed: (thing, topic) => embedded.subscribed(thing, topic) || embedded.hasSubscriber(topic),
      told: 'memory',
      log,
      resolveDocument: deps.resolveDocument,
      pendingCaps: pendingCaps(config.quotas?.jobs),
    });
    embedded.onClient((thingName) => local.connected(thingName));
    notifier = local;
    listened = (topic) => embedded.hasSubscriber(topic);
  } else {
    return undefined;
  }
  // The outbox's events go out through the broker in use, embedded or external.
  const publisher = new EventPublisher({
    store,
    nodeId: deps.nodeId,
    scope: deps.scope,
    publish: (topic, payload) => broker.publish(topic, payload),
    ...(listened ? { listened } : {}),
    published: (type, n) => deps.metrics?.eventsPublished.inc({ type }, n),
    log,
  });
  publisher.start();
  return {
    url: broker.url,
    ...(broker.tlsUrl ? { tlsUrl: broker.tlsUrl } : {}),
    wsUrl: deps.http && config.mqttUrl === undefined ? `${deps.http.url.replace(/^http/, 'ws')}${MQTT_WS_PATH}` : undefined,
    notifier,
    events: publisher,
    ...(listened ? { listened } : {}),
    publish: (topic, payload) => broker.publish(topic, payload),
    async close() {
      await publisher.stop();
      await notifier.close();
      await broker.close();
    },
  };
}
