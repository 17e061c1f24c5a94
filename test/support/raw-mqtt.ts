import { connect as tcpConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import mqttPacket, { type Packet } from 'mqtt-packet';

/**
 * An MQTT client at the packet level (mqtt-packet), over TCP or WebSocket, to check the broker
 * against the protocol's rules where a full client library would hide them: reason codes, what
 * the server sends before it closes, and packets a library would refuse to write.
 */
export class RawClient {
  readonly packets: Packet[] = [];
  private read = 0;
  private wake?: () => void;
  readonly closed: Promise<void>;
  isClosed = false;
  private readonly parser;

  private constructor(
    readonly version: 3 | 4 | 5,
    private readonly writeBytes: (b: Buffer) => void,
    private readonly hangUp: () => void,
    onData: (listener: (b: Buffer) => void) => void,
    onClose: (listener: () => void) => void,
  ) {
    this.parser = mqttPacket.parser({ protocolVersion: version });
    this.parser.on('packet', (p: Packet) => {
      this.packets.push(p);
      this.wake?.();
    });
    onData((b) => this.parser.parse(b));
    this.closed = new Promise((resolve) =>
      onClose(() => {
        this.isClosed = true;
        this.wake?.();
        resolve();
      }),
    );
  }

  static tcp(url: string, version: 3 | 4 | 5 = 5): Promise<RawClient> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const socket: Socket = tcpConnect(Number(u.port), u.hostname, () => {
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve(new RawClient(version, (b) => socket.write(b), () => socket.destroy(), (l) => socket.on('data', l), (l) => socket.on('close', l)));
      });
      socket.once('error', reject);
    });
  }

  /** Each `send` or `sendBytes` is one WebSocket message. */
  static ws(url: string, version: 3 | 4 | 5 = 5): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, 'mqtt');
      ws.once('open', () => {
        ws.off('error', reject);
        ws.on('error', () => {});
        resolve(new RawClient(version, (b) => ws.send(b), () => ws.terminate(), (l) => ws.on('message', (d: Buffer) => l(d)), (l) => ws.on('close', l)));
      });
      ws.once('error', reject);
    });
  }

  static encode(p: Packet, version: 3 | 4 | 5): Buffer {
    return mqttPacket.generate(p, { protocolVersion: version });
  }

  send(p: Packet): void {
    this.writeBytes(RawClient.encode(p, this.version));
  }

  sendBytes(b: Buffer): void {
    this.writeBytes(b);
  }

  /** CONNECT as `clientId` and the CONNACK. */
  async connect(clientId: string, extra: Partial<Extract<Packet, { cmd: 'connect' }>> = {}): Promise<Extract<Packet, { cmd: 'connack' }>> {
    this.send({ cmd: 'connect', protocolId: this.version === 3 ? 'MQIsdp' : 'MQTT', protocolVersion: this.version, clientId, clean: true, keepalive: 60, ...extra });
    return this.next('connack');
  }

  /** The next packet of this kind not yet taken (earlier ones of other kinds are skipped). */
  async next<C extends Packet['cmd']>(cmd: C, ms = 5000): Promise<Extract<Packet, { cmd: C }>> {
    const end = Date.now() + ms;
    for (;;) {
      while (this.read < this.packets.length) {
        const p = this.packets[this.read++]!;
        if (p.cmd === cmd) return p as Extract<Packet, { cmd: C }>;
      }
      if (this.isClosed) throw new Error(`closed before a ${cmd}; got ${this.packets.map((p) => p.cmd).join(',')}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no ${cmd} within ${ms} ms; got ${this.packets.map((p) => p.cmd).join(',')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** Resolves true if the server closes the connection within `ms`. */
  async closesWithin(ms = 5000): Promise<boolean> {
    return Promise.race([this.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  /** Subscribes and returns the SUBACK's codes. */
  async subscribe(filters: string[], messageId = 1, qos: 0 | 1 | 2 = 1): Promise<number[]> {
    this.send({ cmd: 'subscribe', messageId, subscriptions: filters.map((topic) => ({ topic, qos })) });
    const ack = await this.next('suback');
    return ack.granted as number[];
  }

  /** The PUBLISH packets received so far. */
  get publishes(): Extract<Packet, { cmd: 'publish' }>[] {
    return this.packets.filter((p): p is Extract<Packet, { cmd: 'publish' }> => p.cmd === 'publish');
  }

  destroy(): void {
    this.hangUp();
  }
}
