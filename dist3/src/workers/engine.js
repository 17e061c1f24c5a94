import { setTimeout as sleep } from 'node:timers/promises';
import { rowLimit } from '../store/store.js';
import { anyDue, nextDue, setTimer, takeDue } from '../store/timers.js';
import { WORK_KINDS, workOfTimer, workTimer } from '../store/work.js';
import { cancelStep, sweepStep } from '../store/steps/cancel.js';
import { deleteStep } from '../store/steps/delete.js';
import { rolloutStep } from '../store/steps/fanout.js';
import { owe } from '../store/work.js';
import { completeIfDone } from '../store/lifecycle/job-status.js';
import { jobArn } from '../domain/arn.js';
import { COUNTER_COLUMN } from '../domain/states.js';
const BATCH_KINDS = { work: false };
/** Work goes ahead of queued device requests when it decides what the fleet works on next. */
const URGENT = new Set(['rollout', 'cancel']);
/**
 * The one engine for everything that happens later: durable timers (timeouts, paced releases,
 * scheduled starts and ends) and the work jobs owe (fan-out, cancel, sweep, deletion), which is a
 * timer due now. One claim protocol (a transaction takes the timer out of the table and does what
 * it stands for; a node that dies mid-step rolls both back, and the timer is due again at once;
 * PostgreSQL nodes skip each other's locked timers), one poll and wake loop, one drain. Each step
 * is one bounded transaction, and the loop yields between steps so the API keeps answering.
 */
export class Engine {
    o;
    batch;
    pollMs;
    workBatch;
    running = false;
    loopDone = Promise.resolve();
    wakeUp;
    woken = false;
    draining = 0;
    inFlight = Promise.resolve();
    /** Timers in the next batch (adjusted to batchBudgetMs when set). */
    size;
    msPerTimer;
    tokens = 0;
    lastRefill = 0;
    /** Per job and kind of work: what this node has done so far and when it last said so. */
    progress = new Map();
    /** Rollouts and deletions whose planner statistics were checked (once per job and node). */
    statsChecked = new Set();
    constructor(o) {
        this.o = o;
        this.batch = o.batchSize ?? 2000;
        this.size = o.batchBudgetMs ? Math.min(this.batch, 200) : this.batch;
        this.pollMs = o.pollMs ?? 500;
        const base = o.workBatch ?? {};
        this.workBatch = { rollout: base.rollout ?? 2000, cancel: base.cancel ?? 2000, sweep: base.sweep ?? base.cancel ?? 2000, delete: base.delete ?? 2000 };
    }
    start() {
        if (this.running)
            return;
        this.running = true;
        this.lastRefill = Date.now();
        this.loopDone = this.loop();
    }
    wake() {
        this.woken = true;
        this.wakeUp?.();
    }
    async stop() {
        this.running = false;
        this.wake();
        await this.loopDone.catch(() => { });
        await this.inFlight.catch(() => { });
    }
    /**
     * Does everything due at `now` (timers and the work jobs owe, including what another node is
     * doing: it waits for it) and returns when nothing is left. The clock POST awaits it. A
     * rate-limited deletion is left to run at its rate.
     */
    async drain(now) {
        this.draining++;
        try {
            await this.inFlight.catch(() => { });
            for (;;) {
                const n = (await this.timerStep(now)) + (await this.workStep(now));
                // Yield between batches (a macrotask), so that requests get answered meanwhile.
                if (n > 0) {
                    await new Promise((r) => setImmediate(r));
                    continue;
                }
                if (!(await anyDue(this.o.store.db, now, BATCH_KINDS)) && !(await anyDue(this.o.store.db, now, this.workFilter(true))))
                    return;
                // Being done by another node (or a step of ours in flight): wait for it to commit or roll back.
                await sleep(20);
            }
        }
        finally {
            this.draining--;
        }
    }
    async loop() {
        while (this.running) {
            let wait = this.pollMs;
            try {
                this.woken = false;
                await this.o.refresh?.();
                const now = this.o.clock.now();
                if (this.draining > 0)
                    wait = this.pollMs;
                else {
                    const step = (async () => (await this.timerStep(now)) + (await this.workStep(now)))();
                    this.inFlight = step;
                    if ((await step) > 0)
                        wait = 0;
                    else
                        wait = await this.untilDue(now);
                }
            }
            catch (err) {
                this.o.log?.error({ err }, 'engine step failed; retrying');
                wait = this.pollMs;
            }
            if (!this.running)
                break;
            if (wait === 0) {
                await new Promise((r) => setImmediate(r));
                continue;
            }
            if (!this.woken)
                await new Promise((resolve) => {
                    this.wakeUp = resolve;
                    void sleep(wait).then(resolve);
                });
            this.wakeUp = undefined;
        }
    }
    /** How long to sleep: until the next timer (with the system clock, on time), at most a poll. */
    async untilDue(now) {
        const db = this.o.store.db;
        const dues = [await nextDue(db, BATCH_KINDS), await nextDue(db, this.workFilter(false))].filter((d) => d !== undefined);
        if (dues.length === 0)
            return this.pollMs;
        const due = Math.min(...dues);
        // Due but being done elsewhere, or a deletion waiting for its tokens.
        if (due <= now)
            return this.o.deletionRate > 0 ? Math.min(this.pollMs, Math.max(10, Math.ceil(1000 / this.o.deletionRate))) : 20;
        return Math.max(0, Math.min(this.pollMs, due - this.o.clock.now()));
    }
    /** The work kinds a take may claim now: a deletion only with tokens (or without a rate, or for a drain's test). */
    workFilter(all) {
        const kinds = WORK_KINDS.filter((k) => k !== 'delete' || (all ? this.o.deletionRate <= 0 : this.deletionBudget() > 0)).map(workTimer);
        return { work: true, kinds: [...kinds, ...Object.keys(this.o.steps ?? {})] };
    }
    /** Takes and fires one batch of timers in one transaction; returns how many it took. */
    async timerStep(now) {
        const { store } = this.o;
        // Idle polls stop at one index probe, without opening a transaction.
        const first = await nextDue(store.db, BATCH_KINDS);
        if (first === undefined || first > now)
            return 0;
        await this.o.capacity?.();
        const size = this.size;
        let claimed = 0;
        // CPU time, not wall time: on a busy host the process may lose the CPU in mid-batch.
        const cpu0 = process.cpuUsage();
        await store.run(async (tx) => {
            const timers = await takeDue(tx, now, size, BATCH_KINDS);
            claimed = timers.length;
            await this.fire(tx, timers, now);
        }, { urgent: true });
        if (this.o.batchBudgetMs && claimed === size) {
            const cpu = process.cpuUsage(cpu0);
            this.resize(size, (cpu.user + cpu.system) / 1000, this.o.batchBudgetMs);
        }
        return claimed;
    }
    /** Runs each kind's handler on its timers, in the caller's transaction. */
    async fire(tx, claimed, now) {
        const byKind = new Map();
        for (const t of claimed) {
            const list = byKind.get(t.kind);
            if (list)
                list.push(t);
            else
                byKind.set(t.kind, [t]);
        }
        for (const [kind, timers] of byKind) {
            const handler = this.o.handlers[kind];
            if (!handler)
                this.o.log?.error({ kind, n: timers.length, nodeId: this.o.nodeId }, 'timers of an unknown kind dropped');
            else
                await handler(tx, timers, now);
        }
    }
    /** One step of the work a job owes, in one transaction; returns how many executions it touched (1 at least when it did a step). */
    async workStep(now) {
        const { store } = this.o;
        const filter = this.workFilter(false);
        if (filter.work && filter.kinds.length === 0)
            return 0;
        const next = await store.db
            .selectFrom('timers')
            .select(['kind', 'ref'])
            .where('kind', 'in', filter.work ? [...filter.kinds] : [])
            .where('due_at', '<=', now)
            .orderBy('due_at')
            .orderBy('id')
            .limit(rowLimit(1))
            .executeTakeFirst();
        if (!next)
            return 0;
        const other = this.o.steps?.[next.kind];
        if (other)
            return this.otherStep(next.kind, other, now);
        const kind = workOfTimer(next.kind);
        const key = `${next.ref}/${kind}`;
        if ((kind === 'rollout' || kind === 'delete') && !this.statsChecked.has(key)) {
            if (this.statsChecked.size > 10_000)
                this.statsChecked.clear();
            this.statsChecked.add(key);
            await store.freshenStats(kind === 'rollout' ? 'group_members' : 'job_executions');
        }
        await this.o.capacity?.();
        const limit = kind === 'delete' ? Math.min(this.workBatch.delete, this.deletionBudget()) : this.workBatch[kind];
        if (limit <= 0)
            return 0;
        const out = await store.run(async (tx) => {
            const [timer] = await takeDue(tx, now, 1, { work: true, kinds: [next.kind] });
            if (!timer)
                return undefined;
            const job = await tx.lockJob(timer.ref);
            // A timer left behind by work that ended or changed kind: taking it was all there was to do.
            if (!job || job.pending_work !== kind)
                return { n: 0, done: true, left: {}, stale: true };
            let n = 0;
            let done = false;
            let left = {};
            if (kind === 'rollout') {
                const step = await rolloutStep(tx, job, now, limit);
                n = step.things.length;
                done = step.done;
                left = { groupsLeft: step.groupsLeft };
                if (done) {
                    await owe(tx, job, null, now);
                    await completeIfDone(tx, job.job_id, now);
                }
            }
            else if (kind === 'cancel') {
                const step = await cancelStep(tx, job, now, limit, { unlist: false });
                n = step.things.length;
                done = step.done;
                left = { left: Math.max(0, job.n_queued + (job.force_canceled === 1 ? job.n_in_progress : 0) - n) };
            }
            else if (kind === 'sweep') {
                ({ n, done } = await sweepStep(tx, job, now, limit));
            }
            else {
                const step = await deleteStep(tx, job, jobArn(this.o.scope, job.job_id), now, limit);
                n = step.deleted;
                done = step.done;
                const total = Object.values(COUNTER_COLUMN).reduce((sum, column) => sum + Number(job[column]), 0);
                left = { left: Math.max(0, total - n) };
            }
            // More to do: the same work is due again at once (behind the other jobs' work: a new id).
            if (!done)
                await setTimer(tx.db, timer.kind, timer.ref, timer.job_id, now);
            return { n, done, left, stale: false };
        }, { urgent: URGENT.has(kind) });
        if (!out)
            return 0;
        if (out.stale)
            return 1;
        if (kind === 'delete' && this.o.deletionRate > 0)
            this.tokens -= out.n;
        this.noteProgress(next.ref, kind, out.n, out.left, out.done);
        return Math.max(1, out.n);
    }
    /** One step of owed work that is not a job's, in the transaction that takes its timer. */
    async otherStep(kind, o, now) {
        await this.o.capacity?.();
        const out = await this.o.store.run(async (tx) => {
            const [timer] = await takeDue(tx, now, 1, { work: true, kinds: [kind] });
            if (!timer)
                return undefined;
            const r = await o.step(tx, timer.ref, now, o.batch);
            if (!r.done)
                await setTimer(tx.db, timer.kind, timer.ref, timer.job_id, now);
            return r;
        });
        return out ? Math.max(1, out.n) : 0;
    }
    /** Deletion budget for this step, from a token bucket refilled at deletionRate per second (wall time). */
    deletionBudget() {
        if (this.o.deletionRate <= 0)
            return this.workBatch.delete;
        const now = Date.now();
        this.tokens = Math.min(this.o.deletionRate, this.tokens + ((now - this.lastRefill) / 1000) * this.o.deletionRate);
        this.lastRefill = now;
        return Math.floor(this.tokens);
    }
    /** Progress at info: a line at most once a second per job and kind of work, and one when it is done. */
    noteProgress(jobId, work, n, left, finished) {
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
    /**
     * The next batch size from the last full batch's CPU time per timer. After the first, a slow
     * batch raises the estimate by at most half (a garbage collection, another thread); a fast one
     * lowers it at once. Sizes go in steps of 25: each is one cached statement.
     */
    resize(size, ms, budgetMs) {
        const measured = ms / size;
        this.msPerTimer = this.msPerTimer === undefined ? measured : Math.min(this.msPerTimer * 1.5, measured);
        this.size = Math.min(this.batch, Math.max(25, Math.round(budgetMs / Math.max(this.msPerTimer, 1e-4) / 25) * 25));
    }
}
//# sourceMappingURL=engine.js.map