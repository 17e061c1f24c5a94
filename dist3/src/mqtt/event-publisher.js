import { setTimeout as sleep } from 'node:timers/promises';
import { claimEvents, nthEventId, releaseEvents, removeEvents } from '../store/outbox.js';
import { jobExecutionEventPayload, jobExecutionEventTopic } from '../domain/job-events.js';
import { thingArn } from '../domain/arn.js';
/**
 * Publishes what the outbox holds, oldest first, through the broker in use, then deletes it. Rows
 * are claimed with a lease, so across PostgreSQL nodes each event is published once in normal
 * operation, and again (at least once, as AWS promises) only when a node died before deleting
 * what it had published. Publishing follows the broker's backpressure: at most `window` events in
 * flight, and a bulk row is expanded one event at a time.
 */
export class EventPublisher {
    o;
    running = false;
    loopDone = Promise.resolve();
    wakeUp;
    woken = false;
    idleWaiters = [];
    rows;
    leaseMs;
    pollMs;
    window;
    constructor(o) {
        this.o = o;
        this.rows = o.rows ?? 20;
        this.leaseMs = o.leaseMs ?? 10_000;
        this.pollMs = o.pollMs ?? 500;
        this.window = o.window ?? 256;
    }
    start() {
        if (this.running)
            return;
        this.running = true;
        this.loopDone = (async () => {
            // A SQLite store has one node: what an earlier run had claimed is nobody's now.
            if (this.o.store.dialect === 'sqlite')
                await releaseEvents(this.o.store.db).catch(() => { });
            await this.loop();
        })();
    }
    /** A transaction wrote events: publish them now rather than at the next poll. */
    wake() {
        this.woken = true;
        this.wakeUp?.();
    }
    /** Resolves once a pass has found nothing to publish (the clock POST waits for it). */
    idle() {
        this.wake();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    async stop() {
        this.running = false;
        this.wake();
        await this.loopDone;
        for (const w of this.idleWaiters.splice(0))
            w();
    }
    async loop() {
        while (this.running) {
            let claimed = [];
            try {
                this.woken = false;
                // Leases run on wall time: they must run out when a node dies, whatever a manual clock does.
                claimed = await claimEvents(this.o.store.db, this.o.store.dialect === 'postgres', this.o.nodeId, Date.now(), this.leaseMs, this.rows);
                if (claimed.length) {
                    const done = [];
                    for (const row of claimed) {
                        if (!this.running)
                            break;
                        await this.publishRow(row);
                        done.push(Number(row.id));
                    }
                    await removeEvents(this.o.store.db, this.o.nodeId, done);
                    continue;
                }
            }
            catch (err) {
                this.o.log.error({ err }, 'event publishing failed; retrying');
                await sleep(this.pollMs);
                continue;
            }
            for (const w of this.idleWaiters.splice(0))
                w();
            if (!this.running)
                break;
            if (!this.woken)
                await new Promise((resolve) => {
                    this.wakeUp = resolve;
                    void sleep(this.pollMs).then(resolve);
                });
            this.wakeUp = undefined;
        }
    }
    async publishRow(row) {
        const body = JSON.parse(row.body);
        if ('topic' in body) {
            await this.o.publish(body.topic, JSON.stringify(body.payload));
            this.o.published?.(row.type, 1);
            return;
        }
        const e = body.executions;
        const topic = jobExecutionEventTopic(e.jobId, e.operation);
        // One topic for the whole batch: with no subscriber, a million events cost one check.
        if (this.o.listened && !this.o.listened(topic))
            return;
        const inFlight = new Set();
        for (const [i, thingName] of e.things.entries()) {
            const payload = jobExecutionEventPayload({ jobId: e.jobId, thingArn: thingArn(this.o.scope, thingName), status: e.status, operation: e.operation, statusDetails: e.details }, nthEventId(row.event_id, i), e.at);
            const p = this.o.publish(topic, JSON.stringify(payload)).finally(() => inFlight.delete(p));
            inFlight.add(p);
            if (inFlight.size >= this.window)
                await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
        this.o.published?.(row.type, e.things.length);
    }
}
//# sourceMappingURL=event-publisher.js.map