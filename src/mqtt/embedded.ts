import type { Server, Socket } from 'node:net';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IPublishPacket } from 'mqtt-packet';
import { Broker, type ConnectRequest } from './broker.js';
import { MAX_PACKET, type Connection } from './connection.js';
import { PREFIX, applicationMayPublish, filterMatches, isServiceTopic, mayUse, parseRequest, topicThing } from './topics.js';
import { awsFilterMatches, clientTargetMayPublish, clientTargetMayUse, mayPublishCommands, mayUseCommands, parseCommandResponse, type CommandResponseTopic } from './command-topics.js';
import type { CommandRequest } from '../events.js';
import { authorizeApplication, type ApplicationIdentity } from './application.js';
import { connectedEvent, disconnectedEvent, hasLifecycleEvents, presenceTopic, PresenceVersions, subscriptionEvent, subscriptionTopic, type Who } from './lifecycle.js';
import { clientArn, topicArn, topicFilterArn, type Scope } from '../domain/arn.js';
import type { Clock } from '../clock.js';
import { encodeError } from '../codec/codec.js';
import { ServiceError } from '../errors.js';
import type { MqttTls } from '../config/types.js';
import { certificateThing, listen, plainListener, tlsListener } from './listeners.js';
import { RC } from './reason-codes.js';
import type { Logger } from './types.js';
import type { Metrics } from '../metrics.js';
import { isLoopback } from '../config/config.js';
import { CertAuthority, peerOf, type CertIdentity } from './cert-auth.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** Plain TCP port; undefined = no plain listener. */
  port: number | undefined;
  /** A TLS listener as well (or instead); its certificate and key resolved (given, or from the own CA). */
  tls?: (MqttTls & { cert: Buffer; key: Buffer }) | undefined;
  /** Registered device certificates and their IoT policies (the registry); absent: CN mode and passwords only. */
  certs?: CertAuthority | undefined;
  /** Passwords by thing name (`*` = any thing); empty = open (loopback only, checked by config). */
  deviceCredentials: Map<string, string>;
  /** A device request, already authorized; replies go back through `reply`. */
  onRequest: (thingName: string, topic: string, payload: Buffer, reply: (topic: string, payload: string) => void) => void;
  /** A device's command status update (`$aws/commands/.../response/json`), already authorized. */
  onCommandResponse?: (clientId: string, topic: string, target: CommandResponseTopic, payload: Buffer, reply: (topic: string, payload: string) => void) => void;
  log: Logger;
  metrics?: Metrics | undefined;
  /** A thing's client connected or disconnected (connectivity indexing). */
  onPresence?: ((clientId: string, connected: boolean, disconnectReason?: string) => void) | undefined;
  /** Lifecycle events' timestamps. */
  clock: Clock;
  /** Region and account of the client/, topic/ and topicfilter/ ARNs applications are authorized on. */
  scope: Scope;
  /**
   * Verifies a WebSocket upgrade: undefined for an unsigned URL (a device), the application
   * identity of a good signature, an error (answered 403, no MQTT) for a bad one.
   */
  verifyUpgrade?: (req: IncomingMessage) => ApplicationIdentity | ServiceError | undefined;
  /** CONNECT after the connection opened; the TLS handshake counts against it too (default 30 s). */
  connectTimeoutMs?: number | undefined;
  /**
   * Whether a thing of that name is registered, asked at CONNECT of a device identified by its client
   * id (password, open or CN certificate). One that is not is a client target (`client/<id>`).
   * Absent: every such client is a thing.
   */
  isThing?: ((name: string) => Promise<boolean>) | undefined;
}

export interface EmbeddedBroker {
  /** mqtt://host:port of the plain listener, else mqtts:// of the TLS one. */
  url: string;
  /** mqtts://host:port when the TLS listener runs. */
  tlsUrl?: string;
  /** Writes a notification to the connected client of `clientId` (a thing name); ask `subscribed` first. */
  deliver(clientId: string, topic: string, payload: string): void;
  /** True when a client with this id (a thing name) is connected. */
  connected(clientId: string): boolean;
  /**
   * Calls `listener` with the client id of every client that authenticated, and holds its CONNACK
   * until the listener's promise (if any) settles: what the client learns from then on starts there.
   */
  onClient(listener: (clientId: string) => void | Promise<void>): void;
  /** True when that client is connected and subscribed to a filter matching `topic`. */
  subscribed(clientId: string, topic: string): boolean;
  /** Sends a command request to its client, if connected and subscribed (at the QoS granted, at most 1). */
  deliverCommand(r: CommandRequest, now: number): void;
  /** Closes that client's connection if it is still the one on `stream` (MQTT 5: DISCONNECT 0x87 first). */
  disconnect(clientId: string, stream: unknown, reason: string): void;
  /** Serves MQTT over WebSocket on `path` of an HTTP server (the API's own port). */
  attachWebSocket(http: HttpServer, path: string): void;
  /**
   * Publishes a service message (an event) to the clients subscribed to its topic (applications),
   * at QoS 1 where they subscribed so. Resolves once every receiver's write buffer has drained
   * below its high-water mark, so that a bulk publisher follows the slowest subscriber.
   */
  publish(topic: string, payload: string): Promise<void>;
  /** True when some application subscribes to a filter matching `topic`. */
  hasSubscriber(topic: string): boolean;
  close(): Promise<void>;
}

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;


function samePassword(a: string, b: Buffer): boolean {
  const x = Buffer.from(a);
  return x.length === b.length && timingSafeEqual(x, b);
}

/**
 * The embedded MQTT broker (3.1, 3.1.1 and 5; see broker.ts). A client's id is its thing name; it
 * may only use its own `$aws/things/{id}/jobs/...` topics, and never publish as the service.
 * Replies are written on the requester's own connection, as AWS does, not routed through the broker.
 */
export async function startEmbeddedBroker(o: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const open = o.deviceCredentials.size === 0;
  // Certificate identities by connection: their rights are their policies, not their client id.
  const identities = new WeakMap<Duplex, CertIdentity>();
  // Devices whose client id named no thing at CONNECT: they may use only their commands client topics.
  const clientTargets = new WeakSet<Duplex>();
  const certs = o.certs;
  const tlsCa = o.tls?.ca !== undefined;
  const refused = (clientId: string, remote: string | undefined, reason: string, extra: object = {}) => {
    o.log.info({ clientId, remote, reason, ...extra }, 'mqtt connection refused');
    return RC.NOT_AUTHORIZED;
  };
  // Applications, by their WebSocket stream (set at the upgrade, before any MQTT byte).
  const applications = new WeakMap<Duplex, ApplicationIdentity>();
  const remotes = new WeakMap<Duplex, string | undefined>();
  const appOf = (stream: Duplex) => applications.get(stream);
  const versions = new PresenceVersions();
  const connectionVersions = new WeakMap<Connection, number>();
  const who = (c: Connection): Who => {
    const app = appOf(c.stream);
    return { clientId: c.id, thingName: app || clientTargets.has(c.stream) ? undefined : c.id, sessionIdentifier: c.sessionId, principalIdentifier: app ? app.accessKeyId : principalOf(c) };
  };
  const lifecycle = (topic: string, event: object) => void publish(topic, JSON.stringify(event));
  /** Who the client is: an application, a registered certificate, a CN certificate, a password, or the open mode. */
  async function authenticateDevice({ clientId, username, password, stream }: ConnectRequest): Promise<number> {
    const app = appOf(stream);
    if (app) {
      // Any client id (AWS: up to 128 bytes); the signature already authenticated it.
      if (clientId.length === 0 || Buffer.byteLength(clientId) > 128) return RC.CLIENT_ID_NOT_VALID;
      return authorizeApplication(app, 'iot:Connect', clientArn(o.scope, clientId)) ? RC.SUCCESS : RC.NOT_AUTHORIZED;
    }
    if (!THING_NAME.test(clientId)) return RC.CLIENT_ID_NOT_VALID;
    const peer = peerOf(stream);
    const remote = remoteOf(stream);
    if (peer) {
      // A registered certificate: its IoT policies decide (perimeter.md §3.6, §4).
      if (certs) {
        const r = await certs.load(peer, clientId, stream);
        if (r.ok) {
          identities.set(stream, r.identity);
          return RC.SUCCESS;
        }
        if (r.reason !== 'certificate not registered' || !tlsCa) return refused(clientId, remote, r.reason, r.log);
      }
      // --mqtt-tls-ca: a certificate signed by that CA authenticates the thing its CN names.
      const certified = tlsCa ? certificateThing(stream) : undefined;
      if (certified !== undefined) return certified === clientId ? RC.SUCCESS : RC.NOT_AUTHORIZED;
      return refused(clientId, remote, 'certificate not registered');
    }
    const overTls = stream instanceof TLSSocket;
    // Over TLS without a certificate: a password, or the open mode on loopback (never with --mqtt-tls-ca).
    if (overTls && (tlsCa || (open && !isLoopback(o.host)))) return refused(clientId, remote, 'no client certificate');
    if (open) return RC.SUCCESS;
    if (username !== undefined && username !== clientId) return RC.BAD_USERNAME_OR_PASSWORD;
    const expected = o.deviceCredentials.get(clientId) ?? o.deviceCredentials.get('*');
    if (expected === undefined || !password || !samePassword(expected, password)) return RC.BAD_USERNAME_OR_PASSWORD;
    return RC.SUCCESS;
  }
  const broker = new Broker({
    log: o.log,
    async authenticate(connect) {
      const rc = await authenticateDevice(connect);
      // Decided at CONNECT, as AWS fixes a connection's thing then (iot:Connection.Thing.*).
      if (rc === RC.SUCCESS && o.isThing && !appOf(connect.stream) && !identities.has(connect.stream) && !(await o.isThing(connect.clientId))) clientTargets.add(connect.stream);
      return rc;
    },
    mayPublish(clientId, topic, stream) {
      const app = appOf(stream);
      if (app) return applicationMayPublish(topic) && authorizeApplication(app, 'iot:Publish', topicArn(o.scope, topic));
      const id = identities.get(stream);
      if (id) return !isServiceTopic(topic) && certs!.may(id, 'iot:Publish', topic);
      if (clientTargets.has(stream)) return clientTargetMayPublish(clientId, topic);
      return (mayUse(clientId, topic) && !isServiceTopic(topic)) || mayPublishCommands(clientId, topic);
    },
    // Refused subscriptions get a SUBACK failure (0x80, or 0x87 for MQTT 5); the connection stays up.
    maySubscribe(clientId, filter, stream) {
      const app = appOf(stream);
      if (app) return authorizeApplication(app, 'iot:Subscribe', topicFilterArn(o.scope, filter));
      const id = identities.get(stream);
      if (id) return certs!.may(id, 'iot:Subscribe', filter);
      if (clientTargets.has(stream)) return clientTargetMayUse(clientId, filter);
      return mayUse(clientId, filter) || mayUseCommands(clientId, filter);
    },
    // A certificate's IoT policies (iot:Receive) on what is delivered to its connection.
    mayDeliver: mayReceive,
    pubackDenial: (stream) => identities.has(stream),
    wide: (c) => applications.has(c.stream),
    mayReceive: (c, topic) => authorizeApplication(appOf(c.stream)!, 'iot:Receive', topicArn(o.scope, topic)),
    published(client, packet) {
      const command = parseCommandResponse(packet.topic);
      if (command === undefined && parseRequest(packet.topic) === undefined) return;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // An MQTT 5 requester's Correlation Data comes back on the reply (MQTT 5 §4.10).
      const correlation = packet.properties?.correlationData;
      const reply = (topic: string, body: string) => sendTo(client, topic, body, correlation);
      // A device speaks for itself; an application for the thing its topic names.
      const thingName = appOf(client.stream) ? topicThing(packet.topic)! : client.id;
      if (command) o.onCommandResponse?.(client.id, packet.topic, command, payload, reply);
      else o.onRequest(thingName, packet.topic, payload, reply);
    },
    subscribed(c, filters) {
      if (hasLifecycleEvents(c.id)) lifecycle(subscriptionTopic('subscribed', c.id), subscriptionEvent(who(c), o.clock.now(), 'subscribed', filters));
    },
    unsubscribed(c, filters) {
      if (hasLifecycleEvents(c.id)) lifecycle(subscriptionTopic('unsubscribed', c.id), subscriptionEvent(who(c), o.clock.now(), 'unsubscribed', filters));
    },
    ended(c) {
      if (!hasLifecycleEvents(c.id)) return;
      const current = broker.clients.get(c.id);
      if (current === undefined || current === c) versions.gone(c.id);
      const event = disconnectedEvent(who(c), o.clock.now(), c.endReason!, connectionVersions.get(c) ?? 0);
      lifecycle(presenceTopic('disconnected', c.id), event);
    },
    // What the client learns from its CONNACK on starts from the state the listeners read now.
    accepted: async (clientId) => {
      await Promise.all(clientListeners.map((l) => l(clientId)));
    },
    // A device coming and going is the first thing to look for when it gets no jobs.
    attached(c) {
      const id = identities.get(c.stream);
      if (id) {
        certs!.attach(id);
        // Its client id is not the thing it acts for (AWS's samples connect as test-<uuid>).
        if (id.clientId !== id.thingName) foreign.add(c);
        c.stream.once('close', () => {
          certs!.detach(id);
          foreign.delete(c);
        });
      }
      o.metrics?.mqttConnectionsTotal.inc();
      o.metrics?.mqttConnections.set(broker.clients.size);
      const app = appOf(c.stream);
      o.log.info({ clientId: c.id, remote: remoteOf(c.stream) ?? remotes.get(c.stream), ...(app ? { accessKeyId: app.accessKeyId } : {}) }, app ? 'application connected' : 'device connected');
      if (!appOf(c.stream)) o.onPresence?.(c.id, true);
      if (!hasLifecycleEvents(c.id)) return;
      const n = versions.connected(c.id);
      connectionVersions.set(c, n);
      lifecycle(presenceTopic('connected', c.id), connectedEvent(who(c), o.clock.now(), ipOf(remoteOf(c.stream) ?? remotes.get(c.stream)), n));
    },
    detached(c) {
      o.metrics?.mqttConnections.set(broker.clients.size);
      o.log.info({ clientId: c.id, remote: remoteOf(c.stream) ?? remotes.get(c.stream), reason: c.endReason }, appOf(c.stream) ? 'application disconnected' : 'device disconnected');
      if (!appOf(c.stream)) o.onPresence?.(c.id, false, c.clientInitiated ? 'CLIENT_INITIATED_DISCONNECT' : 'CONNECTION_LOST');
    },
  }, o.connectTimeoutMs);
  // Service messages go to the applications subscribed; past a receiver's high-water mark the
  // publisher waits for its buffer to drain (or for it to go).
  async function publish(topic: string, payload: string): Promise<void> {
    const packet: IPublishPacket = { cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false };
    const full = broker.offer(packet);
    if (full.length > 0) await Promise.all(full.map((c) => drained(c.stream)));
  }
  const clientListeners: ((clientId: string) => void | Promise<void>)[] = [];
  /**
   * Certificate connections whose client id is not a thing name: a thing's notifications go to
   * its own client and to these, when they subscribed to them and their policies let them receive.
   * Usually empty; a thing's notification walks it.
   */
  const foreign = new Set<Connection>();
  const listeners = (topic: string, direct: Connection | undefined) => {
    const out: Connection[] = [];
    for (const c of foreign) if (c !== direct && c.session && subscribes(c, topic)) out.push(c);
    return out;
  };
  // A message a certificate's policies do not let it receive is not delivered (iot:Receive).
  function mayReceive(stream: Duplex, topic: string): boolean {
    const id = identities.get(stream);
    return !id || certs!.may(id, 'iot:Receive', topic);
  }
  /** Writes a QoS 0 message on one client's own connection, past the broker's routing. */
  function sendTo(client: Connection, topic: string, payload: string, correlationData?: Buffer): void {
    if (!mayReceive(client.stream, topic)) return;
    // mqtt-packet writes a string payload as UTF-8 straight into the packet.
    client.publish(topic, payload, 0, correlationData ? { correlationData } : undefined);
  }

  const handle = (socket: Socket) => broker.handle(socket);
  const servers: Server[] = [];
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let url = '';
  let tlsUrl: string | undefined;
  const fail = async (err: Error) => {
    for (const s of servers) s.close();
    await broker.close();
    throw err;
  };
  if (o.port !== undefined) {
    const server = plainListener(handle);
    let port: number;
    try {
      port = await listen(server, o.port, o.host);
    } catch (err) {
      // A taken port is an error, the default one too: a port that moved would strand the devices.
      const e = err as NodeJS.ErrnoException;
      return fail(e.code === 'EADDRINUSE' ? Object.assign(new Error(`MQTT port ${o.port} on ${o.host} is already in use`), { code: 'EADDRINUSE' }) : e);
    }
    servers.push(server);
    url = `mqtt://${host}:${port}`;
  }
  if (o.tls) {
    const server = tlsListener(o.tls, handle, o.log, broker.connectTimeoutMs);
    let port: number;
    try {
      port = await listen(server, o.tls.port, o.host);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // The default port may move: a TLS device verifies the server, so it cannot be misrouted silently.
      if (e.code === 'EADDRINUSE' && o.tls.movable) {
        port = await listen(server, 0, o.host);
        o.log.warn({ port: o.tls.port, instead: port }, `MQTT TLS port ${o.tls.port} on ${o.host} is in use; listening on ${port} instead`);
      } else {
        return fail(e.code === 'EADDRINUSE' ? Object.assign(new Error(`MQTT TLS port ${o.tls.port} on ${o.host} is already in use`), { code: 'EADDRINUSE' }) : e);
      }
    }
    tlsUrl = `mqtts://${host}:${port}`;
    servers.push(server);
    url ||= tlsUrl;
  }
  for (const s of servers) s.on('error', (err) => o.log.error({ err }, 'mqtt listener error'));
  let sockets: WebSocketServer | undefined;
  // A thing's topics can only be subscribed to by the client whose id is the thing name, so that
  // client is a notification's whole audience: it is written to directly, without routing.
  const subscribes = (client: Connection, topic: string) => {
    for (const filter of client.session!.subscriptions.keys()) if (filterMatches(filter, topic)) return true;
    return false;
  };

  return {
    url,
    ...(tlsUrl ? { tlsUrl } : {}),
    deliver(clientId, topic, payload) {
      const client = broker.clients.get(clientId);
      if (foreign.size === 0) {
        if (client) sendTo(client, topic, payload);
        // notify and notify-next go through the broker on AWS: applications may subscribe to them.
        broker.offer({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }, client);
        return;
      }
      if (client && subscribes(client, topic)) sendTo(client, topic, payload);
      for (const c of listeners(topic, client)) sendTo(c, topic, payload);
      broker.offer({ cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false }, client);
    },
    publish,
    hasSubscriber: (topic) => broker.hasWideSubscriber(topic),
    connected(clientId) {
      if (broker.clients.has(clientId)) return true;
      if (foreign.size === 0) return false;
      const prefix = `${PREFIX}${clientId}/jobs/`;
      return listeners(`${prefix}notify-next`, undefined).length > 0 || listeners(`${prefix}notify`, undefined).length > 0;
    },
    disconnect(clientId, stream, reason) {
      const client = broker.clients.get(clientId);
      if (client && client.stream === stream) void client.disconnect(RC.NOT_AUTHORIZED, reason);
      else (stream as Duplex).destroy();
    },
    onClient(listener) {
      clientListeners.push(listener);
    },
    deliverCommand(r, now) {
      // The client of that id, and certificate connections acting for another id that subscribed
      // (AWS's samples connect as test-<uuid>), if their policies let them receive it.
      const direct = broker.clients.get(r.clientId);
      const audience = foreign.size === 0 ? (direct ? [direct] : []) : [...(direct ? [direct] : []), ...[...foreign].filter((c) => c !== direct)];
      // AWS sends the content type and the time left as the message expiry (MQTT 5 only).
      const properties = { ...(r.contentType ? { contentType: r.contentType } : {}), messageExpiryInterval: Math.max(1, Math.ceil((r.deadline - now) / 1000)) };
      for (const client of audience) {
        if (!client.session) continue;
        let qos = -1;
        for (const [filter, sub] of client.session.subscriptions)
          if (sub.qos > qos && awsFilterMatches(filter, r.topic)) qos = sub.qos;
        if (qos < 0 || !mayReceive(client.stream, r.topic)) continue;
        client.publish(r.topic, r.payload, qos as 0 | 1, properties);
      }
    },
    subscribed(clientId, topic) {
      const client = broker.clients.get(clientId);
      if (client !== undefined && subscribes(client, topic)) return true;
      return foreign.size > 0 && listeners(topic, client).length > 0;
    },
    attachWebSocket(http, path) {
      // Browsers and the device SDKs ask for the "mqtt" subprotocol. One WebSocket message may carry
      // at most one packet of the size limit; the broker applies the limit to the reassembled
      // stream too, where one packet may come split over several messages.
      const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PACKET + 8, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
      sockets = wss;
      http.on('upgrade', (req, socket, head) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== path) return void socket.destroy();
        const verdict = o.verifyUpgrade?.(req);
        if (verdict instanceof ServiceError) {
          // Refused before the WebSocket exists: an HTTP 403 in AWS's error shape, and nothing else.
          o.log.info({ remote: req.socket.remoteAddress, errorCode: verdict.code }, 'mqtt websocket refused: signature check failed');
          const res = encodeError('iot', verdict);
          const head403 = Object.entries(res.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
          socket.on('error', () => {});
          return void socket.end(`HTTP/1.1 403 Forbidden\r\n${head403}content-length: ${Buffer.byteLength(res.body)}\r\nconnection: close\r\n\r\n${res.body}`);
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          const stream = createWebSocketStream(ws);
          stream.on('error', () => stream.destroy());
          if (verdict) applications.set(stream, verdict);
          remotes.set(stream, req.socket.remoteAddress);
          const connection = broker.handle(stream);
          // A close frame without DISCONNECT is the client's own leaving (AWS: CLIENT_INITIATED_DISCONNECT);
          // 1006 is a dropped connection. Either way the stream is done: the broker sees it close.
          ws.once('close', (code) => {
            if (connection && code !== 1006) connection.endReason ??= 'CLIENT_INITIATED_DISCONNECT';
            stream.destroy();
          });
        });
      });
    },
    async close() {
      certs?.close();
      for (const ws of sockets?.clients ?? []) ws.terminate();
      sockets?.close();
      const listening = servers.map((server) => new Promise<void>((r) => server.close(() => r())));
      await broker.close();
      await Promise.all(listening);
    },
  };
}

const remoteOf = (stream: unknown) => (stream as { remoteAddress?: string } | undefined)?.remoteAddress;
/** An IPv4 client as IPv4, not in its IPv6-mapped form. */
const ipOf = (remote: string | undefined) => remote?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** AWS's principalIdentifier: a certificate's id (the SHA-256 of its DER); otherwise the client id a password or an open broker let in. */
function principalOf(c: Connection): string {
  return peerOf(c.stream)?.certificateId ?? c.id;
}

/** Resolves when the stream can take more, or is gone. */
function drained(stream: Duplex): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
