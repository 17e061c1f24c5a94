import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { timingSafeEqual } from 'node:crypto';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { filterMatches, isServiceTopic, mayUse, parseRequest } from './topics.js';
import { packetLimit } from './packet-limit.js';
import type { Logger } from './types.js';

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** False for the default port: if it is taken, listen on a free one and say so. */
  portExplicit: boolean;
  /** Passwords by thing name (`*` = any thing); empty = open (loopback only, checked by config). */
  deviceCredentials: Map<string, string>;
  /** A device request, already authorized; replies go back through `reply`. */
  onRequest: (thingName: string, topic: string, payload: Buffer, reply: (topic: string, payload: string) => void) => void;
  log: Logger;
}

export interface EmbeddedBroker {
  url: string;
  /** Sends a notification to the client of `clientId` (a thing name) if it subscribes to `topic`. */
  deliver(clientId: string, topic: string, payload: string): void;
  /** True when a client with this id (a thing name) is connected. */
  connected(clientId: string): boolean;
  /** True when that client is connected and subscribed to a filter matching `topic`. */
  subscribed(clientId: string, topic: string): boolean;
  /** Serves MQTT over WebSocket on `path` of an HTTP server (the API's own port). */
  attachWebSocket(http: HttpServer, path: string): void;
  close(): Promise<void>;
}

/** AWS IoT's message size limit, plus room for the topic and header. */
export const MAX_PACKET = 128 * 1024 + 1024;
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
  const broker = await Aedes.createBroker({
    maxClientsIdLength: 128,
    // A frozen subscriber must not hold up delivery to everyone else for long.
    drainTimeout: 10_000,
    concurrency: 1000,
    authenticate(client: Client, username: Readonly<string | undefined>, password: Readonly<Buffer | undefined>, done) {
      if (!THING_NAME.test(client.id)) return done(authError('the client id must be a thing name', 2), false);
      if (open) return done(null, true);
      if (username !== undefined && username !== client.id) return done(authError('the username must be the thing name', 4), false);
      const expected = o.deviceCredentials.get(client.id) ?? o.deviceCredentials.get('*');
      if (expected === undefined || !password || !samePassword(expected, password)) return done(authError('bad username or password', 4), false);
      done(null, true);
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
  broker.on('clientError', (client, err) => o.log.debug({ clientId: client?.id, err: err.message }, 'mqtt client error'));

  // No Nagle delay: replies and notifications are small and each is awaited by a device.
  const server: Server = createServer({ noDelay: true }, (socket: Socket) => {
    const fits = packetLimit(MAX_PACKET);
    socket.on('data', (chunk: Buffer) => {
      if (!fits(chunk)) {
        o.log.warn({ remote: socket.remoteAddress }, 'mqtt packet over the size limit; connection closed');
        socket.destroy();
      }
    });
    socket.on('error', () => {});
    broker.handle(socket);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      server.listen(port, o.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  try {
    await listen(o.port);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'EADDRINUSE') throw err;
    if (o.portExplicit) {
      await new Promise<void>((r) => broker.close(() => r()));
      throw Object.assign(new Error(`MQTT port ${o.port} on ${o.host} is already in use`), { code: 'EADDRINUSE' });
    }
    await listen(0);
    o.log.warn({ port: o.port }, `the default MQTT port ${o.port} is taken; using a free port instead (pass --mqtt-port to choose)`);
  }
  server.on('error', (err) => o.log.error({ err }, 'mqtt listener error'));
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  let sockets: WebSocketServer | undefined;
  // A thing's topics can only be subscribed to by the client whose id is the thing name, so that
  // client is a notification's whole audience: it is written to directly, without routing.
  const clientOf = (id: string) => (broker as unknown as { clients: Record<string, Client | undefined> }).clients[id];
  const subscribes = (client: Client, topic: string) => {
    for (const filter in (client as Client & { subscriptions: object }).subscriptions) if (filterMatches(filter, topic)) return true;
    return false;
  };

  return {
    url: `mqtt://${host}:${port}`,
    deliver(clientId, topic, payload) {
      const client = clientOf(clientId);
      if (client && subscribes(client, topic)) sendTo(client, topic, payload);
    },
    connected(clientId) {
      return clientOf(clientId) !== undefined;
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
      const listening = new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
      await listening;
    },
  };
}
