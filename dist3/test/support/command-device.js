import mqtt from 'mqtt';
/**
 * A device that takes commands as firmware does: an mqtt.js client subscribed to its request
 * topics (json, cbor and no suffix), that publishes status updates on .../response/json and waits
 * for the accepted or rejected reply of that execution.
 */
export class CommandDevice {
    id;
    base;
    client;
    messages = [];
    waiters = [];
    constructor(id, base, client) {
        this.id = id;
        this.base = base;
        this.client = client;
        client.on('message', (topic, payload, packet) => {
            const m = { topic, payload, properties: packet.properties, i: this.messages.length };
            this.messages.push(m);
            this.waiters = this.waiters.filter((w) => (w.match(m) ? (w.resolve(m), false) : true));
        });
    }
    /** `kind` thing: `$aws/commands/things/<id>`; client: `$aws/commands/clients/<id>`. */
    static async connect(url, id, kind, opts = {}, filters) {
        const client = await mqtt.connectAsync(url, { clientId: id, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
        const base = `$aws/commands/${kind === 'thing' ? 'things' : 'clients'}/${id}/executions`;
        const d = new CommandDevice(id, base, client);
        const subs = filters ?? [`${base}/+/request/json`, `${base}/+/request/cbor`, `${base}/+/request`, `${base}/+/response/accepted/json`, `${base}/+/response/rejected/json`];
        const granted = await client.subscribeAsync(subs, { qos: 1 });
        for (const g of granted)
            if (g.qos > 1)
                throw new Error(`subscription to ${g.topic} refused (${g.qos})`);
        return d;
    }
    waitFor(match, ms = 10_000, what = 'message') {
        const seen = this.messages.find(match);
        if (seen)
            return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${this.id}: timed out waiting for ${what}`)), ms);
            this.waiters.push({
                match,
                resolve: (m) => {
                    clearTimeout(timer);
                    resolve(m);
                },
            });
        });
    }
    /** The request of one execution (any format). */
    request(executionId, ms) {
        return this.waitFor((m) => m.topic.startsWith(`${this.base}/${executionId}/request`), ms, `request of ${executionId}`);
    }
    /** Publishes an update and returns the reply: { accepted, body }. */
    async update(executionId, body) {
        const mark = this.messages.length;
        const prefix = `${this.base}/${executionId}/response/`;
        await this.client.publishAsync(`${prefix}json`, JSON.stringify(body), { qos: 1 });
        const m = await this.waitFor((x) => x.i >= mark && (x.topic === `${prefix}accepted/json` || x.topic === `${prefix}rejected/json`), 10_000, `reply for ${executionId}`);
        return { accepted: m.topic.endsWith('/accepted/json'), body: JSON.parse(m.payload.toString('utf8')) };
    }
    close() {
        return this.client.endAsync();
    }
}
//# sourceMappingURL=command-device.js.map