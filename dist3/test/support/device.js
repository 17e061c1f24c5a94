import mqtt from 'mqtt';
/**
 * A device as firmware runs one: an mqtt.js client whose id is its thing name, subscribed to its
 * jobs topics, that publishes requests and waits for the reply carrying its clientToken.
 */
export class Device {
    thing;
    client;
    messages = [];
    waiters = [];
    seq = 0;
    constructor(thing, client) {
        this.thing = thing;
        this.client = client;
        client.on('message', (topic, payload) => {
            let body;
            try {
                body = JSON.parse(payload.toString('utf8'));
            }
            catch {
                body = { raw: payload.toString('utf8') };
            }
            const m = { topic, body, i: this.messages.length };
            this.messages.push(m);
            this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
        });
    }
    static async connect(url, thing, opts = {}, subscribe = true) {
        const client = await mqtt.connectAsync(url, { clientId: thing, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
        const d = new Device(thing, client);
        if (subscribe)
            await client.subscribeAsync(`$aws/things/${thing}/jobs/#`, { qos: 1 });
        return d;
    }
    get prefix() {
        return `$aws/things/${this.thing}/jobs`;
    }
    /** The first message (already received or coming) that matches, or a timeout error. */
    waitFor(match, ms = 5000, what = 'message') {
        const seen = this.messages.find(match);
        if (seen)
            return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w.resolve !== done);
                reject(new Error(`${this.thing}: no ${what} within ${ms} ms; got ${JSON.stringify(this.messages.map((x) => x.topic))}`));
            }, ms);
            const done = (m) => {
                clearTimeout(timer);
                resolve(m);
            };
            this.waiters.push({ match, resolve: done });
        });
    }
    /** A point in this device's message history, for on() and nextOn(). */
    mark() {
        return this.messages.length;
    }
    /** Messages on one topic received since `mark`. */
    on(topic, mark = 0) {
        return this.messages.filter((m) => m.topic === topic && m.i >= mark);
    }
    nextOn(topic, mark, what = topic) {
        return this.waitFor((m) => m.topic === topic && m.i >= mark, 5000, what);
    }
    /** Publishes to `${prefix}/${path}` and resolves with the accepted or rejected reply for it. */
    async request(path, body = {}) {
        const topic = `${this.prefix}/${path}`;
        const clientToken = `t${++this.seq}-${Math.random().toString(36).slice(2, 8)}`;
        const payload = typeof body === 'string' ? body : JSON.stringify({ ...body, clientToken });
        const byToken = typeof body !== 'string';
        const reply = this.waitFor((m) => (m.topic === `${topic}/accepted` || m.topic === `${topic}/rejected`) && (!byToken || m.body.clientToken === clientToken), 5000, `reply to ${path}`);
        await this.client.publishAsync(topic, payload, { qos: 1 });
        const m = await reply;
        return { accepted: m.topic.endsWith('/accepted'), body: m.body };
    }
    async close() {
        await this.client.endAsync(true);
    }
}
//# sourceMappingURL=device.js.map