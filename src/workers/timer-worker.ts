import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.js';
import type { Events } from '../events.js';
import type { Db, Store } from '../store/store.js';
import { anyDue, nextDue, takeDue, type TimerRow } from '../store/timers.js';

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
  /** Timers fired per transaction, at most. */
  batchSize?: number;
  /**
   * SQLite: the CPU time a batch's transaction should take, in ms. The API's queries wait behind it on
   * the one connection, and a request spans several event-loop turns, so the batch size follows
   * the measured cost per timer to keep each batch this short (bench/timeouts.ts).
   */
  batchBudgetMs?: number;
  /** Longest sleep between looks at the next due time (another node may have set a timer). */
  pollMs?: number;
  /** Called before each step: a shared manual clock reloads its time. */
  refresh?: () => Promise<unknown>;
  log?: { error(obj: object, msg: string): void };
}

/**
 * The timer worker: takes due timers out of the table in bounded batches, each in the transaction
 * that fires it, and publishes what changed after commit. A node that dies mid-batch rolls its
 * transaction back, and the timers are due again at once, for another node or itself after a
 * restart; nodes firing together skip each other's locked timers (takeDue). Between batches it
 * yields, so the API keeps answering.
 */
export class TimerWorker {
  private readonly batch: number;
  private readonly pollMs: number;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** Drains in progress: the poll loop leaves the batches to them (two would run back to back). */
  private draining = 0;
  private inFlight: Promise<unknown> = Promise.resolve();
  /** Timers in the next batch (adjusted to batchBudgetMs when set). */
  private size: number;
  private msPerTimer: number | undefined;

  constructor(private readonly o: TimerWorkerOptions) {
    this.batch = o.batchSize ?? 2000;
    this.size = o.batchBudgetMs ? Math.min(this.batch, 200) : this.batch;
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
    this.draining++;
    try {
      await this.inFlight.catch(() => {});
      await this.drainSteps(now);
    } finally {
      this.draining--;
    }
  }

  private async drainSteps(now: number): Promise<void> {
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
      // Being fired by another node (or a batch of ours in flight): wait for it to commit or roll back.
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
        if (this.draining > 0) wait = this.pollMs;
        else if ((await (this.inFlight = this.step(now))) > 0) wait = 0;
        else {
          const due = await nextDue(this.o.store.db);
          // With the system clock, sleep until the next timer is due (on time, not a poll late).
          if (due !== undefined) wait = Math.max(0, Math.min(this.pollMs, due - this.o.clock.now()));
          if (due !== undefined && due <= now) wait = 20; // due but being fired elsewhere
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

  /** Takes and fires one batch in one transaction; returns how many timers it took. */
  private async step(now: number): Promise<number> {
    const { store } = this.o;
    // Idle polls stop at one index probe, without opening a transaction. (Before PostgreSQL has
    // analyzed a freshly filled table, takeDue's filtered query may be planned as a sequential scan:
    // 80 ms per idle poll with 1,000,000 timers; ORDER BY ... LIMIT 1 walks the index regardless.)
    const first = await nextDue(store.db);
    if (first === undefined || first > now) return 0;
    await this.o.events.capacity();
    const size = this.size;
    let claimed: TimerRow[] = [];
    // CPU time, not wall time: on a busy host the process may lose the CPU in mid-batch.
    const cpu0 = process.cpuUsage();
    const fired = await store.tx(
      async (db) => {
        claimed = await takeDue(db, now, size);
        return this.fire(db, claimed, now);
      },
      { urgent: true },
    );
    if (this.o.batchBudgetMs && claimed.length === size) {
      const cpu = process.cpuUsage(cpu0);
      this.resize(size, (cpu.user + cpu.system) / 1000, this.o.batchBudgetMs);
    }
    const byNs = new Map<string | null, string[]>();
    for (const t of fired) {
      const list = byNs.get(t.namespaceId);
      if (list) list.push(t.thingName);
      else byNs.set(t.namespaceId, [t.thingName]);
    }
    for (const [ns, names] of byNs) this.o.events.pendingChanged(names, ns);
    return claimed.length;
  }

  /** Runs each kind's handler on its timers, in the caller's transaction. */
  private async fire(db: Db, claimed: TimerRow[], now: number): Promise<Fired['things']> {
    const byKind = new Map<string, TimerRow[]>();
    for (const t of claimed) {
      const list = byKind.get(t.kind);
      if (list) list.push(t);
      else byKind.set(t.kind, [t]);
    }
    const things: Fired['things'] = [];
    for (const [kind, timers] of byKind) {
      const handler = this.o.handlers[kind];
      if (!handler) this.o.log?.error({ kind, n: timers.length, nodeId: this.o.nodeId }, 'timers of an unknown kind dropped');
      else things.push(...(await handler(db, timers, now)).things);
    }
    return things;
  }

  /**
   * The next batch size from the last full batch's CPU time per timer. After the first, a slow
   * batch raises the estimate by at most half (a garbage collection, another thread); a fast one
   * lowers it at once. Sizes go in steps of 25: each is one cached statement.
   */
  private resize(size: number, ms: number, budgetMs: number): void {
    const measured = ms / size;
    this.msPerTimer = this.msPerTimer === undefined ? measured : Math.min(this.msPerTimer * 1.5, measured);
    this.size = Math.min(this.batch, Math.max(25, Math.round(budgetMs / Math.max(this.msPerTimer, 1e-4) / 25) * 25));
  }
}
