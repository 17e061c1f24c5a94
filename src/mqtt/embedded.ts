import type { Server, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { timingSafeEqual } from 'node:crypto';
import { Broker } from './broker.js';
import { MAX_PACKET, type Connection } from './connection.js';
import { filterMatches, isServiceTopic, mayUse, parseRequest } from './topics.js';
import type { MqttTls } from '../config/types.js';
import { certificateThing, listen, plainListener, tlsListener } from './listeners.js';
import { RC } from './reason-codes.js';
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
  /** CONNECT after the connection opened; the TLS handshake counts against it too (default 30 s). */
  connectTimeoutMs?: number | undefined;
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
  /** Serves MQTT over WebSocket on `path` of an HTTP server (the API's own port). */
  attachWebSocket(http: HttpServer, path: string): void;
  close(): Promise<void>;
}

const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

/** Writes a QoS 0 message on one client's own connection, past the broker's routing. */
function sendTo(client: Connection, topic: string, payload: string, correlationData?: Buffer): void {
  // mqtt-packet writes a string payload as UTF-8 straight into the packet.
  client.publish(topic, payload, 0, correlationData ? { correlationData } : undefined);
}

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
  const broker = new Broker({
    log: o.log,
    authenticate({ clientId, username, password, stream }) {
      if (!THING_NAME.test(clientId)) return RC.CLIENT_ID_NOT_VALID;
      // A device certificate signed by our CA authenticates the thing it names, as in AWS IoT.
      const certified = certificateThing(stream);
      if (certified !== undefined) return certified === clientId ? RC.SUCCESS : RC.NOT_AUTHORIZED;
      if (open) return RC.SUCCESS;
      if (username !== undefined && username !== clientId) return RC.BAD_USERNAME_OR_PASSWORD;
      const expected = o.deviceCredentials.get(clientId) ?? o.deviceCredentials.get('*');
      if (expected === undefined || !password || !samePassword(expected, password)) return RC.BAD_USERNAME_OR_PASSWORD;
      return RC.SUCCESS;
    },
    mayPublish: (clientId, topic) => mayUse(clientId, topic) && !isServiceTopic(topic),
    // Refused subscriptions get a SUBACK failure (0x80, or 0x87 for MQTT 5); the connection stays up.
    maySubscribe: mayUse,
    published(client, packet) {
      if (parseRequest(packet.topic) === undefined) return;
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // An MQTT 5 requester's Correlation Data comes back on the reply (MQTT 5 §4.10).
      const correlation = packet.properties?.correlationData;
      o.onRequest(client.id, packet.topic, payload, (topic, body) => sendTo(client, topic, body, correlation));
    },
    // What the client learns from its CONNACK on starts from the state the listeners read now.
    accepted: async (clientId) => {
      await Promise.all(clientListeners.map((l) => l(clientId)));
    },
    // A device coming and going is the first thing to look for when it gets no jobs.
    attached(c) {
      o.metrics?.mqttConnectionsTotal.inc();
      o.metrics?.mqttConnections.set(broker.clients.size);
      o.log.info({ clientId: c.id, remote: remoteOf(c.stream) }, 'device connected');
    },
    detached(c) {
      o.metrics?.mqttConnections.set(broker.clients.size);
      o.log.info({ clientId: c.id, remote: remoteOf(c.stream) }, 'device disconnected');
    },
  }, o.connectTimeoutMs);
  const clientListeners: ((clientId: string) => void | Promise<void>)[] = [];

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
  const subscribes = (client: Connection, topic: string) => {
    for (const filter of client.session!.subscriptions.keys()) if (filterMatches(filter, topic)) return true;
    return false;
  };

  return {
    url,
    ...(tlsUrl ? { tlsUrl } : {}),
    deliver(clientId, topic, payload) {
      const client = broker.clients.get(clientId);
      if (client) sendTo(client, topic, payload);
    },
    connected(clientId) {
      return broker.clients.has(clientId);
    },
    onClient(listener) {
      clientListeners.push(listener);
    },
    subscribed(clientId, topic) {
      const client = broker.clients.get(clientId);
      return client !== undefined && subscribes(client, topic);
    },
    attachWebSocket(http, path) {
      // Browsers and the device SDKs ask for the "mqtt" subprotocol. One WebSocket message may carry
      // at most one packet of the size limit; the broker applies the limit to the reassembled
      // stream too, where one packet may come split over several messages.
      const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PACKET + 8, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
      sockets = wss;
      http.on('upgrade', (req, socket, head) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== path) return void socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => {
          const stream = createWebSocketStream(ws);
          stream.on('error', () => stream.destroy());
          broker.handle(stream);
        });
      });
    },
    async close() {
      for (const ws of sockets?.clients ?? []) ws.terminate();
      sockets?.close();
      const listening = servers.map((server) => new Promise<void>((r) => server.close(() => r())));
      await broker.close();
      await Promise.all(listening);
    },
  };
}

const remoteOf = (stream: unknown) => (stream as { remoteAddress?: string } | undefined)?.remoteAddress;
