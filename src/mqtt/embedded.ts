import type { Server, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { timingSafeEqual } from 'node:crypto';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { filterMatches, isServiceTopic, mayUse, parseRequest } from './topics.js';
import type { MqttTls } from '../config/types.js';
import { MAX_PACKET, certificateThing, listen, plainListener, tlsListener } from './listeners.js';
import type { Logger } from './types.js';
import type { Metrics } from '../metrics.js';

export interface EmbeddedBrokerOptions {
  host: string;
  /** Plain TCP port; undefined = no plain listener. */
  port: number | undefined;
  /** A TLS listener as well (or instead). */
  tls?: MqttTls | undefined;
  /** Passwords by thing name (`*` = any thing); empty = open (loopback only, checked by config). */
  deviceCredentials: Map<string, string>;
  /** A device request, already authorized; replies go back through `reply`. */
  onRequest: (thingName: string, topic: string, payload: Buffer, reply: (topic: string, payload: string) => void) => void;
  log: Logger;
  metrics?: Metrics | undefined;
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
   * until the listener's promise settles: what the client learns from then on starts there.
   */
  onClient(listener: (clientId: string) => Promise<void>): void;
  /** True when that client is connected and subscribed to a filter matching `topic`. */
  subscribed(clientId: string, topic: string): boolean;
  /** Serves MQTT over WebSocket on `path` of an HTTP server (the API's own port). */
  attachWebSocket(http: HttpServer, path: string): void;
  close(): Promise<void>;
}

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** Writes a QoS 0 message on one client's own connection, past the broker's routing. */
function sendTo(client: Client, topic: string, payload: string): void {
  if (client.closed) return;
  client.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, () => {});
}

function samePassword(a: string, b: Buffer): boolean {
  const x = Buffer.from(a);
  return x.length === b.length && timingSafeEqual(x, b);
}

/**
 * The embedded MQTT 3.1.1 broker (aedes). A client's id is its thing name; it may only use its
 * own `$aws/things/{id}/jobs/...` topics, and never publish as the service. Replies are written on
 * the requester's own connection, as AWS does, not routed through the broker.
 */
export async function startEmbeddedBroker(o: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const open = o.deviceCredentials.size === 0;
  const connectListeners: ((clientId: string) => Promise<void>)[] = [];
  // Accepted: run the listeners first (a failed one is logged; the client still connects).
  const accept = (client: Client, done: (err: null, ok: boolean) => void) => {
    Promise.all(connectListeners.map((l) => l(client.id)))
      .catch((err: unknown) => o.log.error({ err, clientId: client.id }, 'mqtt connect listener failed'))
      .finally(() => done(null, true));
  };
  const broker = await Aedes.createBroker({
    maxClientsIdLength: 128,
    // A frozen subscriber must not hold up delivery to everyone else for long.
    drainTimeout: 10_000,
    concurrency: 1000,
    authenticate(client: Client, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>, done) {
      if (!THING_NAME.test(client.id)) return done(authError('the client id must be a thing name', 2), false);
      // A device certificate signed by our CA authenticates the thing it names, as in AWS IoT.
      const certified = certificateThing((client as Client & { conn: unknown }).conn);
      if (certified !== undefined) {
        if (certified !== client.id) return done(authError(`the client id must be the certificate's thing name`, 5), false);
        return accept(client, done);
      }
      if (open) return accept(client, done);
      if (username !== undefined && username !== client.id) return done(authError('the username must be the thing name', 4), false);
      const expected = o.deviceCredentials.get(client.id) ?? o.deviceCredentials.get('*');
      if (expected === undefined || !password || !samePassword(expected, password)) return done(authError('bad username or password', 4), false);
      accept(client, done);
    },
    authorizePublish(client: Client | null, packet, done) {
      if (!client) return done(null);
      if (!mayUse(client.id, packet.topic) || isServiceTopic(packet.topic)) return done(new Error(`client ${client.id} may not publish to ${packet.topic}`));
      done(null);
    },
    authorizeSubscribe(client: Client, sub, done) {
      // Refused subscriptions get a SUBACK failure (0x80); the connection stays up.
      if (!mayUse(client.id, sub.topic)) {
        o.log.debug({ clientId: client.id, topic: sub.topic }, 'mqtt subscription refused');
        return done(null, null);
      }
      done(null, sub);
    },
  });

  broker.on('publish', (packet, client) => {
    if (!client) return;
    const request = parseRequest(packet.topic);
    if (request === undefined) return;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    o.onRequest(client.id, packet.topic, payload, (topic, body) => sendTo(client, topic, body));
  });
  // A device coming and going is the first thing to look for when it gets no jobs.
  const remote = (client: Client) => (client as Client & { conn: { remoteAddress?: string } }).conn?.remoteAddress;
  broker.on('client', (client) => {
    o.metrics?.mqttConnectionsTotal.inc();
    o.metrics?.mqttConnections.set(broker.connectedClients);
    o.log.info({ clientId: client.id, remote: remote(client) }, 'device connected');
  });
  broker.on('clientDisconnect', (client) => {
    o.metrics?.mqttConnections.set(broker.connectedClients);
    o.log.info({ clientId: client.id, remote: remote(client) }, 'device disconnected');
  });
  broker.on('clientError', (client, err) => o.log.debug({ clientId: client?.id, err: err.message }, 'mqtt client error'));

  const handle = (socket: Socket) => broker.handle(socket);
  const servers: Server[] = [];
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let url = '';
  let tlsUrl: string | undefined;
  const fail = async (err: Error) => {
    for (const s of servers) s.close();
    await new Promise<void>((r) => broker.close(() => r()));
    throw err;
  };
  if (o.port !== undefined) {
    const server = plainListener(handle, o.log);
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
    const server = tlsListener(o.tls, handle, o.log);
    try {
      tlsUrl = `mqtts://${host}:${await listen(server, o.tls.port, o.host)}`;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return fail(e.code === 'EADDRINUSE' ? Object.assign(new Error(`MQTT TLS port ${o.tls.port} on ${o.host} is already in use`), { code: 'EADDRINUSE' }) : e);
    }
    servers.push(server);
    url ||= tlsUrl;
  }
  for (const s of servers) s.on('error', (err) => o.log.error({ err }, 'mqtt listener error'));
  let sockets: WebSocketServer | undefined;
  // A thing's topics can only be subscribed to by the client whose id is the thing name, so that
  // client is a notification's whole audience: it is written to directly, without routing.
  const clientOf = (id: string) => (broker as unknown as { clients: Record<string, Client | undefined> }).clients[id];
  const subscribes = (client: Client, topic: string) => {
    for (const filter in (client as Client & { subscriptions: object }).subscriptions) if (filterMatches(filter, topic)) return true;
    return false;
  };

  return {
    url,
    ...(tlsUrl ? { tlsUrl } : {}),
    deliver(clientId, topic, payload) {
      const client = clientOf(clientId);
      if (client) sendTo(client, topic, payload);
    },
    connected(clientId) {
      return clientOf(clientId) !== undefined;
    },
    onClient(listener) {
      connectListeners.push(listener);
    },
    subscribed(clientId, topic) {
      const client = clientOf(clientId);
      return client !== undefined && subscribes(client, topic);
    },
    attachWebSocket(http, path) {
      // Browsers and the device SDKs ask for the "mqtt" subprotocol; one WebSocket message may
      // carry at most one packet of the TCP listener's size limit.
      const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PACKET + 8, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
      sockets = wss;
      http.on('upgrade', (req, socket, head) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== path) return void socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => {
          const stream = createWebSocketStream(ws);
          stream.on('error', () => stream.destroy());
          broker.handle(stream, req);
        });
      });
    },
    async close() {
      for (const ws of sockets?.clients ?? []) ws.terminate();
      sockets?.close();
      const listening = servers.map((server) => new Promise<void>((r) => server.close(() => r())));
      await new Promise<void>((r) => broker.close(() => r()));
      await Promise.all(listening);
    },
  };
}
