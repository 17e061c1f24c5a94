/**
 * The rollout over time (orchestration.md §1–3): paced release of executions, a scheduled job's
 * start, its end and endBehavior, and maintenance windows. Each is a durable timer with
 * ref = jobId, fired by the TimerWorker; the handler re-checks the job under its row lock, so one
 * pace holds across PostgreSQL nodes, and sets its next timer in the same transaction.
 */
import type { Db } from './store.js';
import { cancelStep, completeIfDone, lockJob, rolloutStep, type JobRow } from './jobs.js';
import { queueExecution } from './executions.js';
import { clearTimer, setTimer, type TimerRow } from './timers.js';
import { advancePace, currentRate, nextReleaseAt, repace, resumePace, startPace, type Pace, type RolloutConfig } from '../domain/rollout.js';
import { firstStart, nextWindowStarts, storedSchedule, windowAt, type Schedule, type SchedulingConfig } from '../domain/schedule.js';
import type { Fired, TimerHandler } from '../workers/timer-worker.js';

export const ROLLOUT = 'rollout';
export const SCHEDULE_START = 'schedule_start';
export const SCHEDULE_END = 'schedule_end';

/** Executions one timer transaction may create (over all its jobs): a minute at the highest rate. */
export const RELEASE_BATCH = 1000;
/**
 * With the system clock, a timer this late means nobody fired it meanwhile (a restart, a node
 * whose lease ran out): the pace resumes from now instead of catching up the missed time.
 */
const GAP_MS = 5000;

/** A paced rollout's durable state (jobs.rollout_pace), while it still creates executions. */
export interface RolloutState {
  /** Undefined until the first release. */
  pace?: Pace;
  /** Executions this rollout created (the "notified things" of the exponential criterion). */
  released: number;
  /** Group targets still to walk (rolloutStep keeps its cursor in rollout_cursor). */
  groups: boolean;
  /** Start of the maintenance window the pace belongs to. */
  win?: number;
}

interface JobConfig {
  jobExecutionsRolloutConfig?: RolloutConfig;
  schedulingConfig?: SchedulingConfig;
}

const configOf = (job: Pick<JobRow, 'config'>): JobConfig => JSON.parse(job.config) as JobConfig;
export const scheduleOf = (job: Pick<JobRow, 'config'>): Schedule => storedSchedule(configOf(job).schedulingConfig ?? {});

/**
 * Whether a job's rollout is paced: it has a rollout config, or maintenance windows (which gate it).
 * Jobs with neither roll out as fast as the worker goes, as before (docs/compatibility.md).
 */
export function isPaced(config: JobConfig): boolean {
  return config.jobExecutionsRolloutConfig !== undefined || (config.schedulingConfig?.maintenanceWindows?.length ?? 0) > 0;
}

/** The time a timer's work is done as of: its due time, unless nobody fired it for a while (system clock). */
export const effectiveDue = (due: number, now: number, manual: boolean): number => (!manual && now - due > GAP_MS ? now : due);

const readState = (job: JobRow): RolloutState | undefined => (job.rollout_pace ? (JSON.parse(job.rollout_pace) as RolloutState) : undefined);

/**
 * Creates executions for up to `limit` targets without one: direct thing targets first (in target
 * order), then the group fan-out from its cursor. Returns the things and whether all targets are done.
 */
async function releaseTargets(db: Db, job: JobRow, state: RolloutState, now: number, limit: number): Promise<{ things: string[]; done: boolean }> {
  const direct = (await db.selectFrom('job_targets').select('name').where('job_id', '=', job.job_id).where('kind', '=', 'thing').orderBy('position').execute()).map(
    (r) => r.name,
  );
  let missing: string[] = [];
  if (direct.length) {
    const have = await db.selectFrom('job_executions').select('thing_name').where('job_id', '=', job.job_id).where('thing_name', 'in', direct).execute();
    const seen = new Set(have.map((r) => r.thing_name));
    // A thing deleted since CreateJob gets no execution.
    const alive = new Set((await db.selectFrom('things').select('thing_name').where('thing_name', 'in', direct).execute()).map((r) => r.thing_name));
    missing = direct.filter((n) => !seen.has(n) && alive.has(n));
  }
  const things: string[] = [];
  for (const name of missing.slice(0, limit)) {
    await queueExecution(db, job.job_id, name, now);
    things.push(name);
  }
  const left = limit - things.length;
  if (state.groups && left > 0) {
    const step = await rolloutStep(db, job.job_id, now, left);
    things.push(...step.things);
    if (step.done) state.groups = false;
  }
  return { things, done: missing.length <= limit && !state.groups };
}

/**
 * One step of a paced rollout as of `at` (the timer's due time), creating at most `budget`
 * executions: opens a pace at the start or at a window's opening (one minute's worth at once),
 * releases what the pace allows up to now (not past the window's or the schedule's end), and sets
 * the next timer: the next release, or the next window's opening. Under the job's row lock.
 */
/** How a release step runs: after a gap in firing (system clock), and with minute batches (the manual clock; rollout.ts in domain). */
export interface Spread {
  gap?: boolean;
  step: boolean;
}

async function paceStep(db: Db, job: JobRow, state: RolloutState, at: number, now: number, budget: number, how: Spread): Promise<string[]> {
  const config = configOf(job);
  const cfg = config.jobExecutionsRolloutConfig ?? {};
  const schedule = storedSchedule(config.schedulingConfig ?? {});
  const save = async (s: RolloutState | null) => {
    await db.updateTable('jobs').set({ rollout_pace: s && JSON.stringify(s), last_updated_at: now }).where('job_id', '=', job.job_id).execute();
  };
  // The end timer stops the rollout; nothing is created from endTime on.
  if (schedule.end !== undefined && at >= schedule.end) return [];
  let until = now;
  let fresh = state.pace === undefined;
  let windowEnd: number | undefined;
  if (schedule.windows.length) {
    const w = windowAt(schedule, at);
    if (!w) {
      const next = nextWindowStarts(schedule, at, 1)[0];
      if (next !== undefined) await setTimer(db, ROLLOUT, job.job_id, job.job_id, next);
      else await clearTimer(db, ROLLOUT, job.job_id);
      await save(state);
      return [];
    }
    if (state.win !== w[0]) {
      fresh = true;
      state.win = w[0];
    }
    windowEnd = w[1];
    until = Math.min(until, w[1] - 1);
  }
  if (schedule.end !== undefined) until = Math.min(until, schedule.end - 1);
  let pace: Pace;
  if (fresh) pace = startPace(cfg, at, state.released, job.n_succeeded, how.step);
  else pace = how.gap ? resumePace(state.pace!, at, state.released) : state.pace!;
  const advanced = advancePace(cfg, pace, until, state.released, job.n_succeeded, budget);
  const r = advanced.release > 0 ? await releaseTargets(db, job, state, now, advanced.release) : { things: [], done: false };
  state.released += r.things.length;
  state.pace = advanced.pace;
  if (r.done) {
    await save(null);
    await clearTimer(db, ROLLOUT, job.job_id);
    await completeIfDone(db, job.job_id, now);
    return r.things;
  }
  let next = nextReleaseAt(state.pace, state.released);
  if (next !== undefined && windowEnd !== undefined && next >= windowEnd) next = nextWindowStarts(schedule, windowEnd - 1, 1)[0];
  if (next !== undefined && schedule.end !== undefined && next >= schedule.end) next = undefined;
  if (next !== undefined) await setTimer(db, ROLLOUT, job.job_id, job.job_id, next);
  else await clearTimer(db, ROLLOUT, job.job_id);
  await save(state);
  return r.things;
}

/** Queues direct thing targets without an execution and runs the first step of the group fan-out (unpaced). */
export async function queueTargets(db: Db, jobId: string, things: string[], now: number, limit: number): Promise<string[]> {
  const touched: string[] = [];
  for (const name of things) {
    const has = await db.selectFrom('job_executions').select('id').where('job_id', '=', jobId).where('thing_name', '=', name).executeTakeFirst();
    if (!has) {
      await queueExecution(db, jobId, name, now);
      touched.push(name);
    }
  }
  const job = await db.selectFrom('jobs').select('pending_work').where('job_id', '=', jobId).executeTakeFirst();
  if (job?.pending_work === 'rollout') {
    const step = await rolloutStep(db, jobId, now, limit);
    touched.push(...step.things);
    if (step.done) await db.updateTable('jobs').set({ pending_work: null }).where('job_id', '=', jobId).execute();
  }
  await completeIfDone(db, jobId, now);
  return touched;
}

/**
 * Starts the rollout of an IN_PROGRESS job (CreateJob, or a scheduled start) as of `at`: paced, the
 * first minute's worth now and a 'rollout' timer for the rest; unpaced, every direct thing at once
 * and the group fan-out handed to the job worker after a first step. Returns the things queued.
 */
export async function startRollout(db: Db, job: JobRow, at: number, now: number, budget: number, how: Spread): Promise<string[]> {
  const targets = await db.selectFrom('job_targets').select(['kind', 'name']).where('job_id', '=', job.job_id).orderBy('position').execute();
  const hasGroups = targets.some((t) => t.kind === 'group');
  if (isPaced(configOf(job))) {
    const state: RolloutState = { released: 0, groups: hasGroups };
    const row = { ...job, rollout_pace: JSON.stringify(state), rollout_cursor: null, pending_work: null };
    await db.updateTable('jobs').set({ rollout_pace: row.rollout_pace, rollout_cursor: null, pending_work: null }).where('job_id', '=', job.job_id).execute();
    return paceStep(db, row, state, at, now, budget, how);
  }
  if (hasGroups) await db.updateTable('jobs').set({ pending_work: 'rollout', rollout_cursor: null }).where('job_id', '=', job.job_id).execute();
  return queueTargets(
    db,
    job.job_id,
    targets.filter((t) => t.kind === 'thing').map((t) => t.name),
    now,
    budget,
  );
}

/** The timers of a new job: its start (SCHEDULED) and its end. */
export async function armSchedule(db: Db, jobId: string, schedule: Schedule | undefined, scheduled: boolean, now: number): Promise<void> {
  if (!schedule) return;
  const start = scheduled ? firstStart(schedule, now) : undefined;
  if (start !== undefined) await setTimer(db, SCHEDULE_START, jobId, jobId, start);
  if (schedule.end !== undefined) await setTimer(db, SCHEDULE_END, jobId, jobId, schedule.end);
}

/** Stops a job's rollout for good (CancelJob, DeleteJob, an abort): its timers go; the pace is cleared by the caller's update. */
export async function clearRolloutTimers(db: Db, jobId: string): Promise<void> {
  for (const kind of [ROLLOUT, SCHEDULE_START, SCHEDULE_END]) await clearTimer(db, kind, jobId);
}

/** UpdateJob's new jobExecutionsRolloutConfig: the executions not created yet follow the new rate from now. */
export async function repaceRollout(db: Db, job: JobRow, rollout: RolloutConfig, now: number): Promise<void> {
  const state = readState(job);
  if (!state?.pace) return;
  state.pace = repace(state.pace, now, currentRate(rollout, state.released, job.n_succeeded), state.released);
  await db.updateTable('jobs').set({ rollout_pace: JSON.stringify(state) }).where('job_id', '=', job.job_id).execute();
  const next = nextReleaseAt(state.pace, state.released);
  if (next !== undefined) await setTimer(db, ROLLOUT, job.job_id, job.job_id, Math.max(now, next));
}

/** A paced rollout still running, with groups done: a group added later (AssociateTargetsWithJob) joins its pace. */
export async function addPacedGroups(db: Db, job: JobRow, firstPosition: number): Promise<boolean> {
  const state = readState(job);
  if (!state) return false;
  if (!state.groups) {
    state.groups = true;
    await db
      .updateTable('jobs')
      .set({ rollout_pace: JSON.stringify(state), rollout_cursor: JSON.stringify({ t: firstPosition, after: '' }) })
      .where('job_id', '=', job.job_id)
      .execute();
  }
  return true;
}

const fired = (job: JobRow, things: string[]): Fired['things'] => things.map((thingName) => ({ thingName, namespaceId: job.namespace_id }));

/** Splits one transaction's release budget over the timers of a batch; the rest fire again at once. */
async function eachWithBudget(db: Db, kind: string, timers: TimerRow[], fn: (t: TimerRow, budget: number) => Promise<number>): Promise<void> {
  let budget = RELEASE_BATCH;
  // Job rows are locked in job_id order, as on every other path.
  for (const t of [...timers].sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0))) {
    if (budget <= 0) {
      await setTimer(db, kind, t.ref, t.job_id, t.due_at);
      continue;
    }
    budget -= await fn(t, budget);
  }
}

/** The timer handlers of this module, by kind. `manual`: the clock only moves when told (no gaps to skip). */
export function rolloutHandlers(manual: boolean, startGate?: (db: Db, job: JobRow, now: number) => Promise<boolean>): Record<string, TimerHandler> {
  const rollout: TimerHandler = async (db, timers, now) => {
    const things: Fired['things'] = [];
    await eachWithBudget(db, ROLLOUT, timers, async (t, budget) => {
      const job = await lockJob(db, t.ref);
      const state = job && job.status === 'IN_PROGRESS' && job.rollout_ended === 0 ? readState(job) : undefined;
      if (!job || !state) return 0;
      const at = effectiveDue(t.due_at, now, manual);
      const out = await paceStep(db, job, state, at, now, budget, { gap: at !== t.due_at, step: manual });
      things.push(...fired(job, out));
      return out.length;
    });
    return { things };
  };

  const start: TimerHandler = async (db, timers, now) => {
    const things: Fired['things'] = [];
    await eachWithBudget(db, SCHEDULE_START, timers, async (t, budget) => {
      const job = await lockJob(db, t.ref);
      if (!job || job.status !== 'SCHEDULED') return 0;
      const at = effectiveDue(t.due_at, now, manual);
      const schedule = scheduleOf(job);
      if (schedule.end !== undefined && at >= schedule.end) return 0;
      // With windows, a job starts at its first window (status SCHEDULED until then).
      if (schedule.windows.length && !windowAt(schedule, at)) {
        const next = nextWindowStarts(schedule, at, 1)[0];
        if (next !== undefined) await setTimer(db, SCHEDULE_START, job.job_id, job.job_id, next);
        return 0;
      }
      // Job quotas (src/quotas/jobs.ts): at the concurrent jobs limit the job is CANCELED instead.
      if (startGate && (await startGate(db, job, now))) return 0;
      await db.updateTable('jobs').set({ status: 'IN_PROGRESS', last_updated_at: now }).where('job_id', '=', job.job_id).execute();
      const out = await startRollout(db, { ...job, status: 'IN_PROGRESS' }, at, now, budget, { gap: at !== t.due_at, step: manual });
      things.push(...fired(job, out));
      return out.length;
    });
    return { things };
  };

  const end: TimerHandler = async (db, timers, now) => {
    const things: Fired['things'] = [];
    await eachWithBudget(db, SCHEDULE_END, timers, async (t, budget) => {
      const job = await lockJob(db, t.ref);
      if (!job || (job.status !== 'IN_PROGRESS' && job.status !== 'SCHEDULED')) return 0;
      const out = await endRollout(db, job, now, budget);
      things.push(...fired(job, out));
      return out.length;
    });
    return { things };
  };

  return { [ROLLOUT]: rollout, [SCHEDULE_START]: start, [SCHEDULE_END]: end };
}

/**
 * schedulingConfig.endTime: the rollout stops for good (paced release, group fan-out, CONTINUOUS
 * joins). STOP_ROLLOUT leaves the executions and the job IN_PROGRESS until they are terminal, then
 * COMPLETED; CANCEL and FORCE_CANCEL make it CANCELED and cancel QUEUED (and IN_PROGRESS) executions
 * in bounded batches, as CancelJob does. Returns the things whose pending list changed in this step.
 */
async function endRollout(db: Db, job: JobRow, now: number, budget: number): Promise<string[]> {
  const behavior = scheduleOf(job).endBehavior;
  await clearTimer(db, ROLLOUT, job.job_id);
  await clearTimer(db, SCHEDULE_START, job.job_id);
  const stopped = {
    rollout_pace: null,
    rollout_ended: 1,
    pending_work: job.pending_work === 'rollout' ? null : job.pending_work,
    rollout_cursor: job.pending_work === 'rollout' || job.rollout_pace ? null : job.rollout_cursor,
    last_updated_at: now,
  };
  if (behavior === 'STOP_ROLLOUT') {
    await db.updateTable('jobs').set({ ...stopped, status: 'IN_PROGRESS' }).where('job_id', '=', job.job_id).execute();
    await completeIfDone(db, job.job_id, now);
    return [];
  }
  const force = behavior === 'FORCE_CANCEL';
  const patch = {
    ...stopped,
    status: 'CANCELED',
    force_canceled: force ? 1 : 0,
    comment: `Job canceled at schedulingConfig.endTime (endBehavior ${behavior})`,
    pending_work: 'cancel' as string | null,
    rollout_cursor: null,
  };
  const step = await cancelStep(db, { ...job, ...patch }, now, budget);
  if (step.done) patch.pending_work = null;
  // cancelStep moved the cursor; keep it.
  const { rollout_cursor: _c, ...rest } = patch;
  await db.updateTable('jobs').set(rest).where('job_id', '=', job.job_id).execute();
  return step.things;
}
