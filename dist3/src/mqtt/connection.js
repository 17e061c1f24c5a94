import mqttPacket from 'mqtt-packet';
import { packetLimit } from './packet-limit.js';
import { RC, connackReturnCode } from './reason-codes.js';
import { filterMatches } from './topics.js';
import { randomUUID } from 'node:crypto';
import { disconnectReasonOf } from './lifecycle.js';
/** AWS IoT's message size limit, plus room for the topic and header; advertised to MQTT 5 clients as Maximum Packet Size. */
export const MAX_PACKET = 128 * 1024 + 1024;
/** A client that reads nothing is cut off once this much waits to be written to it. */
const MAX_BUFFERED = 8 * 1024 * 1024;
/** A DISCONNECT is flushed before the socket closes; a client that does not close it is cut off after this. */
const LINGER_MS = 1_000;
/** A topic name a client may publish to: not empty, no wildcards, no NUL (MQTT §4.7). */
const validTopic = (t) => t.length > 0 && !/[#+\u0000]/.test(t);
/** A topic filter: `#` only last and alone in its level, `+` alone in its level (MQTT §4.7.1). */
function validFilter(f) {
    if (f.length === 0 || f.includes('\u0000'))
        return false;
    const levels = f.split('/');
    return levels.every((l, i) => (l.includes('#') ? l === '#' && i === levels.length - 1 : !l.includes('+') || l === '+'));
}
/**
 * One MQTT connection (3.1, 3.1.1 or 5, as its CONNECT says), over mqtt-packet's parser and
 * writer. It applies the protocol's rules; what a client may do is the broker hooks' business.
 * A rule broken ends the connection: MQTT 5 clients get a DISCONNECT with the reason code first.
 */
export class Connection {
    broker;
    stream;
    id = '';
    version = 4;
    session;
    /** Unique for the life of the connection (lifecycle events' sessionIdentifier). */
    sessionId = randomUUID();
    /** Why the connection ended, as AWS's lifecycle events say it; the first cause found wins. */
    endReason;
    state = 'connecting';
    /** Packets that came behind CONNECT while its acceptance was awaited; handled after the CONNACK. */
    held = [];
    detached = false;
    /** The client ended the connection with DISCONNECT (connectivity indexing's CLIENT_INITIATED_DISCONNECT). */
    clientInitiated = false;
    will;
    /** Session Expiry Interval in seconds (0: the session ends with the connection). */
    expiry = 0;
    /** The client's Maximum Packet Size (MQTT 5); larger packets are not sent to it. */
    maxOut = Infinity;
    receiveMax = 65_535;
    inflight = new Set();
    lastId = 0;
    parser = mqttPacket.parser({ protocolVersion: 4 });
    timer;
    ended;
    constructor(broker, stream) {
        this.broker = broker;
        this.stream = stream;
        this.ended = new Promise((resolve) => stream.once('close', resolve));
        broker.connections.add(this);
        // Until CONNECT names a keep-alive, the timer is the CONNECT deadline.
        this.timer = setTimeout(() => this.onTimeout(), broker.connectTimeoutMs);
        // On the reassembled byte stream, whatever the transport: a WebSocket may split a packet over messages.
        const fits = packetLimit(MAX_PACKET);
        stream.on('data', (chunk) => {
            if (this.state === 'closed')
                return;
            if (!fits(chunk)) {
                broker.hooks.log.warn({ clientId: this.id || undefined }, 'mqtt packet over the size limit; connection closed');
                this.endReason ??= 'CLIENT_ERROR';
                return void this.disconnect(RC.PACKET_TOO_LARGE, `packets are limited to ${MAX_PACKET} bytes`);
            }
            if (this.state === 'connected')
                this.timer.refresh();
            try {
                this.parser.parse(chunk);
            }
            catch (err) {
                // A bug of ours handling a packet must cost this connection, not the server.
                this.log.error({ clientId: this.id || undefined, err }, 'mqtt packet handling failed; connection closed');
                this.endReason ??= 'SERVER_ERROR';
                this.state = 'closed';
                stream.destroy();
            }
        });
        this.parser.on('packet', (p) => this.onPacket(p));
        this.parser.on('error', (err) => this.onParseError(err));
        stream.on('error', () => { });
        stream.on('close', () => this.onClose());
    }
    get log() {
        return this.broker.hooks.log;
    }
    onPacket(p) {
        if (this.state === 'closed')
            return;
        if (this.state === 'connecting') {
            if (p.cmd !== 'connect')
                return void this.stream.destroy();
            return this.onConnect(p);
        }
        if (this.state === 'accepting')
            return void this.held.push(p);
        switch (p.cmd) {
            case 'publish':
                return this.onPublish(p);
            case 'puback':
                this.inflight.delete(p.messageId);
                return;
            case 'subscribe':
                return this.onSubscribe(p);
            case 'unsubscribe':
                return this.onUnsubscribe(p);
            case 'pingreq':
                this.send({ cmd: 'pingresp' });
                return;
            case 'disconnect':
                return this.onDisconnect(p);
            default:
                // A second CONNECT, AUTH without an authentication method, or a packet only a server sends.
                return this.violation(RC.PROTOCOL_ERROR, `unexpected ${p.cmd} packet`);
        }
    }
    onParseError(err) {
        if (this.state === 'closed')
            return;
        this.log.debug({ clientId: this.id || undefined, err: err.message }, 'mqtt malformed packet');
        if (this.state === 'connecting' && /protocol version/i.test(err.message)) {
            // CONNACK "unacceptable protocol version" in the oldest form every client reads (3.1.1 §3.1.2.2).
            this.state = 'closed';
            this.stream.end(Buffer.from([0x20, 0x02, 0x00, 0x01]));
            return void setTimeout(() => this.stream.destroy(), LINGER_MS).unref();
        }
        this.violation(RC.MALFORMED, err.message);
    }
    onConnect(p) {
        this.version = p.protocolVersion ?? 4;
        this.parser.settings.protocolVersion = this.version;
        const props = p.properties ?? {};
        const will = p.will;
        let rc = RC.SUCCESS;
        if (this.version === 5 && props.authenticationMethod !== undefined)
            rc = RC.BAD_AUTHENTICATION_METHOD;
        else if (this.version === 5 && (props.receiveMaximum === 0 || props.maximumPacketSize === 0))
            rc = RC.PROTOCOL_ERROR;
        else if (this.version === 5 && will?.retain)
            rc = RC.RETAIN_NOT_SUPPORTED;
        else if (this.version === 5 && (will?.qos ?? 0) > 1)
            rc = RC.QOS_NOT_SUPPORTED;
        else if (will && !validTopic(will.topic))
            rc = RC.TOPIC_NAME_INVALID;
        if (rc !== RC.SUCCESS)
            return this.refuse(p.clientId, rc);
        this.state = 'accepting';
        Promise.resolve(this.broker.hooks.authenticate({ clientId: p.clientId, username: p.username, password: p.password, stream: this.stream }))
            .then(async (code) => {
            if (this.state !== 'accepting')
                return; // gone meanwhile
            if (code === RC.SUCCESS && will && !this.broker.hooks.mayPublish(p.clientId, will.topic, this.stream))
                code = RC.NOT_AUTHORIZED;
            if (code !== RC.SUCCESS)
                return this.refuse(p.clientId, code);
            await Promise.resolve(this.broker.hooks.accepted(p.clientId)).catch((err) => this.log.error({ clientId: p.clientId, err }, 'mqtt connect listener failed'));
            if (this.state !== 'accepting')
                return;
            this.accept(p);
            for (const held of this.held.splice(0))
                this.onPacket(held);
        })
            .catch((err) => {
            this.log.error({ clientId: p.clientId, err }, 'mqtt packet handling failed; connection closed');
            this.state = 'closed';
            this.stream.destroy();
        });
    }
    /** A refused CONNECT: the CONNACK with the reason (3.1.1: its return code), then the close. */
    refuse(clientId, rc) {
        this.log.debug({ clientId, reasonCode: rc }, 'mqtt connection refused');
        this.send(this.version === 5 ? { cmd: 'connack', reasonCode: rc, sessionPresent: false } : { cmd: 'connack', returnCode: connackReturnCode(rc), sessionPresent: false });
        this.end();
    }
    /** Registers the accepted client, answers its CONNECT and starts its keep-alive. */
    accept(p) {
        const props = p.properties ?? {};
        this.id = p.clientId;
        this.will = p.will;
        const clean = p.clean !== false;
        // 3.1.1 keeps a clean-session-0 session like AWS IoT does, for an hour; MQTT 5 asks for its own span.
        const asked = this.version === 5 ? (props.sessionExpiryInterval ?? 0) : clean ? 0 : MAX_SESSION_EXPIRY_S;
        this.expiry = Math.min(asked, MAX_SESSION_EXPIRY_S);
        if (props.maximumPacketSize !== undefined)
            this.maxOut = props.maximumPacketSize;
        if (props.receiveMaximum !== undefined)
            this.receiveMax = props.receiveMaximum;
        const { session, present } = this.broker.attach(this, clean);
        this.session = session;
        this.state = 'connected';
        if (this.version === 5) {
            this.send({
                cmd: 'connack',
                reasonCode: RC.SUCCESS,
                sessionPresent: present,
                properties: {
                    maximumQoS: 1,
                    retainAvailable: false,
                    maximumPacketSize: MAX_PACKET,
                    wildcardSubscriptionAvailable: true,
                    subscriptionIdentifiersAvailable: false,
                    sharedSubscriptionAvailable: false,
                    // The server must say so when it grants less than was asked (MQTT 5 §3.2.2.3.2).
                    ...(asked !== this.expiry ? { sessionExpiryInterval: this.expiry } : {}),
                },
            });
        }
        else {
            // MQTT 3.1 has no Session Present flag.
            this.send({ cmd: 'connack', returnCode: 0, sessionPresent: this.version === 4 && present });
        }
        // Keep Alive: the connection ends after one and a half periods of silence (MQTT §3.1.2.10).
        clearTimeout(this.timer);
        if (p.keepalive)
            this.timer = setTimeout(() => this.onTimeout(), p.keepalive * 1500);
    }
    onTimeout() {
        if (this.state === 'connecting')
            return void this.stream.destroy();
        this.endReason ??= 'MQTT_KEEP_ALIVE_TIMEOUT';
        this.violation(RC.KEEP_ALIVE_TIMEOUT, 'keep alive timeout');
    }
    onPublish(p) {
        if (p.properties?.topicAlias !== undefined)
            return this.violation(RC.TOPIC_ALIAS_INVALID, 'Topic Alias Maximum is 0');
        if (p.qos === 2)
            return this.violation(RC.QOS_NOT_SUPPORTED, 'QoS 2 is not supported');
        if (!validTopic(p.topic))
            return this.violation(RC.TOPIC_NAME_INVALID, 'invalid topic name');
        if (p.retain && this.version === 5)
            return this.violation(RC.RETAIN_NOT_SUPPORTED, 'retained messages are not supported');
        const responseTopic = p.properties?.responseTopic;
        if (responseTopic !== undefined && !validTopic(responseTopic))
            return this.violation(RC.PROTOCOL_ERROR, 'invalid Response Topic');
        if (!this.broker.hooks.mayPublish(this.id, p.topic, this.stream)) {
            if (p.qos === 1 && this.version === 5 && this.broker.hooks.pubackDenial?.(this.stream))
                return void this.send({ cmd: 'puback', messageId: p.messageId, reasonCode: RC.NOT_AUTHORIZED });
            return this.violation(RC.NOT_AUTHORIZED, `not authorized to publish to ${p.topic}`);
        }
        this.broker.route(this, p, true);
        if (p.qos === 1)
            this.send(this.version === 5 ? { cmd: 'puback', messageId: p.messageId, reasonCode: RC.SUCCESS } : { cmd: 'puback', messageId: p.messageId });
    }
    onSubscribe(p) {
        if (p.properties?.subscriptionIdentifier !== undefined)
            return this.violation(RC.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED, 'subscription identifiers are not supported');
        const v5 = this.version === 5;
        const added = [];
        const granted = p.subscriptions.map(({ topic, qos, nl }) => {
            if (!validFilter(topic))
                return v5 ? RC.TOPIC_FILTER_INVALID : RC.UNSPECIFIED;
            if (topic.startsWith('$share/'))
                return v5 ? RC.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED : RC.UNSPECIFIED;
            if (!this.broker.hooks.maySubscribe(this.id, topic, this.stream)) {
                this.log.debug({ clientId: this.id, topic }, 'mqtt subscription refused');
                return v5 ? RC.NOT_AUTHORIZED : RC.UNSPECIFIED;
            }
            const granted = qos === 0 ? 0 : 1;
            this.session.subscriptions.set(topic, { qos: granted, nl: v5 && nl === true });
            added.push(topic);
            return granted;
        });
        this.send({ cmd: 'suback', messageId: p.messageId, granted });
        if (added.length > 0)
            this.broker.hooks.subscribed?.(this, added);
    }
    onUnsubscribe(p) {
        const removed = [];
        const granted = p.unsubscriptions.map((t) => (this.session.subscriptions.delete(t) ? (removed.push(t), RC.SUCCESS) : RC.NO_SUBSCRIPTION_EXISTED));
        this.send(this.version === 5 ? { cmd: 'unsuback', messageId: p.messageId, granted } : { cmd: 'unsuback', messageId: p.messageId, granted: [] });
        if (removed.length > 0)
            this.broker.hooks.unsubscribed?.(this, removed);
    }
    onDisconnect(p) {
        const expiry = p.properties?.sessionExpiryInterval;
        if (this.version === 5 && expiry !== undefined) {
            // A session that was to end with the connection cannot be prolonged now (MQTT 5 §3.14.2.2.2).
            if (this.expiry === 0 && expiry > 0)
                return this.violation(RC.PROTOCOL_ERROR, 'Session Expiry Interval was 0 at CONNECT');
            this.expiry = Math.min(expiry, MAX_SESSION_EXPIRY_S);
        }
        if (!(this.version === 5 && p.reasonCode === RC.DISCONNECT_WITH_WILL))
            this.will = undefined;
        this.clientInitiated = true;
        this.endReason ??= 'CLIENT_INITIATED_DISCONNECT';
        this.end();
    }
    /** Sends this client a PUBLISH, at most at `qos`, if its Maximum Packet Size and Receive Maximum allow. */
    publish(topic, payload, qos, properties) {
        if (this.state !== 'connected')
            return;
        const packet = { cmd: 'publish', topic, payload, qos, retain: false, dup: false };
        if (qos === 1) {
            // Nothing is kept for redelivery; past the client's Receive Maximum a QoS 1 message goes at QoS 0.
            if (this.inflight.size >= this.receiveMax)
                packet.qos = 0;
            else {
                do
                    this.lastId = (this.lastId % 65_535) + 1;
                while (this.inflight.has(this.lastId));
                packet.messageId = this.lastId;
                this.inflight.add(this.lastId);
            }
        }
        if (properties && this.version === 5)
            packet.properties = properties;
        if (!this.send(packet) && packet.messageId !== undefined)
            this.inflight.delete(packet.messageId);
    }
    /** True when one of this client's subscriptions matches `topic`. */
    matches(topic) {
        if (!this.session)
            return false;
        for (const filter of this.session.subscriptions.keys())
            if (filterMatches(filter, topic))
                return true;
        return false;
    }
    /** Delivers a PUBLISH to this client's matching subscriptions, once, at the highest QoS granted (MQTT §3.3.5). */
    deliver(p, own) {
        let qos = -1;
        for (const [filter, sub] of this.session.subscriptions) {
            if (own && sub.nl)
                continue;
            if (sub.qos > qos && filterMatches(filter, p.topic))
                qos = sub.qos;
        }
        if (qos < 0)
            return;
        if (this.broker.hooks.mayDeliver && !this.broker.hooks.mayDeliver(this.stream, p.topic))
            return;
        let properties;
        if (p.properties) {
            // Passed on untouched, but for what belongs to one connection.
            const { topicAlias: _a, subscriptionIdentifier: _s, ...rest } = p.properties;
            properties = rest;
        }
        this.publish(p.topic, p.payload, Math.min(qos, p.qos), properties);
    }
    /** True when the packet was written; false when it was too large for the client, or the client is gone. */
    send(packet) {
        if (this.stream.destroyed || this.stream.writableEnded)
            return false;
        let buf;
        try {
            buf = mqttPacket.generate(packet, { protocolVersion: this.version });
        }
        catch (err) {
            this.log.warn({ clientId: this.id, cmd: packet.cmd, err: err.message }, 'mqtt packet not encodable; not sent');
            return false;
        }
        if (buf.length > this.maxOut) {
            // The server must not send it (MQTT 5 §3.1.2.11.4); it behaves as if it had.
            this.log.debug({ clientId: this.id, cmd: packet.cmd, bytes: buf.length, max: this.maxOut }, 'mqtt packet over the client maximum packet size; dropped');
            return false;
        }
        if (this.stream.writableLength > MAX_BUFFERED) {
            this.log.warn({ clientId: this.id }, 'mqtt client does not read; connection closed');
            this.endReason ??= 'SERVER_INITIATED_DISCONNECT';
            this.stream.destroy();
            return false;
        }
        this.stream.write(buf);
        return true;
    }
    /** A broken rule: MQTT 5 clients are told why (DISCONNECT with the reason code), then the connection ends. */
    violation(reasonCode, reason) {
        this.log.debug({ clientId: this.id, reasonCode, reason }, 'mqtt client broke a rule; disconnecting');
        void this.disconnect(reasonCode, reason);
    }
    /** Server-initiated close: a DISCONNECT first for MQTT 5 clients past CONNECT. Resolves when the socket is closed. */
    disconnect(reasonCode, reason) {
        this.endReason ??= disconnectReasonOf(reasonCode);
        if (this.state === 'connected' && this.version === 5) {
            this.send({ cmd: 'disconnect', reasonCode, ...(reason ? { properties: { reasonString: reason } } : {}) });
            this.end();
        }
        else {
            this.state = 'closed';
            this.stream.destroy();
        }
        return this.ended;
    }
    /** Half-closes after what is written, and cuts the socket if the client keeps it open. */
    end() {
        this.state = 'closed';
        this.stream.end();
        setTimeout(() => this.stream.destroy(), LINGER_MS).unref();
    }
    onClose() {
        if (this.detached)
            return;
        this.detached = true;
        this.broker.connections.delete(this);
        this.state = 'closed';
        clearTimeout(this.timer);
        this.inflight.clear();
        if (this.session)
            this.broker.detach(this, this.expiry, this.will);
    }
}
/**
 * A session kept without expiry by MQTT 3.1.1 (clean session 0) and the longest an MQTT 5 client
 * may ask for: AWS IoT's default persistent-session expiry, one hour.
 */
export const MAX_SESSION_EXPIRY_S = 3600;
//# sourceMappingURL=connection.js.map