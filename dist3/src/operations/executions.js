import { invalidStateTransition, notFound, versionConflict } from '../errors.js';
import { thingArn } from '../domain/arn.js';
import * as states from '../domain/states.js';
import { findExecution } from '../store/execution-rows.js';
import { move, removeOne } from '../store/lifecycle/executions.js';
import { rowLimit } from '../store/store.js';
import { secondsBeforeTimedOut } from '../domain/timeouts.js';
import { date, decodeToken, DEFAULT_PAGE, page, parseJson, requireJob } from './util.js';
/** Control-plane execution operations (service `iot`). */
function summary(e) {
    return {
        status: e.status,
        queuedAt: date(e.queued_at),
        startedAt: date(e.started_at),
        lastUpdatedAt: date(e.last_updated_at),
        executionNumber: e.execution_number,
        retryAttempt: e.retry_attempt,
    };
}
async function requireExecution(ctx, jobId, thingName, executionNumber) {
    const e = await findExecution(ctx.store.db, jobId, thingName, executionNumber);
    if (!e)
        throw notFound(`Job execution of job ${jobId} on thing ${thingName} not found`);
    return e;
}
export async function DescribeJobExecution(ctx, input) {
    const e = await requireExecution(ctx, input.jobId, input.thingName, input.executionNumber);
    const details = parseJson(e.status_details);
    return {
        execution: {
            jobId: e.job_id,
            status: e.status,
            forceCanceled: e.force_canceled === 1,
            // AWS answers statusDetails: {} when an execution has none.
            statusDetails: details && Object.keys(details).length ? { detailsMap: details } : {},
            thingArn: thingArn(ctx, e.thing_name),
            queuedAt: date(e.queued_at),
            startedAt: date(e.started_at),
            lastUpdatedAt: date(e.last_updated_at),
            executionNumber: e.execution_number,
            versionNumber: e.version_number,
            approximateSecondsBeforeTimedOut: secondsBeforeTimedOut(e, ctx.clock.now()),
        },
    };
}
export async function ListJobExecutionsForJob(ctx, input) {
    const db = ctx.store.db;
    await requireJob(db, input.jobId);
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['string', 'integer']);
    let q = db.selectFrom('job_executions').selectAll().where('job_id', '=', input.jobId);
    if (input.status)
        q = q.where('status', '=', input.status);
    if (after) {
        const [t, n] = after;
        q = q.where((eb) => eb.or([eb('thing_name', '>', t), eb.and([eb('thing_name', '=', t), eb('execution_number', '>', n)])]));
    }
    const rows = await q.orderBy('thing_name').orderBy('execution_number').limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (e) => [e.thing_name, e.execution_number]);
    return { executionSummaries: items.map((e) => ({ thingArn: thingArn(ctx, e.thing_name), jobExecutionSummary: summary(e) })), nextToken };
}
export async function ListJobExecutionsForThing(ctx, input) {
    const db = ctx.store.db;
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['integer']);
    let q = db.selectFrom('job_executions as e').selectAll('e').where('e.thing_name', '=', input.thingName);
    if (input.status)
        q = q.where('e.status', '=', input.status);
    if (input.jobId)
        q = q.where('e.job_id', '=', input.jobId);
    if (input.namespaceId !== undefined) {
        const ns = input.namespaceId;
        q = q.where('e.job_id', 'in', db.selectFrom('jobs').select('job_id').where('namespace_id', '=', ns));
    }
    if (after)
        q = q.where('e.id', '<', after[0]);
    const rows = await q.orderBy('e.id', 'desc').limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (e) => [e.id]);
    return { executionSummaries: items.map((e) => ({ jobId: e.job_id, jobExecutionSummary: summary(e) })), nextToken };
}
export async function CancelJobExecution(ctx, input) {
    const force = input.force === true;
    await ctx.store.run(async (tx) => {
        const e = await findExecution(tx.db, input.jobId, input.thingName);
        if (!e)
            throw notFound(`Job execution of job ${input.jobId} on thing ${input.thingName} not found`);
        if (input.expectedVersion !== undefined && input.expectedVersion !== e.version_number)
            throw versionConflict(`The expected version ${input.expectedVersion} does not match the current version ${e.version_number}`);
        const verdict = states.cancelExecution(e.status, force);
        if (!verdict.ok)
            throw invalidStateTransition(verdict.message);
        const details = input.statusDetails ? { ...parseJson(e.status_details), ...input.statusDetails } : undefined;
        // move takes the job's lock first; its write is conditional on the version read here.
        await move(tx, { one: e, change: { forceCanceled: e.status === 'IN_PROGRESS', statusDetails: details } }, 'CANCELED', ctx.clock.now());
    });
    return {};
}
export async function DeleteJobExecution(ctx, input) {
    const force = input.force === true;
    await ctx.store.run(async (tx) => {
        const job = await requireJob(tx.db, input.jobId, input.namespaceId);
        await tx.lock(job.job_id);
        const e = await findExecution(tx.db, input.jobId, input.thingName, input.executionNumber);
        if (!e)
            throw notFound(`Job execution ${input.executionNumber} of job ${input.jobId} on thing ${input.thingName} not found`);
        const verdict = states.deleteExecution(e.status, force);
        if (!verdict.ok)
            throw invalidStateTransition(verdict.message);
        await removeOne(tx, e, ctx.clock.now(), job.namespace_id);
    });
    return {};
}
//# sourceMappingURL=executions.js.map