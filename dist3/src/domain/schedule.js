/** schedulingConfig: the YYYY-MM-DDTHH:MM times, their rules against the clock, and maintenance windows. */
import { Cron } from 'croner';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Calendar years from a time, as AWS words the limits ("up to a year in advance"). */
const addYears = (t, n) => {
    const d = new Date(t);
    d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.getTime();
};
export const MIN_LEAD_MS = 30 * MINUTE;
export const MAX_WINDOW_MINUTES = 1430;
/** Job.scheduledJobRollouts shows this many window starts. */
export const SHOWN_ROLLOUTS = 7;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
/** Parses YYYY-MM-DDTHH:MM (UTC) to epoch ms; undefined when malformed or not a real date. */
export function parseScheduleTime(s) {
    const m = TIME.exec(s);
    if (!m)
        return undefined;
    const [y, mo, d, h, mi] = m.slice(1).map(Number);
    const t = Date.UTC(y, mo - 1, d, h, mi);
    const back = new Date(t);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59)
        return undefined;
    return t;
}
/** Formats epoch ms as YYYY-MM-DDTHH:MM (UTC), the format AWS uses for these strings. */
export function formatScheduleTime(t) {
    return new Date(t).toISOString().slice(0, 16);
}
/**
 * Checks a schedulingConfig against the clock (AWS IoT Jobs developer guide; the choices in docs/compatibility.md); returns the problem, naming
 * the field and the rule, or the parsed schedule.
 */
export function checkScheduling(cfg, now) {
    let start;
    let end;
    if (cfg.startTime !== undefined) {
        start = parseScheduleTime(cfg.startTime);
        if (start === undefined)
            return { error: `schedulingConfig.startTime ${cfg.startTime} is not a UTC time in the format YYYY-MM-DDTHH:MM` };
        if (start < now + MIN_LEAD_MS)
            return { error: 'schedulingConfig.startTime must be at least 30 minutes from the current time' };
        if (start > addYears(now, 1))
            return { error: 'schedulingConfig.startTime can be at most one year from the current time' };
    }
    if (cfg.endTime !== undefined) {
        end = parseScheduleTime(cfg.endTime);
        if (end === undefined)
            return { error: `schedulingConfig.endTime ${cfg.endTime} is not a UTC time in the format YYYY-MM-DDTHH:MM` };
        if (end < now + MIN_LEAD_MS)
            return { error: 'schedulingConfig.endTime must be at least 30 minutes from the current time' };
        if (end > addYears(now, 2))
            return { error: 'schedulingConfig.endTime can be at most two years from the current time' };
        if (start !== undefined) {
            if (end < start + MIN_LEAD_MS)
                return { error: 'schedulingConfig.endTime must be at least 30 minutes after startTime' };
            if (end > addYears(start, 2))
                return { error: 'schedulingConfig.endTime can be at most two years after startTime' };
        }
    }
    const windows = [];
    for (const [i, w] of (cfg.maintenanceWindows ?? []).entries()) {
        const cron = parseAwsCron(w.startTime);
        if (typeof cron === 'string')
            return { error: `schedulingConfig.maintenanceWindows[${i}].startTime: ${cron}` };
        if (!Number.isInteger(w.durationInMinutes) || w.durationInMinutes < 1 || w.durationInMinutes > MAX_WINDOW_MINUTES)
            return { error: `schedulingConfig.maintenanceWindows[${i}].durationInMinutes must be between 1 and ${MAX_WINDOW_MINUTES}` };
        windows.push({ cron, durationMs: w.durationInMinutes * MINUTE });
    }
    return { schedule: { start, end, endBehavior: cfg.endBehavior ?? 'STOP_ROLLOUT', windows } };
}
/**
 * The schedule of a stored job: its config was checked at CreateJob, so here the times are only
 * parsed (they are in the past by the time they matter) and a window that no longer parses is dropped.
 */
export function storedSchedule(cfg) {
    const windows = [];
    for (const w of cfg.maintenanceWindows ?? []) {
        const cron = parseAwsCron(w.startTime);
        if (typeof cron !== 'string')
            windows.push({ cron, durationMs: w.durationInMinutes * MINUTE });
    }
    return {
        start: cfg.startTime === undefined ? undefined : parseScheduleTime(cfg.startTime),
        end: cfg.endTime === undefined ? undefined : parseScheduleTime(cfg.endTime),
        endBehavior: cfg.endBehavior ?? 'STOP_ROLLOUT',
        windows,
    };
}
/** When a SCHEDULED job next looks at starting: its startTime, or with windows only the next window start. */
export function firstStart(schedule, now) {
    if (schedule.start !== undefined && schedule.start > now)
        return schedule.start;
    return schedule.windows.length ? nextWindowStarts(schedule, now, 1)[0] : undefined;
}
const AWS_CRON = /^cron\((.*)\)$/;
/**
 * The EventBridge cron dialect, `cron(min hour day-of-month month day-of-week year)` in UTC:
 * exactly six fields, one of day-of-month and day-of-week is `?`, day-of-week 1-7 = SUN-SAT (or
 * SUN-SAT names), L, W and # as in EventBridge. Evaluated by croner in its seven-field Quartz mode
 * (seconds fixed at 0, weekdays numbered from 1, `0/15` steps allowed as EventBridge writes them). Returns croner's object or the problem.
 */
export function parseAwsCron(expr) {
    const m = AWS_CRON.exec(expr.trim());
    if (!m)
        return `${expr} is not a cron expression of the form cron(minutes hours day-of-month month day-of-week year)`;
    const fields = m[1].trim().split(/\s+/);
    if (fields.length !== 6)
        return `${expr} must have six fields (minutes hours day-of-month month day-of-week year), not ${fields.length}`;
    const [, , dom, , dow] = fields;
    if ((dom === '?') === (dow === '?'))
        return `${expr}: exactly one of day-of-month and day-of-week must be ?`;
    try {
        return new Cron(`0 ${fields.join(' ')}`, { mode: '7-part', alternativeWeekdays: true, sloppyRanges: true, timezone: 'Etc/UTC', paused: true });
    }
    catch (err) {
        return `${expr} is not a valid cron expression (${err.message})`;
    }
}
/** The next `count` window starts strictly after `after` (ms), in order, merged over all windows. */
export function nextWindowStarts(schedule, after, count = SHOWN_ROLLOUTS) {
    const all = [];
    for (const w of schedule.windows)
        for (const d of w.cron.nextRuns(count, new Date(after)))
            all.push(d.getTime());
    return [...new Set(all)].sort((a, b) => a - b).slice(0, count);
}
/**
 * The window that contains `t`, as [start, end), or undefined. A window that opened before `t`
 * is found by looking back one maximum window length.
 */
export function windowAt(schedule, t) {
    let best;
    for (const w of schedule.windows) {
        // One run at a time: the release timer asks on every step, and most crons have one start a day.
        let d = w.cron.nextRun(new Date(t - w.durationMs));
        for (let i = 0; d && i <= MAX_WINDOW_MINUTES; i++, d = w.cron.nextRun(d)) {
            const s = d.getTime();
            if (s > t)
                break;
            if (t < s + w.durationMs && (!best || s + w.durationMs > best[1]))
                best = [s, s + w.durationMs];
        }
    }
    return best;
}
export { DAY };
//# sourceMappingURL=schedule.js.map