import { Connection } from './connection.js';
export { MAX_SESSION_EXPIRY_S } from './connection.js';
import { TIMEOUTS } from '../config/timeouts.js';
const CONNECT_TIMEOUT_MS = TIMEOUTS.mqttConnectMs;
import { RC } from './reason-codes.js';
/**
 * The embedded broker's state, protocol-neutral: connected clients by client id, their sessions,
 * and delayed Will Messages. Each client is a thing and only it may use its thing's topics, so
 * routing is delivery to the publisher's own subscriptions; there is no topic tree.
 */
export class Broker {
    hooks;
    connectTimeoutMs;
    clients = new Map();
    /** Every open connection, also those before CONNECT, so that close() ends them all. */
    connections = new Set();
    /** Connected clients whose subscriptions reach past their own thing (hooks.wide). */
    wide = new Set();
    sessions = new Map();
    wills = new Map();
    closing = false;
    /** A client must send CONNECT this soon after its connection opened. */
    constructor(hooks, connectTimeoutMs = CONNECT_TIMEOUT_MS) {
        this.hooks = hooks;
        this.connectTimeoutMs = connectTimeoutMs;
    }
    /** Serves one MQTT connection on a byte stream (TCP, TLS or a WebSocket stream). */
    handle(stream) {
        if (this.closing)
            return void stream.destroy();
        return new Connection(this, stream);
    }
    /** True when a wide client (an application) subscribes to a filter matching `topic`. */
    hasWideSubscriber(topic) {
        for (const c of this.wide)
            if (c.matches(topic))
                return true;
        return false;
    }
    /**
     * Registers a connection that passed CONNECT: an older one with the same id is taken over (MQTT 5
     * DISCONNECT 0x8E). Returns the session to use and whether it was present.
     */
    attach(c, cleanStart) {
        const old = this.clients.get(c.id);
        if (old && old !== c)
            old.disconnect(RC.SESSION_TAKEN_OVER, 'another connection with this client id');
        this.clients.set(c.id, c);
        if (this.hooks.wide?.(c))
            this.wide.add(c);
        this.hooks.attached?.(c);
        const will = this.wills.get(c.id);
        if (will) {
            clearTimeout(will);
            this.wills.delete(c.id);
        }
        const kept = this.sessions.get(c.id);
        if (kept?.expiry)
            clearTimeout(kept.expiry);
        if (kept && !cleanStart) {
            delete kept.expiry;
            return { session: kept, present: true };
        }
        const session = { subscriptions: new Map() };
        this.sessions.set(c.id, session);
        return { session, present: false };
    }
    /** A connection ended: its session is kept for `expirySeconds` (0 = dropped now), its Will Message published or delayed. */
    detach(c, expirySeconds, will) {
        this.wide.delete(c);
        if (this.closing)
            c.endReason ??= 'SERVER_INITIATED_DISCONNECT';
        c.endReason ??= 'CONNECTION_LOST';
        this.hooks.ended?.(c);
        if (this.clients.get(c.id) !== c) {
            // Taken over: the new connection owns the session, and cancels a delayed will (MQTT 5 §3.1.4).
            if (will && !will.properties?.willDelayInterval)
                this.publishWill(c, will, 0);
            return;
        }
        this.clients.delete(c.id);
        this.hooks.detached?.(c);
        const session = this.sessions.get(c.id);
        if (session && !this.closing) {
            if (expirySeconds === 0)
                this.sessions.delete(c.id);
            else {
                // Protocol time (like keep-alive), not the service's clock.
                session.expiry = setTimeout(() => {
                    if (this.sessions.get(c.id) === session && !this.clients.has(c.id))
                        this.sessions.delete(c.id);
                }, expirySeconds * 1000);
                session.expiry.unref();
            }
        }
        if (will)
            this.publishWill(c, will, Math.min(will.properties?.willDelayInterval ?? 0, expirySeconds));
    }
    /** Delivers a client's PUBLISH to the subscriptions it matches (its own, honouring No Local), then to the service. */
    route(from, packet, own) {
        if (from.session)
            from.deliver(packet, own);
        this.offer(packet, from);
        this.hooks.published(from, packet);
    }
    /**
     * Offers a message to the wide clients (applications) other than `except`, each receiving it if
     * a subscription matches and it may receive it. Returns those whose write buffer is full, for a
     * publisher that follows backpressure (embedded.ts).
     */
    offer(packet, except) {
        const full = [];
        for (const c of this.wide) {
            if (c === except || !c.matches(packet.topic))
                continue;
            if (this.hooks.mayReceive && !this.hooks.mayReceive(c, packet.topic))
                continue;
            c.deliver(packet, false);
            if (c.stream.writableNeedDrain)
                full.push(c);
        }
        return full;
    }
    publishWill(c, will, delaySeconds) {
        const fire = () => {
            this.wills.delete(c.id);
            // The will's topic was authorized at CONNECT; its subscribers are the client itself and applications.
            const packet = { cmd: 'publish', topic: will.topic, payload: will.payload, qos: Math.min(will.qos ?? 0, 1), retain: false, dup: false };
            const { willDelayInterval: _, ...properties } = will.properties ?? {};
            if (Object.keys(properties).length > 0)
                packet.properties = properties;
            const now = this.clients.get(c.id);
            if (now)
                now.deliver(packet, false);
            this.offer(packet, now);
            this.hooks.published(c, packet);
        };
        if (this.closing)
            return;
        if (delaySeconds <= 0)
            return fire();
        const timer = setTimeout(fire, delaySeconds * 1000);
        timer.unref();
        this.wills.set(c.id, timer);
    }
    /** Ends every connection (MQTT 5 clients are told 0x8B, server shutting down) and forgets every session. */
    async close() {
        this.closing = true;
        for (const t of this.wills.values())
            clearTimeout(t);
        this.wills.clear();
        for (const s of this.sessions.values())
            if (s.expiry)
                clearTimeout(s.expiry);
        this.sessions.clear();
        const ends = [...this.connections].map((c) => c.disconnect(RC.SERVER_SHUTTING_DOWN, 'server shutting down'));
        await Promise.all(ends);
    }
}
//# sourceMappingURL=broker.js.map