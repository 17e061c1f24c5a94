import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import type { Events } from '../events.js';
import { rowLimit, type Store } from '../store/store.js';
import { cancelStep, completeIfDone, deleteStep, rolloutStep, sweepStep } from '../store/jobs.js';
import { jobArn, type Scope } from '../domain/arn.js';
import { COUNTER_COLUMN } from '../domain/states.js';

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  events: Events;
  scope: Scope;
  nodeId: string;
  /** Executions deleted per second over all deletions; 0 = unlimited. */
  deletionRate: number;
  batchSize?: number;
  /** Executions per cancel step; a canceled row costs a fraction of a created or deleted one. */
  cancelBatchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** How long a tick goes on with the jobs it claimed before it claims again. */
const STAY_MS = 250;

interface Claimed {
  job_id: string;
  pending_work: string | null;
}

/**
 * The background worker for the long work a job owes: fan-out to thing groups ('rollout'),
 * CancelJob over many executions ('cancel', then 'sweep': the canceled rows leave the pending
 * index after the cancel, off its critical path) and DeleteJob ('delete'). The work is durable state
 * on the job row, claimed with a lease so that one node does each job at a time and another
 * takes over when a node dies; each step is one bounded transaction, so the API never stalls.
 */
export class JobWorker {
  private readonly batch: number;
  private readonly cancelBatch: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private tokens = 0;
  private lastRefill = 0;
  /** Per job and kind of work: what this node has done so far and when it last said so. */
  private readonly progress = new Map<string, { done: number; loggedAt: number }>();
  /** Rollouts and deletions whose planner statistics were checked (once per job and node). */
  private readonly statsChecked = new Set<string>();

  constructor(private readonly o: WorkerOptions) {
    this.batch = o.batchSize ?? 2000;
    this.cancelBatch = o.cancelBatchSize ?? this.batch;
    this.leaseMs = o.leaseMs ?? 5_000;
    this.pollMs = o.pollMs ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastRefill = Date.now();
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

  private async loop(): Promise<void> {
    while (this.running) {
      let wait = this.pollMs;
      try {
        this.woken = false;
        const result = await this.tick();
        if (result.didWork) wait = 0;
        else if (result.waitingForTokens) wait = Math.min(this.pollMs, Math.max(10, Math.ceil(1000 / this.o.deletionRate)));
      } catch (err) {
        this.o.log?.error({ err }, 'job worker step failed; retrying');
        wait = this.pollMs;
      }
      if (!this.running) break;
      // After work, tick() has already yielded to I/O once per step: go on with the next one.
      if (wait !== 0 && !this.woken) await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        void sleep(wait).then(resolve);
      });
      this.wakeUp = undefined;
    }
  }

  /** Deletion budget for this step, from a token bucket refilled at deletionRate per second. */
  private deletionBudget(): number {
    if (this.o.deletionRate <= 0) return this.batch;
    const now = Date.now();
    this.tokens = Math.min(this.o.deletionRate, this.tokens + ((now - this.lastRefill) / 1000) * this.o.deletionRate);
    this.lastRefill = now;
    return Math.min(this.batch, Math.floor(this.tokens));
  }

  private async claim(): Promise<Claimed[]> {
    const { store, nodeId } = this.o;
    // Leases run on wall time: they must expire when a node dies, whether or not a manual clock moves.
    const now = Date.now();
    const candidates = store.db
      .selectFrom('jobs')
      .select('job_id')
      .where('pending_work', 'is not', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now), eb('lease_owner', '=', nodeId)]))
      .orderBy('job_id')
      .limit(rowLimit(16));
    const locked = store.dialect === 'postgres' ? candidates.forUpdate().skipLocked() : candidates;
    return store.db
      .updateTable('jobs')
      .set({ lease_owner: nodeId, lease_until: now + this.leaseMs })
      .where('job_id', 'in', locked)
      .returning(['job_id', 'pending_work'])
      .execute();
  }

  /**
   * Steps through the claimed jobs in turn, for up to STAY_MS without claiming again: a claim is a
   * commit of its own, which a large cancel paid once per step.
   */
  private async tick(): Promise<{ didWork: boolean; waitingForTokens: boolean }> {
    let open = await this.claim();
    let didWork = false;
    let waitingForTokens = false;
    const started = performance.now();
    while (open.length > 0 && this.running) {
      const next: Claimed[] = [];
      for (const c of open) {
        if (!this.running) break;
        let limit = c.pending_work === 'cancel' || c.pending_work === 'sweep' ? this.cancelBatch : this.batch;
        if (c.pending_work === 'delete') {
          limit = this.deletionBudget();
          if (limit <= 0) {
            waitingForTokens = true;
            continue;
          }
        }
        const key = `${c.job_id}/${c.pending_work}`;
        if ((c.pending_work === 'rollout' || c.pending_work === 'delete') && !this.statsChecked.has(key)) {
          if (this.statsChecked.size > 10_000) this.statsChecked.clear();
          this.statsChecked.add(key);
          await this.o.store.freshenStats(c.pending_work === 'rollout' ? 'group_members' : 'job_executions');
        }
        // Notifications lag behind a big fan-out: wait for them rather than queue without bound.
        await this.o.events.capacity();
        const { n, more } = await this.step(c.job_id, limit, c.pending_work === 'rollout' || c.pending_work === 'cancel');
        if (n > 0 || c.pending_work !== 'delete') didWork = true;
        if (c.pending_work === 'delete' && this.o.deletionRate > 0) this.tokens -= n;
        if (more) next.push(c);
        await new Promise<void>((r) => setImmediate(r));
      }
      open = next;
      if (performance.now() - started >= STAY_MS) break;
    }
    return { didWork, waitingForTokens };
  }

  /**
   * One bounded transaction of work on one job; returns how many executions it touched and whether
   * work is left. A rollout or cancel step goes ahead of queued device requests (it decides what
   * the fleet works on next); a deletion step waits its turn.
   */
  private async step(jobId: string, limit: number, urgent: boolean): Promise<{ n: number; more: boolean }> {
    const { store, nodeId } = this.o;
    const now = this.o.clock.now();
    const out = await store.tx(async (db) => {
      const job = await store.lock(db.selectFrom('jobs').selectAll().where('job_id', '=', jobId)).executeTakeFirst();
      if (!job || job.lease_owner !== nodeId || job.pending_work === null) return { things: [] as string[], n: 0, ns: null, progress: undefined };
      let things: string[] = [];
      let n = 0;
      let done = false;
      let sweepNext = false;
      // What is left after this step, for the progress log: executions, or groups for a rollout.
      let left: Record<string, number> = {};
      if (job.pending_work === 'rollout') {
        let groupsLeft: number;
        ({ things, done, groupsLeft } = await rolloutStep(db, jobId, now, limit));
        n = things.length;
        left = { groupsLeft };
      } else if (job.pending_work === 'cancel') {
        ({ things, done } = await cancelStep(db, job, now, limit, { unlist: false }));
        n = things.length;
        left = { left: Math.max(0, job.n_queued + (job.force_canceled === 1 ? job.n_in_progress : 0) - n) };
        sweepNext = done;
      } else if (job.pending_work === 'sweep') {
        ({ n, done } = await sweepStep(db, jobId, job.rollout_cursor, limit));
      } else if (job.pending_work === 'delete') {
        const d = await deleteStep(db, jobId, jobArn(this.o.scope, jobId), limit, job.rollout_cursor);
        things = d.things;
        n = d.deleted;
        const total = Object.values(COUNTER_COLUMN).reduce((sum, column) => sum + Number(job[column]), 0);
        left = { left: Math.max(0, total - d.deleted) };
        if (d.done) return { things, n, ns: job.namespace_id, progress: { work: 'delete', left, done: true } };
      }
      const progress = { work: job.pending_work, left, done };
      // A cancel's last step hands the job to its sweep (cancelStep has reset the cursor).
      const leased = { lease_until: Date.now() + this.leaseMs, ...(sweepNext ? { pending_work: 'sweep' } : {}) };
      await db
        .updateTable('jobs')
        .set(done && !sweepNext ? { pending_work: null, lease_owner: null, lease_until: null } : leased)
        .where('job_id', '=', jobId)
        .execute();
      if (done) await completeIfDone(db, jobId, now);
      return { things, n, ns: job.namespace_id, progress };
    }, { urgent });
    // Outside the transaction, which store.tx may run more than once.
    this.o.events.pendingChanged(out.things, out.ns);
    if (out.progress) this.noteProgress(jobId, out.progress.work, out.n, out.progress.left, out.progress.done);
    return { n: out.n, more: out.progress !== undefined && !out.progress.done };
  }

  /** Progress at info: a line at most once a second per job and kind of work, and one when it is done. */
  private noteProgress(jobId: string, work: string, n: number, left: Record<string, number>, finished: boolean): void {
    const key = `${jobId}/${work}`;
    const now = Date.now();
    const p = this.progress.get(key) ?? { done: 0, loggedAt: now };
    p.done += n;
    if (finished) {
      this.progress.delete(key);
      this.o.log?.info({ jobId, work, done: p.done }, `job ${work} done`);
      return;
    }
    if (now - p.loggedAt >= 1000) {
      p.loggedAt = now;
      this.o.log?.info({ jobId, work, done: p.done, ...left }, `job ${work} in progress`);
    }
    this.progress.set(key, p);
  }
}

/** On an embedded (single-process) store, no other node can hold a lease: a restart takes them all back. */
export async function releaseAllLeases(store: Store): Promise<void> {
  await store.db.updateTable('jobs').set({ lease_owner: null, lease_until: null }).where('lease_owner', 'is not', null).execute();
}
