import { clearTimer, setTimer, ROLLOUT, SCHEDULE_END, SCHEDULE_START } from '../timers.js';
import { readJobConfig } from '../job-config.js';
import { owe, saveCursor } from '../work.js';
import { completeIfDone, markCanceled, markInProgress } from '../lifecycle/job-status.js';
import { fanOut, queueDirect, rolloutStep } from './fanout.js';
import { cancelStep } from './cancel.js';
import { advancePace, currentRate, nextReleaseAt, repace, resumePace, startPace } from '../../domain/rollout.js';
import { firstStart, nextWindowStarts, storedSchedule, windowAt } from '../../domain/schedule.js';
/** Executions one timer transaction may create (over all its jobs): a minute at the highest rate. */
export const RELEASE_BATCH = 1000;
/**
 * With the system clock, a timer this late means nobody fired it meanwhile (a restart, a node
 * whose lease ran out): the pace resumes from now instead of catching up the missed time.
 */
const GAP_MS = 5000;
const configOf = readJobConfig;
export const scheduleOf = (job) => storedSchedule(configOf(job).schedulingConfig ?? {});
/**
 * Whether a job's rollout is paced: it has a rollout config, or maintenance windows (which gate it).
 * Jobs with neither roll out as fast as the worker goes, as before (docs/compatibility.md).
 */
export function isPaced(config) {
    return config.jobExecutionsRolloutConfig !== undefined || (config.schedulingConfig?.maintenanceWindows?.length ?? 0) > 0;
}
/** The time a timer's work is done as of: its due time, unless nobody fired it for a while (system clock). */
export const effectiveDue = (due, now, manual) => (!manual && now - due > GAP_MS ? now : due);
const readState = (job) => (job.rollout_pace ? JSON.parse(job.rollout_pace) : undefined);
/**
 * Creates executions for up to `limit` targets without one: direct thing targets first (in target
 * order), then the group fan-out from its cursor. Returns the things and whether all targets are done.
 */
async function releaseTargets(tx, job, state, now, limit) {
    const direct = (await tx.db.selectFrom('job_targets').select('name').where('job_id', '=', job.job_id).where('kind', '=', 'thing').orderBy('position').execute()).map((r) => r.name);
    const { things, missing } = await queueDirect(tx, job, direct, now, limit);
    const left = limit - things.length;
    if (state.groups && left > 0) {
        const step = await rolloutStep(tx, job, now, left);
        things.push(...step.things);
        if (step.done)
            state.groups = false;
    }
    return { things, done: missing <= limit && !state.groups };
}
async function paceStep(tx, job, state, at, now, budget, how) {
    const config = configOf(job);
    const cfg = config.jobExecutionsRolloutConfig ?? {};
    const schedule = storedSchedule(config.schedulingConfig ?? {});
    const db = tx.db;
    const save = async (s) => {
        await db.updateTable('jobs').set({ rollout_pace: s && JSON.stringify(s), last_updated_at: now }).where('job_id', '=', job.job_id).execute();
    };
    // The end timer stops the rollout; nothing is created from endTime on.
    if (schedule.end !== undefined && at >= schedule.end)
        return [];
    let until = now;
    let fresh = state.pace === undefined;
    let windowEnd;
    if (schedule.windows.length) {
        const w = windowAt(schedule, at);
        if (!w) {
            const next = nextWindowStarts(schedule, at, 1)[0];
            if (next !== undefined)
                await setTimer(db, ROLLOUT, job.job_id, job.job_id, next);
            else
                await clearTimer(db, ROLLOUT, job.job_id);
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
    if (schedule.end !== undefined)
        until = Math.min(until, schedule.end - 1);
    let pace;
    if (fresh)
        pace = startPace(cfg, at, state.released, job.n_succeeded, how.step);
    else
        pace = how.gap ? resumePace(state.pace, at, state.released) : state.pace;
    const advanced = advancePace(cfg, pace, until, state.released, job.n_succeeded, budget);
    const r = advanced.release > 0 ? await releaseTargets(tx, job, state, now, advanced.release) : { things: [], done: false };
    state.released += r.things.length;
    state.pace = advanced.pace;
    if (r.done) {
        await save(null);
        await clearTimer(db, ROLLOUT, job.job_id);
        await completeIfDone(tx, job.job_id, now);
        return r.things;
    }
    let next = nextReleaseAt(state.pace, state.released);
    if (next !== undefined && windowEnd !== undefined && next >= windowEnd)
        next = nextWindowStarts(schedule, windowEnd - 1, 1)[0];
    if (next !== undefined && schedule.end !== undefined && next >= schedule.end)
        next = undefined;
    if (next !== undefined)
        await setTimer(db, ROLLOUT, job.job_id, job.job_id, next);
    else
        await clearTimer(db, ROLLOUT, job.job_id);
    await save(state);
    return r.things;
}
/**
 * Starts the rollout of an IN_PROGRESS job (CreateJob, or a scheduled start) as of `at`: paced, the
 * first minute's worth now and a 'rollout' timer for the rest; unpaced, every direct thing at once
 * and the group fan-out owed to the engine after a first step. Returns the things queued.
 */
export async function startRollout(tx, job, at, now, budget, how) {
    tx.assertLocked(job.job_id);
    const targets = await tx.db.selectFrom('job_targets').select(['kind', 'name']).where('job_id', '=', job.job_id).orderBy('position').execute();
    const hasGroups = targets.some((t) => t.kind === 'group');
    if (isPaced(configOf(job))) {
        const state = { released: 0, groups: hasGroups };
        const row = { ...job, rollout_pace: JSON.stringify(state), work_cursor: null, pending_work: null };
        await tx.db.updateTable('jobs').set({ rollout_pace: row.rollout_pace, work_cursor: null }).where('job_id', '=', job.job_id).execute();
        return paceStep(tx, row, state, at, now, budget, how);
    }
    let row = job;
    if (hasGroups) {
        await owe(tx, job, { kind: 'rollout', cursor: { t: 0, after: '' } }, now);
        row = { ...job, pending_work: 'rollout', work_cursor: null };
    }
    return fanOut(tx, row, targets.filter((t) => t.kind === 'thing').map((t) => t.name), now, budget);
}
/** The timers of a new job: its start (SCHEDULED) and its end. */
export async function armSchedule(db, jobId, schedule, scheduled, now) {
    if (!schedule)
        return;
    const start = scheduled ? firstStart(schedule, now) : undefined;
    if (start !== undefined)
        await setTimer(db, SCHEDULE_START, jobId, jobId, start);
    if (schedule.end !== undefined)
        await setTimer(db, SCHEDULE_END, jobId, jobId, schedule.end);
}
/** UpdateJob's new jobExecutionsRolloutConfig: the executions not created yet follow the new rate from now. */
export async function repaceRollout(db, job, rollout, now) {
    const state = readState(job);
    if (!state?.pace)
        return;
    state.pace = repace(state.pace, now, currentRate(rollout, state.released, job.n_succeeded), state.released);
    await db.updateTable('jobs').set({ rollout_pace: JSON.stringify(state) }).where('job_id', '=', job.job_id).execute();
    const next = nextReleaseAt(state.pace, state.released);
    if (next !== undefined)
        await setTimer(db, ROLLOUT, job.job_id, job.job_id, Math.max(now, next));
}
/** A paced rollout still running, with groups done: a group added later (AssociateTargetsWithJob) joins its pace. */
export async function addPacedGroups(db, job, firstPosition) {
    const state = readState(job);
    if (!state)
        return false;
    if (!state.groups) {
        state.groups = true;
        await db.updateTable('jobs').set({ rollout_pace: JSON.stringify(state) }).where('job_id', '=', job.job_id).execute();
        await saveCursor(db, job.job_id, { t: firstPosition, after: '' });
    }
    return true;
}
/** Splits one transaction's release budget over the timers of a batch; the rest fire again at once. */
async function eachWithBudget(tx, kind, timers, fn) {
    let budget = RELEASE_BATCH;
    // Job rows are locked in job_id order, as on every other path.
    for (const t of [...timers].sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0))) {
        if (budget <= 0) {
            await setTimer(tx.db, kind, t.ref, t.job_id, t.due_at);
            continue;
        }
        budget -= await fn(t, budget);
    }
}
export function rolloutHandlers(manual, startGate) {
    const rollout = async (tx, timers, now) => {
        await eachWithBudget(tx, ROLLOUT, timers, async (t, budget) => {
            const job = await tx.lockJob(t.ref);
            const state = job && job.status === 'IN_PROGRESS' && job.rollout_ended === 0 ? readState(job) : undefined;
            if (!job || !state)
                return 0;
            const at = effectiveDue(t.due_at, now, manual);
            return (await paceStep(tx, job, state, at, now, budget, { gap: at !== t.due_at, step: manual })).length;
        });
    };
    const start = async (tx, timers, now) => {
        await eachWithBudget(tx, SCHEDULE_START, timers, async (t, budget) => {
            const job = await tx.lockJob(t.ref);
            if (!job || job.status !== 'SCHEDULED')
                return 0;
            const at = effectiveDue(t.due_at, now, manual);
            const schedule = scheduleOf(job);
            if (schedule.end !== undefined && at >= schedule.end)
                return 0;
            // With windows, a job starts at its first window (status SCHEDULED until then).
            if (schedule.windows.length && !windowAt(schedule, at)) {
                const next = nextWindowStarts(schedule, at, 1)[0];
                if (next !== undefined)
                    await setTimer(tx.db, SCHEDULE_START, job.job_id, job.job_id, next);
                return 0;
            }
            // Job quotas: at the concurrent jobs limit the job is CANCELED instead.
            if (startGate && (await startGate(tx, job, now)))
                return 0;
            await markInProgress(tx, job.job_id, now);
            return (await startRollout(tx, { ...job, status: 'IN_PROGRESS' }, at, now, budget, { gap: at !== t.due_at, step: manual })).length;
        });
    };
    const end = async (tx, timers, now) => {
        await eachWithBudget(tx, SCHEDULE_END, timers, async (t, budget) => {
            const job = await tx.lockJob(t.ref);
            if (!job || (job.status !== 'IN_PROGRESS' && job.status !== 'SCHEDULED'))
                return 0;
            return (await endRollout(tx, job, now, budget)).length;
        });
    };
    return { [ROLLOUT]: rollout, [SCHEDULE_START]: start, [SCHEDULE_END]: end };
}
/**
 * schedulingConfig.endTime: the rollout stops for good (paced release, group fan-out, CONTINUOUS
 * joins). STOP_ROLLOUT leaves the executions and the job IN_PROGRESS until they are terminal, then
 * COMPLETED; CANCEL and FORCE_CANCEL cancel the job as CancelJob does (job-status.ts), with a first
 * batch now. Returns the things whose pending list changed in this step.
 */
async function endRollout(tx, job, now, budget) {
    const behavior = scheduleOf(job).endBehavior;
    if (behavior === 'STOP_ROLLOUT') {
        await clearTimer(tx.db, ROLLOUT, job.job_id);
        await clearTimer(tx.db, SCHEDULE_START, job.job_id);
        await markInProgress(tx, job.job_id, now, { endsRollout: true });
        // A fan-out still owed stops too (a cancel or a deletion under way goes on).
        if (job.pending_work === 'rollout')
            await owe(tx, job, null, now);
        await completeIfDone(tx, job.job_id, now);
        return [];
    }
    const force = behavior === 'FORCE_CANCEL';
    await markCanceled(tx, job, { force, comment: `Job canceled at schedulingConfig.endTime (endBehavior ${behavior})`, endsRollout: true }, now);
    const canceled = { ...job, status: 'CANCELED', force_canceled: force ? 1 : 0, pending_work: 'cancel', work_cursor: null };
    return (await cancelStep(tx, canceled, now, budget, { unlist: true })).things;
}
//# sourceMappingURL=rollout.js.map