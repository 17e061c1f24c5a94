import { setTimeout as sleep } from 'node:timers/promises';
import { decide } from './sim-mix.js';
const REPLY_TIMEOUT_MS = 15_000;
const FINAL = {
    succeed: { status: 'SUCCEEDED', statusDetails: { step: 'done', progress: '100' }, count: 'succeeded' },
    fail: { status: 'FAILED', statusDetails: { step: 'installing', reason: 'simulated failure' }, count: 'failed' },
    reject: { status: 'REJECTED', statusDetails: { step: 'checking', reason: 'simulated rejection: document refused' }, count: 'rejected' },
};
/**
 * One simulated device, working its jobs as firmware does over the Jobs MQTT API: on connect and on
 * every notify-next it asks start-next, reports IN_PROGRESS with statusDetails half way, then a
 * final status. One execution at a time; work stops when notify-next says the execution is no
 * longer the next one (canceled, deleted or timed out). A hanging device starts its execution and
 * then says nothing about it, until notify-next shows that it is over.
 */
export class SimDevice {
    thing;
    client;
    opts;
    running = false;
    again = false;
    connected = true;
    seq = 0;
    /** The execution being worked on, while it may still be abandoned. */
    working;
    /** The execution this device hangs on. */
    hungOn;
    /** The last execution it hung on, counted once even if it hangs on it again after a reboot. */
    lastHung;
    replies = new Map();
    constructor(thing, client, opts) {
        this.thing = thing;
        this.client = client;
        this.opts = opts;
    }
    get prefix() {
        return `$aws/things/${this.thing}/jobs`;
    }
    async start() {
        const { client, opts } = this;
        opts.totals.connected++;
        client.on('message', (topic, payload) => this.onMessage(topic, payload));
        client.on('close', () => {
            if (this.connected)
                opts.totals.connected--;
            this.connected = false;
        });
        client.on('connect', () => {
            if (!this.connected)
                opts.totals.connected++;
            this.connected = true;
            // A reconnect is a reboot: a hung device starts over (and hangs again on the same
            // execution if it is still there). As AWS advises, it asks again: notifications were not kept.
            this.hungOn = undefined;
            this.next();
        });
        // Replies are subscribed to for external brokers; the embedded one writes them to the requester anyway.
        await client.subscribeAsync([`${this.prefix}/notify-next`, `${this.prefix}/start-next/+`, `${this.prefix}/+/update/+`], { qos: 1 });
        this.next();
    }
    async stop() {
        this.working?.abort.abort();
        await this.client.endAsync(true);
    }
    onMessage(topic, payload) {
        let body;
        try {
            body = JSON.parse(payload.toString('utf8'));
        }
        catch {
            return;
        }
        if (topic === `${this.prefix}/notify-next`)
            return this.onNotifyNext(body.execution);
        const token = body.clientToken;
        const reply = typeof token === 'string' ? this.replies.get(token) : undefined;
        if (!reply)
            return;
        this.replies.delete(token);
        reply({ accepted: topic.endsWith('/accepted'), body });
    }
    onNotifyNext(next) {
        if (this.hungOn !== undefined) {
            if (next?.jobId === this.hungOn)
                return;
            // The hung execution is over (timed out, canceled or deleted): the device comes back.
            this.hungOn = undefined;
        }
        if (this.working && next?.jobId !== this.working.jobId)
            this.working.abort.abort();
        if (next)
            this.next();
    }
    /** Runs the work loop, or makes the running one ask again when it is done. */
    next() {
        if (this.hungOn !== undefined)
            return;
        if (this.running) {
            this.again = true;
            return;
        }
        this.running = true;
        void this.loop().finally(() => (this.running = false));
    }
    async loop() {
        do {
            this.again = false;
            let r;
            try {
                r = await this.request('start-next', { statusDetails: { step: 'downloading', progress: '0' } });
            }
            catch {
                // No answer (a reconnect, or a broker without a consumer for a moment): try again later.
                await sleep(1000);
                this.again = true;
                continue;
            }
            if (!r.accepted && (r.body.code === 'RequestThrottled' || r.body.code === 'InternalError')) {
                await sleep(1000);
                this.again = true;
                continue;
            }
            const ex = r.accepted ? r.body.execution : undefined;
            if (!ex)
                continue;
            this.opts.totals.started++;
            const { outcome, workMs } = decide(this.opts.seed, this.thing, ex.jobId, ex.executionNumber ?? 1, this.opts.mix, this.opts.workMs);
            if (outcome === 'hang') {
                const key = `${ex.jobId}#${ex.executionNumber ?? 1}`;
                if (this.lastHung !== key)
                    this.opts.totals.hung++;
                this.lastHung = key;
                this.hungOn = ex.jobId;
                return;
            }
            this.opts.totals.working++;
            try {
                await this.work(ex, outcome, workMs);
            }
            finally {
                this.opts.totals.working--;
            }
            // Whatever happened, look for the next execution.
            this.again = true;
        } while (this.again && this.hungOn === undefined);
    }
    async work(ex, outcome, workMs) {
        const abort = new AbortController();
        this.working = { jobId: ex.jobId, abort };
        const final = FINAL[outcome];
        try {
            // A rejecting device refuses the document at once; the others work half, report, work the rest.
            if (outcome !== 'reject') {
                await sleep(workMs / 2, undefined, { signal: abort.signal });
                const mid = await this.request(`${ex.jobId}/update`, { status: 'IN_PROGRESS', statusDetails: { step: 'installing', progress: '50' } });
                if (!mid.accepted)
                    return void this.opts.totals.interrupted++;
                await sleep(workMs - workMs / 2, undefined, { signal: abort.signal });
            }
        }
        catch {
            // Aborted, or no reply: the execution is not ours to finish any more.
            this.opts.totals.interrupted++;
            return;
        }
        finally {
            this.working = undefined;
        }
        try {
            const r = await this.request(`${ex.jobId}/update`, { status: final.status, statusDetails: final.statusDetails });
            if (r.accepted)
                this.opts.totals[final.count]++;
            else
                this.opts.totals.interrupted++;
        }
        catch {
            this.opts.totals.interrupted++;
        }
    }
    request(path, body) {
        const clientToken = `sim-${++this.seq}`;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.replies.delete(clientToken);
                reject(new Error(`${this.thing}: no reply to ${path}`));
            }, REPLY_TIMEOUT_MS);
            this.replies.set(clientToken, (r) => {
                clearTimeout(timer);
                resolve(r);
            });
            this.client.publish(`${this.prefix}/${path}`, JSON.stringify({ ...body, clientToken }), { qos: 1 }, (err) => {
                if (!err)
                    return;
                clearTimeout(timer);
                this.replies.delete(clientToken);
                reject(err);
            });
        });
    }
}
//# sourceMappingURL=sim-device.js.map