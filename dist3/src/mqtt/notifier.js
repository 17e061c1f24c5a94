import { namespacesOfThing, pendingForThings } from '../store/execution-rows.js';
import { lockTold, saveTold } from '../store/notified.js';
import { execution, pendingSummary } from '../operations/device.js';
import { documentAsObject } from './device-api.js';
import { notifyNextTopic, notifyTopic } from './topics.js';
import { hasPresignedPlaceholder } from '../s3/objects.js';
import { capPending, readLimit } from '../quotas/pending.js';
const ALL = Symbol('all namespaces');
/** At most this many things remembered in memory; the oldest are forgotten (then re-sent). */
const REMEMBERED = 100_000;
/** Batches of things worked on at once, and things per batch (one query each). */
const PARALLEL = 2;
const BATCH = 200;
/** Above this many queued things, producers (the rollout worker) wait. */
const HIGH_WATER = 20_000;
/**
 * Publishes notify (the pending list) and notify-next (the next execution) for things whose
 * pending executions changed. Work is queued per thing and coalesced, so a burst of changes
 * to one thing costs one notification, and the queue is bounded by the number of things.
 */
export class Notifier {
    o;
    queue = new Map();
    /** Per thing (LRU order), per namespace ('' for none): what it was last told. */
    last = new Map();
    active = 0;
    idleWaiters = [];
    capacityWaiters = [];
    off;
    closed = false;
    constructor(o) {
        this.o = o;
        this.off = o.events.on((e) => this.onEvent(e));
        o.events.addCapacityCheck(() => this.capacity());
    }
    onEvent(e) {
        if (this.closed)
            return;
        const ns = e.namespaceId === undefined ? ALL : e.namespaceId;
        for (const thingName of e.thingNames) {
            if (this.o.wants && !this.o.wants(thingName)) {
                this.forget(thingName);
                continue;
            }
            const key = `${thingName}\u0000${ns === ALL ? '*' : (ns ?? '')}`;
            this.queue.delete(key);
            this.queue.set(key, { thingName, ns });
        }
        this.pump();
    }
    /**
     * A device is connecting: what it is told next is measured from the state of now, so that a
     * change that leaves its next execution as it is does not announce that execution again. (A
     * device learns the state of now itself, with get or start-next, as AWS asks devices to.) The
     * broker awaits this before its CONNACK: read later, in the queue behind a burst of other
     * connections, it could see a job created after the device had subscribed, and the device
     * would never be told of it.
     */
    async connected(thingName) {
        if (this.closed)
            return;
        await this.notifyAll(thingName, true);
    }
    /** Resolves when the queue is below its high-water mark. */
    capacity() {
        if (this.queue.size < HIGH_WATER)
            return undefined;
        return new Promise((resolve) => this.capacityWaiters.push(resolve));
    }
    /** Resolves when nothing is queued or being sent (tests and shutdown). */
    idle() {
        if (this.queue.size === 0 && this.active === 0)
            return Promise.resolve();
        return new Promise((resolve) => this.idleWaiters.push(resolve));
    }
    close() {
        this.closed = true;
        this.off();
        this.queue.clear();
        return this.idle();
    }
    pump() {
        while (this.active < PARALLEL && this.queue.size > 0) {
            const batch = this.take();
            this.active++;
            this.notifyBatch(batch)
                .catch((err) => this.o.log?.error({ err, things: batch.length }, 'notification failed'))
                .finally(() => {
                this.active--;
                if (this.queue.size < HIGH_WATER / 2)
                    for (const w of this.capacityWaiters.splice(0))
                        w();
                if (this.queue.size === 0 && this.active === 0)
                    for (const w of this.idleWaiters.splice(0))
                        w();
                this.pump();
            });
        }
    }
    /** The oldest queued item, and up to BATCH more of the same namespace. */
    take() {
        const batch = [];
        for (const [key, item] of this.queue) {
            if (batch.length > 0 && (item.ns !== batch[0].ns || item.ns === ALL))
                continue;
            batch.push(item);
            this.queue.delete(key);
            if (batch.length >= BATCH || item.ns === ALL)
                break;
        }
        return batch;
    }
    async notifyBatch(batch) {
        const first = batch[0];
        if (first.ns === ALL)
            return this.notifyAll(first.thingName, false);
        await this.notifyThings(batch.map((b) => b.thingName), first.ns);
    }
    forget(thingName) {
        this.last.delete(thingName);
    }
    /** A change that may span namespaces (thing deletion, group membership), or a connection (silent): every list of the thing. */
    async notifyAll(thingName, silent) {
        const namespaces = await namespacesOfThing(this.o.store.db, thingName);
        if (!namespaces.includes(null))
            namespaces.push(null);
        for (const namespaceId of namespaces)
            await this.notifyThings([thingName], namespaceId, silent);
    }
    /** Reads the things' pending lists and announces what changed since each was told last. */
    async notifyThings(things, namespaceId, silent = false) {
        const { store } = this.o;
        if (this.o.told === 'memory') {
            const lists = await this.pending(store.db, things, namespaceId);
            for (const [thingName, rows] of lists) {
                const now = keys(rows);
                const before = this.remember(thingName, namespaceId, now);
                if (!silent)
                    this.send(thingName, namespaceId, await this.resolved(rows), now, before);
            }
            return;
        }
        // Shared memory: read and record under the things' locks, announce after the commit.
        const changed = await store.tx(async (db) => {
            const before = await lockTold(db, store.dialect, things, namespaceId);
            const lists = await this.pending(db, things, namespaceId);
            const out = [];
            const now = new Map();
            for (const [thingName, rows] of lists) {
                const k = keys(rows);
                const b = before.get(thingName);
                if (b?.list === k.list && b.next === k.next)
                    continue;
                now.set(thingName, k);
                out.push([thingName, rows, k, b]);
            }
            await saveTold(db, namespaceId, now);
            return out;
        });
        if (!silent)
            for (const [thingName, rows, now, before] of changed)
                this.send(thingName, namespaceId, await this.resolved(rows), now, before);
    }
    /** The things' pending lists as notify shows them. */
    async pending(db, things, namespaceId) {
        const caps = this.o.pendingCaps;
        const lists = await pendingForThings(db, things, namespaceId, readLimit(caps));
        if (caps)
            await capPending(db, lists, caps, this.o.clock.now(), true);
        return lists;
    }
    /** The rows with the first one's document as a device is given it (only that one is sent). */
    async resolved(rows) {
        const first = rows[0];
        if (!first?.document || !this.o.resolveDocument || !hasPresignedPlaceholder(first.document))
            return rows;
        return [{ ...first, document: await this.o.resolveDocument(first.job_id, first.document) }, ...rows.slice(1)];
    }
    /** Records in memory what a thing is told now; returns what it was told before. */
    remember(thingName, namespaceId, now) {
        const told = this.last.get(thingName) ?? new Map();
        const before = told.get(namespaceId ?? '');
        told.set(namespaceId ?? '', now);
        this.last.delete(thingName);
        this.last.set(thingName, told);
        if (this.last.size > REMEMBERED)
            this.last.delete(this.last.keys().next().value);
        return before;
    }
    /** Publishes notify if the list differs from `before`, notify-next if the next one does. */
    send(thingName, namespaceId, rows, now, before) {
        const timestamp = Math.floor(this.o.clock.now() / 1000);
        // What nobody subscribes to is not built (notify is rarely used, and costs most to build).
        const heard = (topic) => this.o.subscribed?.(thingName, topic) ?? true;
        const listTopic = notifyTopic(thingName, namespaceId);
        if (before?.list !== now.list && heard(listTopic)) {
            const inProgress = rows.filter((r) => r.status === 'IN_PROGRESS').map(pendingSummary);
            const queued = rows.filter((r) => r.status === 'QUEUED').map(pendingSummary);
            const jobs = {};
            if (inProgress.length)
                jobs.IN_PROGRESS = inProgress;
            if (queued.length)
                jobs.QUEUED = queued;
            this.o.publish(thingName, listTopic, JSON.stringify({ timestamp, jobs }));
        }
        const nextTopic = notifyNextTopic(thingName, namespaceId);
        if (before?.next !== now.next && heard(nextTopic)) {
            const first = rows[0];
            const body = { timestamp };
            if (first)
                body.execution = { ...execution(first, first.document), jobDocument: documentAsObject(first.document) };
            this.o.publish(thingName, nextTopic, JSON.stringify(body));
        }
    }
}
/** A pending list and its next execution as comparable keys: the next is identified by its row. */
function keys(rows) {
    return { list: rows.map((r) => `${r.id}:${r.status}`).join(','), next: rows[0] ? String(rows[0].id) : '' };
}
//# sourceMappingURL=notifier.js.map