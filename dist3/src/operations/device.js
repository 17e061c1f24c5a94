import { invalidRequest, invalidStateTransition, notFound, ServiceError } from '../errors.js';
import * as states from '../domain/states.js';
import { findExecutionWithJob, pendingForThing } from '../store/execution-rows.js';
import { move, touch } from '../store/lifecycle/executions.js';
import { parseJson, seconds } from './util.js';
import { deviceDocument } from './documents.js';
import { capPending, pendingCaps, readLimit } from '../quotas/pending.js';
import { secondsBeforeTimedOut } from '../domain/timeouts.js';
/**
 * Device operations (service `iot-jobs-data`), shared by the HTTP device plane and MQTT. The MQTT
 * adapter passes `namespaceId` for namespaced topics; HTTP never does, so HTTP devices see only
 * jobs without a namespace.
 */
const ns = (input) => (typeof input.namespaceId === 'string' ? input.namespaceId : null);
export function executionState(e) {
    return { status: e.status, statusDetails: parseJson(e.status_details), versionNumber: e.version_number };
}
/** ExecutionData as the device plane returns it (jobDocument as the stored JSON text). */
export function execution(e, document, now) {
    return {
        approximateSecondsBeforeTimedOut: now === undefined ? undefined : secondsBeforeTimedOut(e, now),
        jobId: e.job_id,
        thingName: e.thing_name,
        status: e.status,
        statusDetails: parseJson(e.status_details),
        queuedAt: seconds(e.queued_at),
        startedAt: seconds(e.started_at),
        lastUpdatedAt: seconds(e.last_updated_at),
        versionNumber: e.version_number,
        executionNumber: e.execution_number,
        jobDocument: document ?? undefined,
    };
}
export function pendingSummary(e) {
    return {
        jobId: e.job_id,
        queuedAt: seconds(e.queued_at),
        startedAt: seconds(e.started_at),
        lastUpdatedAt: seconds(e.last_updated_at),
        versionNumber: e.version_number,
        executionNumber: e.execution_number,
    };
}
function checkDetails(details) {
    if (!details)
        return;
    const entries = Object.entries(details);
    if (entries.length > 10)
        throw invalidRequest('statusDetails can hold at most 10 name/value pairs');
    for (const [k, v] of entries)
        if (v.length > 1024)
            throw invalidRequest(`statusDetails value of ${k} is longer than 1024 characters`);
}
function checkStepTimeout(minutes, allowCancel) {
    if (minutes === undefined)
        return;
    if ((minutes === -1 && allowCancel) || (minutes >= 1 && minutes <= 10080))
        return;
    throw invalidRequest(`stepTimeoutInMinutes must be between 1 and 10080${allowCancel ? ', or -1' : ''}`);
}
/** The execution a device addresses; a job in another namespace is not visible. */
async function deviceExecution(db, input) {
    const found = await findExecutionWithJob(db, input.jobId, input.thingName, input.executionNumber);
    if (!found || found.namespace_id !== ns(input))
        return undefined;
    const { namespace_id: _ns, document, ...e } = found;
    return { e, document };
}
const missing = (input) => notFound(`Job execution of job ${input.jobId} on thing ${input.thingName} not found`);
export async function GetPendingJobExecutions(ctx, input) {
    const caps = pendingCaps(ctx.jobQuotas);
    let rows = await pendingForThing(ctx.store.db, input.thingName, ns(input), readLimit(caps));
    // --quotas: 15 with a scheduling configuration (src/quotas/pending.ts).
    if (caps) {
        const lists = new Map([[input.thingName, rows]]);
        await capPending(ctx.store.db, lists, caps, ctx.clock.now(), false);
        rows = lists.get(input.thingName);
    }
    return {
        inProgressJobs: rows.filter((r) => r.status === 'IN_PROGRESS').map(pendingSummary),
        queuedJobs: rows.filter((r) => r.status === 'QUEUED').map(pendingSummary),
    };
}
export async function StartNextPendingJobExecution(ctx, input) {
    checkDetails(input.statusDetails);
    checkStepTimeout(input.stepTimeoutInMinutes, false);
    const result = await ctx.store.run(async (tx) => {
        const [next] = await pendingForThing(tx.db, input.thingName, ns(input), 1);
        if (!next)
            return undefined;
        const { document, ...row } = next;
        if (row.status === 'IN_PROGRESS')
            return { e: row, document };
        // The job's lock first; the write is conditional on the version read (a race runs this again).
        const change = { statusDetails: input.statusDetails, stepTimeoutInMinutes: input.stepTimeoutInMinutes };
        const e = (await move(tx, { one: row, change, namespaceId: ns(input) }, 'IN_PROGRESS', ctx.clock.now()));
        return { e, document };
    });
    if (!result)
        return {};
    return { execution: execution(result.e, await deviceDocument(ctx, result.e.job_id, result.document), ctx.clock.now()) };
}
export async function DescribeJobExecution(ctx, input) {
    const db = ctx.store.db;
    const includeDocument = input.includeJobDocument !== false;
    if (input.jobId === '$next') {
        const [next] = await pendingForThing(db, input.thingName, ns(input), 1);
        if (!next)
            return {};
        const { document, ...row } = next;
        return { execution: execution(row, includeDocument ? await deviceDocument(ctx, row.job_id, document) : undefined, ctx.clock.now()) };
    }
    const found = await deviceExecution(db, input);
    if (!found)
        throw missing(input);
    if (states.isTerminal(found.e.status)) {
        const err = new ServiceError('TerminalStateException', `Job execution of job ${input.jobId} on thing ${input.thingName} is in the terminal state ${found.e.status}`);
        err.reason = 'TerminalStateReached';
        throw err;
    }
    return { execution: execution(found.e, includeDocument ? await deviceDocument(ctx, found.e.job_id, found.document) : undefined, ctx.clock.now()) };
}
export async function UpdateJobExecution(ctx, input) {
    checkDetails(input.statusDetails);
    checkStepTimeout(input.stepTimeoutInMinutes, true);
    const { e, document } = await ctx.store.run(async (tx) => {
        const found = await deviceExecution(tx.db, input);
        if (!found)
            throw missing(input);
        const current = found.e;
        if (input.expectedVersion !== undefined && input.expectedVersion !== current.version_number) {
            const err = invalidStateTransition(`The expected version ${input.expectedVersion} does not match the current version ${current.version_number}`, { executionState: executionState(current) });
            err.reason = 'VersionMismatch';
            throw err;
        }
        const verdict = states.deviceUpdate(current.status, input.status);
        if (!verdict.ok) {
            if (verdict.error === 'InvalidRequest')
                throw invalidRequest(verdict.message);
            throw invalidStateTransition(verdict.message, { executionState: executionState(current) });
        }
        const change = { statusDetails: input.statusDetails, stepTimeoutInMinutes: input.stepTimeoutInMinutes === -1 ? null : input.stepTimeoutInMinutes };
        // Same status (new details or a step timer): no transition, but the same lock order and timer upkeep.
        const e = input.status === current.status
            ? await touch(tx, current, change, ctx.clock.now(), ns(input))
            : (await move(tx, { one: current, change, namespaceId: ns(input) }, input.status, ctx.clock.now()));
        return { e, document: found.document };
    });
    return {
        executionState: input.includeJobExecutionState === true ? executionState(e) : undefined,
        jobDocument: input.includeJobDocument === true ? ((await deviceDocument(ctx, e.job_id, document)) ?? undefined) : undefined,
    };
}
//# sourceMappingURL=device.js.map