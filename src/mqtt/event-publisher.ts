import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/store.js';
import { claimEvents, nthEventId, releaseEvents, removeEvents, type OutboxBody, type OutboxRow } from '../store/outbox.js';
import { jobExecutionEventPayload, jobExecutionEventTopic, type JobExecutionEventOperation } from '../domain/job-events.js';
import { membershipEvent } from '../domain/registry-events.js';
import { thingArn, thingGroupArn, type Scope } from '../domain/arn.js';
import type { Logger } from './types.js';

export interface EventPublisherOptions {
  store: Store;
  nodeId: string;
  scope: Scope;
  /** Publishes one event through the broker in use; resolves when the broker took it (backpressure). */
  publish: (topic: string, payload: string) => Promise<void>;
  /**
   * Whether anyone could receive a message on `topic` (the embedded broker knows its subscribers;
   * absent: always, as with an external broker). A bulk row nobody listens to is dropped unexpanded.
   */
  listened?: (topic: string) => boolean;
  /** Counts what was published, by event type. */
  published?: (type: string, n: number) => void;
  log: Logger;
  /** Outbox rows claimed at once (a bulk row holds up to a cancel batch of events). */
  rows?: number;
  /** How long a claim holds (wall time): a node that dies mid-publish leaves its rows to others after it. */
  leaseMs?: number;
  pollMs?: number;
  /** Events in flight to the broker at once. */
  window?: number;
}

/** The longest run of publishing between two turns of the event loop (the API's requests wait meanwhile). */
const SLICE_MS = 4;

/**
 * Publishes what the outbox holds, oldest first, through the broker in use, then deletes it. Rows
 * are claimed with a lease, so across PostgreSQL nodes each event is published once in normal
 * operation, and again (at least once, as AWS promises) only when a node died before deleting
 * what it had published. Publishing follows the broker's backpressure: at most `window` events in
 * flight, and a bulk row is expanded one event at a time.
 */
export class EventPublisher {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private idleWaiters: (() => void)[] = [];
  private readonly rows: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly window: number;

  constructor(private readonly o: EventPublisherOptions) {
    this.rows = o.rows ?? 20;
    this.leaseMs = o.leaseMs ?? 10_000;
    this.pollMs = o.pollMs ?? 500;
    this.window = o.window ?? 256;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = (async () => {
      // A SQLite store has one node: what an earlier run had claimed is nobody's now.
      if (this.o.store.dialect === 'sqlite') await releaseEvents(this.o.store.db).catch(() => {});
      await this.loop();
    })();
  }

  /** A transaction wrote events: publish them now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Resolves once a pass has found nothing to publish (the clock POST waits for it). */
  idle(): Promise<void> {
    this.wake();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let claimed: OutboxRow[] = [];
      try {
        this.woken = false;
        // Leases run on wall time: they must run out when a node dies, whatever a manual clock does.
        claimed = await claimEvents(this.o.store.db, this.o.store.dialect === 'postgres', this.o.nodeId, Date.now(), this.leaseMs, this.rows);
        if (claimed.length) {
          const done: number[] = [];
          for (const row of claimed) {
            if (!this.running) break;
            await this.publishRow(row);
            done.push(Number(row.id));
          }
          await removeEvents(this.o.store.db, this.o.nodeId, done);
          continue;
        }
      } catch (err) {
        this.o.log.error({ err }, 'event publishing failed; retrying');
        await sleep(this.pollMs);
        continue;
      }
      for (const w of this.idleWaiters.splice(0)) w();
      if (!this.running) break;
      if (!this.woken)
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          void sleep(this.pollMs).then(resolve);
        });
      this.wakeUp = undefined;
    }
  }

  private async publishRow(row: OutboxRow): Promise<void> {
    const body = JSON.parse(row.body) as OutboxBody;
    if ('topic' in body) {
      await this.o.publish(body.topic, JSON.stringify(body.payload));
      this.o.published?.(row.type, 1);
      return;
    }
    if ('memberships' in body) return this.publishMemberships(row, body.memberships);
    const e = body.executions;
    const topic = jobExecutionEventTopic(e.jobId, e.operation as JobExecutionEventOperation);
    // One topic for the whole batch: with no subscriber, a million events cost one check.
    if (this.o.listened && !this.o.listened(topic)) return;
    const inFlight = new Set<Promise<void>>();
    const turn = turns();
    for (const [i, thingName] of e.things.entries()) {
      const payload = jobExecutionEventPayload(
        { jobId: e.jobId, thingArn: thingArn(this.o.scope, thingName), status: e.status, operation: e.operation as JobExecutionEventOperation, statusDetails: e.details },
        nthEventId(row.event_id, i),
        e.at,
      );
      await this.send(inFlight, topic, payload);
      await turn(i);
    }
    await Promise.all(inFlight);
    this.o.published?.(row.type, e.things.length);
  }

  /** A publish within the window of events in flight. */
  private async send(inFlight: Set<Promise<void>>, topic: string, payload: Record<string, unknown>): Promise<void> {
    const p = this.o.publish(topic, JSON.stringify(payload)).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= this.window) await Promise.race(inFlight);
  }

  /** A bulk membership row: one topic per thing, so the subscriber check is per event (a trie lookup). */
  private async publishMemberships(row: OutboxRow, m: Extract<OutboxBody, { memberships: unknown }>['memberships']): Promise<void> {
    const scope = this.o.scope;
    const inFlight = new Set<Promise<void>>();
    const turn = turns();
    let n = 0;
    for (const [i, [thingName, thingId, membershipId]] of m.members.entries()) {
      const e = membershipEvent(
        m.op,
        { accountId: scope.accountId, groupName: m.group, groupArn: thingGroupArn(scope, m.group), groupId: m.groupId, thingName, thingArn: thingArn(scope, thingName), thingId, membershipId },
        nthEventId(row.event_id, i),
        m.at,
      );
      await turn(i);
      if (this.o.listened && !this.o.listened(e.topic)) continue;
      await this.send(inFlight, e.topic, e.payload);
      n++;
    }
    await Promise.all(inFlight);
    this.o.published?.(row.type, n);
  }
}

/**
 * An embedded broker takes a message at once while its receiver keeps up (a microtask): without a
 * turn of the event loop every few ms, expanding a 5,000-event row held the API for over a second.
 */
function turns(): (i: number) => Promise<void> {
  let slice = performance.now();
  return async (i) => {
    if ((i & 15) !== 15 || performance.now() - slice < SLICE_MS) return;
    await new Promise<void>((r) => setImmediate(r));
    slice = performance.now();
  };
}
