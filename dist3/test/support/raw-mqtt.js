import { connect as tcpConnect } from 'node:net';
import WebSocket from 'ws';
import mqttPacket from 'mqtt-packet';
/**
 * An MQTT client at the packet level (mqtt-packet), over TCP or WebSocket, to check the broker
 * against the protocol's rules where a full client library would hide them: reason codes, what
 * the server sends before it closes, and packets a library would refuse to write.
 */
export class RawClient {
    version;
    writeBytes;
    hangUp;
    packets = [];
    read = 0;
    wake;
    closed;
    isClosed = false;
    parser;
    constructor(version, writeBytes, hangUp, onData, onClose) {
        this.version = version;
        this.writeBytes = writeBytes;
        this.hangUp = hangUp;
        this.parser = mqttPacket.parser({ protocolVersion: version });
        this.parser.on('packet', (p) => {
            this.packets.push(p);
            this.wake?.();
        });
        onData((b) => this.parser.parse(b));
        this.closed = new Promise((resolve) => onClose(() => {
            this.isClosed = true;
            this.wake?.();
            resolve();
        }));
    }
    static tcp(url, version = 5) {
        const u = new URL(url);
        return new Promise((resolve, reject) => {
            const socket = tcpConnect(Number(u.port), u.hostname, () => {
                socket.off('error', reject);
                socket.on('error', () => { });
                resolve(new RawClient(version, (b) => socket.write(b), () => socket.destroy(), (l) => socket.on('data', l), (l) => socket.on('close', l)));
            });
            socket.once('error', reject);
        });
    }
    /** Each `send` or `sendBytes` is one WebSocket message. */
    static ws(url, version = 5) {
        return new Promise((resolve, reject) => {
            const ws = new WebSocket(url, 'mqtt');
            ws.once('open', () => {
                ws.off('error', reject);
                ws.on('error', () => { });
                resolve(new RawClient(version, (b) => ws.send(b), () => ws.terminate(), (l) => ws.on('message', (d) => l(d)), (l) => ws.on('close', l)));
            });
            ws.once('error', reject);
        });
    }
    static encode(p, version) {
        return mqttPacket.generate(p, { protocolVersion: version });
    }
    send(p) {
        this.writeBytes(RawClient.encode(p, this.version));
    }
    sendBytes(b) {
        this.writeBytes(b);
    }
    /** CONNECT as `clientId` and the CONNACK. */
    async connect(clientId, extra = {}) {
        this.send({ cmd: 'connect', protocolId: this.version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: this.version, clientId, clean: true, keepalive: 60, ...extra });
        return this.next('connack');
    }
    /** The next packet of this kind not yet taken (earlier ones of other kinds are skipped). */
    async next(cmd, ms = 5000) {
        const end = Date.now() + ms;
        for (;;) {
            while (this.read < this.packets.length) {
                const p = this.packets[this.read++];
                if (p.cmd === cmd)
                    return p;
            }
            if (this.isClosed)
                throw new Error(`closed before a ${cmd}; got ${this.packets.map((p) => p.cmd).join(',')}`);
            const left = end - Date.now();
            if (left <= 0)
                throw new Error(`no ${cmd} within ${ms} ms; got ${this.packets.map((p) => p.cmd).join(',')}`);
            await new Promise((resolve) => {
                const t = setTimeout(resolve, left);
                this.wake = () => {
                    clearTimeout(t);
                    resolve();
                };
            });
        }
    }
    /** Resolves true if the server closes the connection within `ms`. */
    async closesWithin(ms = 5000) {
        return Promise.race([this.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), ms))]);
    }
    /** Subscribes and returns the SUBACK's codes. */
    async subscribe(filters, messageId = 1, qos = 1) {
        this.send({ cmd: 'subscribe', messageId, subscriptions: filters.map((topic) => ({ topic, qos })) });
        const ack = await this.next('suback');
        return ack.granted;
    }
    /** The PUBLISH packets received so far. */
    get publishes() {
        return this.packets.filter((p) => p.cmd === 'publish');
    }
    destroy() {
        this.hangUp();
    }
}
//# sourceMappingURL=raw-mqtt.js.map