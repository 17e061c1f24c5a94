/** The orchestration configs of CreateJob / UpdateJob: checks against the clock, and what they mean at creation. */
import { invalidRequest } from '../errors.js';
import { checkAbort } from '../domain/abort.js';
import { checkRollout } from '../domain/rollout.js';
import { checkScheduling, formatScheduleTime, nextWindowStarts, parseScheduleTime, windowAt } from '../domain/schedule.js';
/** Throws 400 InvalidRequestException naming the field and the rule (AWS IoT Jobs developer guide; the choices in docs/compatibility.md). */
export function checkOrchestration(input, now) {
    const problem = (input.jobExecutionsRolloutConfig && checkRollout(input.jobExecutionsRolloutConfig)) ||
        (input.abortConfig && checkAbort(input.abortConfig)) ||
        undefined;
    if (problem)
        throw invalidRequest(problem);
    if (!input.schedulingConfig)
        return undefined;
    const r = checkScheduling(input.schedulingConfig, now);
    if ('error' in r)
        throw invalidRequest(r.error);
    return r.schedule;
}
/**
 * SCHEDULED while the start time is ahead, or while a job with maintenance windows is outside all
 * of them; IN_PROGRESS otherwise.
 */
export function initialStatus(schedule, now) {
    if (!schedule)
        return 'IN_PROGRESS';
    if (schedule.start !== undefined && schedule.start > now)
        return 'SCHEDULED';
    if (schedule.windows.length && !windowAt(schedule, now))
        return 'SCHEDULED';
    return 'IN_PROGRESS';
}
/** Job.scheduledJobRollouts: the next seven window starts after now, as YYYY-MM-DDTHH:MM (UTC). */
export function scheduledJobRollouts(config, now) {
    const cfg = config.schedulingConfig;
    if (!cfg?.maintenanceWindows?.length)
        return undefined;
    const r = checkScheduling({ maintenanceWindows: cfg.maintenanceWindows }, now);
    if ('error' in r)
        return undefined;
    // Windows open no earlier than the job's start.
    const start = cfg.startTime === undefined ? undefined : parseScheduleTime(cfg.startTime);
    const from = start === undefined ? now : Math.max(now, start - 1);
    return nextWindowStarts(r.schedule, from).map((t) => ({ startTime: formatScheduleTime(t) }));
}
//# sourceMappingURL=orchestration.js.map