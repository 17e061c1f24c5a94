import type { Duplex } from 'node:stream';
import type { IConnectPacket, IPublishPacket } from 'mqtt-packet';
import { Connection } from './connection.js';
import { TIMEOUTS } from '../config/timeouts.js';

const CONNECT_TIMEOUT_MS = TIMEOUTS.mqttConnectMs;
import { RC } from './reason-codes.js';
import type { Logger } from './types.js';

/** A subscription as the client asked for it (MQTT 5 options included), with the QoS granted. */
export interface Subscription {
  qos: 0 | 1;
  /** MQTT 5 No Local: not sent the client's own publishes. */
  nl: boolean;
}

/**
 * What outlives a connection: the client's subscriptions, for as long as its Session Expiry
 * Interval (MQTT 5) or until a clean session (3.1.1) says. Nothing is queued: iot-jobs sends at
 * QoS 0, so a session only has to keep a reconnecting device subscribed.
 */
export interface Session {
  subscriptions: Map<string, Subscription>;
  expiry?: NodeJS.Timeout;
}

export interface ConnectRequest {
  clientId: string;
  username?: string;
  password?: Buffer;
  /** The transport: a TLSSocket for device certificates. */
  stream: Duplex;
}

export interface BrokerHooks {
  /** SUCCESS (0) to accept, else an MQTT 5 CONNACK reason code (mapped for 3.1.1 clients). */
  authenticate(c: ConnectRequest): number;
  mayPublish(clientId: string, topic: string): boolean;
  maySubscribe(clientId: string, filter: string): boolean;
  /** An authorized PUBLISH (or Will Message) of a client, after it was routed. */
  published(client: Connection, packet: IPublishPacket): void;
  /** A client passed authentication; its CONNACK waits until the returned promise settles. */
  accepted(clientId: string): Promise<void> | void;
  /** A client is connected (after its CONNECT was accepted), and its connection ended (not called for one taken over). */
  attached?(c: Connection): void;
  detached?(c: Connection): void;
  log: Logger;
}

/**
 * A session kept without expiry by MQTT 3.1.1 (clean session 0) and the longest an MQTT 5 client
 * may ask for: AWS IoT's default persistent-session expiry, one hour.
 */
export const MAX_SESSION_EXPIRY_S = 3600;

/**
 * The embedded broker's state, protocol-neutral: connected clients by client id, their sessions,
 * and delayed Will Messages. Each client is a thing and only it may use its thing's topics, so
 * routing is delivery to the publisher's own subscriptions; there is no topic tree.
 */
export class Broker {
  readonly clients = new Map<string, Connection>();
  /** Every open connection, also those before CONNECT, so that close() ends them all. */
  readonly connections = new Set<Connection>();
  private readonly sessions = new Map<string, Session>();
  private readonly wills = new Map<string, NodeJS.Timeout>();
  private closing = false;

  /** A client must send CONNECT this soon after its connection opened. */
  constructor(
    readonly hooks: BrokerHooks,
    readonly connectTimeoutMs = CONNECT_TIMEOUT_MS,
  ) {}

  /** Serves one MQTT connection on a byte stream (TCP, TLS or a WebSocket stream). */
  handle(stream: Duplex): void {
    if (this.closing) return void stream.destroy();
    new Connection(this, stream);
  }

  /**
   * Registers a connection that passed CONNECT: an older one with the same id is taken over (MQTT 5
   * DISCONNECT 0x8E). Returns the session to use and whether it was present.
   */
  attach(c: Connection, cleanStart: boolean): { session: Session; present: boolean } {
    const old = this.clients.get(c.id);
    if (old && old !== c) old.disconnect(RC.SESSION_TAKEN_OVER, 'another connection with this client id');
    this.clients.set(c.id, c);
    this.hooks.attached?.(c);
    const will = this.wills.get(c.id);
    if (will) {
      clearTimeout(will);
      this.wills.delete(c.id);
    }
    const kept = this.sessions.get(c.id);
    if (kept?.expiry) clearTimeout(kept.expiry);
    if (kept && !cleanStart) {
      delete kept.expiry;
      return { session: kept, present: true };
    }
    const session: Session = { subscriptions: new Map() };
    this.sessions.set(c.id, session);
    return { session, present: false };
  }

  /** A connection ended: its session is kept for `expirySeconds` (0 = dropped now), its Will Message published or delayed. */
  detach(c: Connection, expirySeconds: number, will: IConnectPacket['will'] | undefined): void {
    if (this.clients.get(c.id) !== c) {
      // Taken over: the new connection owns the session, and cancels a delayed will (MQTT 5 §3.1.4).
      if (will && !will.properties?.willDelayInterval) this.publishWill(c, will, 0);
      return;
    }
    this.clients.delete(c.id);
    this.hooks.detached?.(c);
    const session = this.sessions.get(c.id);
    if (session && !this.closing) {
      if (expirySeconds === 0) this.sessions.delete(c.id);
      else {
        // Protocol time (like keep-alive), not the service's clock.
        session.expiry = setTimeout(() => {
          if (this.sessions.get(c.id) === session && !this.clients.has(c.id)) this.sessions.delete(c.id);
        }, expirySeconds * 1000);
        session.expiry.unref();
      }
    }
    if (will) this.publishWill(c, will, Math.min(will.properties?.willDelayInterval ?? 0, expirySeconds));
  }

  /** Delivers a client's PUBLISH to the subscriptions it matches (its own, honouring No Local), then to the service. */
  route(from: Connection, packet: IPublishPacket, own: boolean): void {
    if (from.session) from.deliver(packet, own);
    this.hooks.published(from, packet);
  }

  private publishWill(c: Connection, will: NonNullable<IConnectPacket['will']>, delaySeconds: number): void {
    const fire = () => {
      this.wills.delete(c.id);
      // The will's topic was authorized at CONNECT; its only possible subscriber is the client itself.
      const packet: IPublishPacket = { cmd: 'publish', topic: will.topic, payload: will.payload, qos: Math.min(will.qos ?? 0, 1) as 0 | 1, retain: false, dup: false };
      const { willDelayInterval: _, ...properties } = will.properties ?? {};
      if (Object.keys(properties).length > 0) packet.properties = properties;
      const now = this.clients.get(c.id);
      if (now) now.deliver(packet, false);
      this.hooks.published(c, packet);
    };
    if (this.closing) return;
    if (delaySeconds <= 0) return fire();
    const timer = setTimeout(fire, delaySeconds * 1000);
    timer.unref();
    this.wills.set(c.id, timer);
  }

  /** Ends every connection (MQTT 5 clients are told 0x8B, server shutting down) and forgets every session. */
  async close(): Promise<void> {
    this.closing = true;
    for (const t of this.wills.values()) clearTimeout(t);
    this.wills.clear();
    for (const s of this.sessions.values()) if (s.expiry) clearTimeout(s.expiry);
    this.sessions.clear();
    const ends = [...this.connections].map((c) => c.disconnect(RC.SERVER_SHUTTING_DOWN, 'server shutting down'));
    await Promise.all(ends);
  }
}
