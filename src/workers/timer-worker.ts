import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Events } from '../events.js';
import type { Db, Store } from '../store/store.js';
import { anyDue, claimDue, finishTimers, nextDue, type TimerRow } from '../store/timers.js';

/** What firing a batch of timers changed: things whose pending list may differ, by namespace. */
export interface Fired {
  things: { thingName: string; namespaceId: string | null }[];
}

/**
 * Fires timers of one kind, in the caller's transaction. It must check, under a row lock or in a
 * conditional UPDATE, that what the timer stands for is still due (a device may have moved it
 * on), so that a timer that fires late or twice changes nothing.
 */
export type TimerHandler = (db: Db, timers: TimerRow[], now: number) => Promise<Fired>;

export interface TimerWorkerOptions {
  store: Store;
  clock: Clock;
  events: Events;
  nodeId: string;
  handlers: Record<string, TimerHandler>;
  /** Timers fired per transaction. */
  batchSize?: number;
  leaseMs?: number;
  /** Longest sleep between looks at the next due time (another node may have set a timer). */
  pollMs?: number;
  /** Called before each step: a shared manual clock reloads its time. */
  refresh?: () => Promise<unknown>;
  log?: { error(obj: object, msg: string): void };
}

/**
 * The timer worker: claims due timers in bounded batches under a lease (wall time), fires each
 * batch in one transaction that also deletes the timers, and publishes what changed after commit.
 * A node that dies mid-batch rolls its transaction back; its lease runs out and another node (or
 * itself after a restart) fires the batch. Between batches it yields, so the API keeps answering.
 */
export class TimerWorker {
  private readonly batch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(private readonly o: TimerWorkerOptions) {
    this.batch = o.batchSize ?? 2000;
    this.leaseMs = o.leaseMs ?? 10_000;
    this.pollMs = o.pollMs ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
  }

  /**
   * Fires everything due at `now`, including timers another node is firing (it waits for them),
   * and returns when none is left. The clock POST awaits it.
   */
  async drain(now: number): Promise<void> {
    for (;;) {
      const n = await this.step(now);
      // Yield between batches (a macrotask, not only a microtask), so that requests get answered
      // during a storm: on SQLite each batch runs synchronously (bench/timeouts.ts found the API
      // stalled for the whole drain without this).
      if (n > 0) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      if (!(await anyDue(this.o.store.db, now))) return;
      // Leased by another node (or a batch of ours in flight): wait for it to finish or expire.
      await sleep(20);
    }
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let wait = this.pollMs;
      try {
        this.woken = false;
        await this.o.refresh?.();
        const now = this.o.clock.now();
        if ((await this.step(now)) > 0) wait = 0;
        else {
          const due = await nextDue(this.o.store.db);
          // With the system clock, sleep until the next timer is due (on time, not a poll late).
          if (due !== undefined) wait = Math.max(0, Math.min(this.pollMs, due - this.o.clock.now()));
          if (due !== undefined && due <= now) wait = 20; // due but leased elsewhere
        }
      } catch (err) {
        this.o.log?.error({ err }, 'timer worker step failed; retrying');
        wait = this.pollMs;
      }
      if (!this.running) break;
      if (wait === 0) {
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      if (!this.woken)
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          void sleep(wait).then(resolve);
        });
      this.wakeUp = undefined;
    }
  }

  /** Claims and fires one batch; returns how many timers it claimed. */
  private async step(now: number): Promise<number> {
    const { store, nodeId } = this.o;
    const wall = Date.now();
    const claimed = await claimDue(store, now, wall, nodeId, wall + this.leaseMs, this.batch);
    if (claimed.length === 0) return 0;
    await this.o.events.capacity();
    const byKind = new Map<string, TimerRow[]>();
    for (const t of claimed) {
      const list = byKind.get(t.kind);
      if (list) list.push(t);
      else byKind.set(t.kind, [t]);
    }
    const fired = await store.tx(
      async (db) => {
        const things: Fired['things'] = [];
        for (const [kind, timers] of byKind) {
          const handler = this.o.handlers[kind];
          if (!handler) {
            this.o.log?.error({ kind, n: timers.length }, 'timers of an unknown kind dropped');
          } else {
            things.push(...(await handler(db, timers, now)).things);
          }
        }
        await finishTimers(db, claimed, nodeId);
        return things;
      },
      { urgent: true },
    );
    const byNs = new Map<string | null, string[]>();
    for (const t of fired) {
      const list = byNs.get(t.namespaceId);
      if (list) list.push(t.thingName);
      else byNs.set(t.namespaceId, [t.thingName]);
    }
    for (const [ns, names] of byNs) this.o.events.pendingChanged(names, ns);
    return claimed.length;
  }
}
