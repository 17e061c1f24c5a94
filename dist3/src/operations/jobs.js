import { alreadyExists, invalidRequest, invalidStateTransition, limitExceeded, notFound } from '../errors.js';
import { jobArn, parseTarget } from '../domain/arn.js';
import * as states from '../domain/states.js';
import { getJob } from '../store/job-rows.js';
import { addPacedGroups, armSchedule, repaceRollout, startRollout } from '../store/steps/rollout.js';
import { abortIfMet, markCanceled, startDeletion } from '../store/lifecycle/job-status.js';
import { cancelStep } from '../store/steps/cancel.js';
import { fanOut } from '../store/steps/fanout.js';
import { owe } from '../store/work.js';
import { rowLimit } from '../store/store.js';
import { date, decodeToken, DEFAULT_PAGE, page, parseJson, requireJob, requireLockedJob } from './util.js';
import { putTags } from './tags.js';
import { nextMemberSeq } from '../store/member-seq.js';
import { checkOrchestration, initialStatus, scheduledJobRollouts } from './orchestration.js';
import { documentBeforeSubstitution, prepareCreateJob } from './templates.js';
import { checkDocument, checkTimeConfigs } from './job-checks.js';
import { checkCreateJob, checkDocument as checkDocumentQuota } from '../quotas/jobs.js';
/** Work done inside the request before the rest is left to the background worker. */
export const INLINE_BATCH = 2000;
const STORED_CONFIGS = [
    'presignedUrlConfig',
    'jobExecutionsRolloutConfig',
    'abortConfig',
    'timeoutConfig',
    'jobExecutionsRetryConfig',
    'schedulingConfig',
    'jobTemplateArn',
    'documentParameters',
    'destinationPackageVersions',
];
const UPDATABLE_CONFIGS = ['presignedUrlConfig', 'jobExecutionsRolloutConfig', 'abortConfig', 'timeoutConfig', 'jobExecutionsRetryConfig'];
function parseTargets(ctx, arns) {
    const out = [];
    for (const arn of new Set(arns)) {
        const t = parseTarget(ctx, arn);
        if (!t)
            throw invalidRequest(`Target ${arn} is not the ARN of a thing or thing group in ${ctx.region} for account ${ctx.accountId}`);
        out.push(t);
    }
    if (out.length > states.MAX_TARGETS_PER_JOB)
        throw limitExceeded(`A job can have at most ${states.MAX_TARGETS_PER_JOB} targets`);
    return out;
}
async function checkTargetsExist(db, targets) {
    for (const t of targets) {
        const found = t.kind === 'thing'
            ? await db.selectFrom('things').select('thing_name').where('thing_name', '=', t.name).executeTakeFirst()
            : await db.selectFrom('thing_groups').select('group_name').where('group_name', '=', t.name).executeTakeFirst();
        if (!found)
            throw notFound(`${t.kind === 'thing' ? 'Thing' : 'Thing group'} ${t.name} does not exist`);
    }
}
export async function CreateJob(ctx, request) {
    const input = await prepareCreateJob(ctx, request);
    const jobId = input.jobId;
    if (input.document === undefined && input.documentSource === undefined)
        throw invalidRequest('Either document or documentSource must be specified');
    if (input.document !== undefined)
        checkDocument(input.document);
    checkDocumentQuota(ctx.jobQuotas, input.document);
    checkTimeConfigs(input);
    const targets = parseTargets(ctx, input.targets);
    const arn = jobArn(ctx, jobId);
    const config = {};
    for (const k of STORED_CONFIGS)
        if (input[k] !== undefined)
            config[k] = input[k];
    const now = ctx.clock.now();
    const schedule = checkOrchestration(input, now);
    const status = initialStatus(schedule, now);
    // A SCHEDULED job rolls out nothing until it starts.
    const scheduled = status === 'SCHEDULED';
    const selection = input.targetSelection ?? 'SNAPSHOT';
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        if (await getJob(db, jobId))
            throw alreadyExists(`Job ${jobId} already exists`, jobId, arn);
        await checkTargetsExist(db, targets);
        await checkCreateJob(db, ctx.jobQuotas, selection, scheduled);
        await db
            .insertInto('jobs')
            .values({
            job_id: jobId,
            status,
            target_selection: selection,
            targets: JSON.stringify(input.targets.filter((a, i, all) => all.indexOf(a) === i)),
            document: input.document ?? null,
            document_source: input.documentSource ?? null,
            description: input.description ?? null,
            namespace_id: input.namespaceId ?? null,
            config: JSON.stringify(config),
            force_canceled: 0,
            reason_code: null,
            comment: null,
            created_at: now,
            last_updated_at: now,
            completed_at: null,
            n_queued: 0,
            n_in_progress: 0,
            n_succeeded: 0,
            n_failed: 0,
            n_rejected: 0,
            n_canceled: 0,
            n_removed: 0,
            n_timed_out: 0,
            pending_work: null,
            work_cursor: null,
            rollout_pace: null,
            rollout_ended: 0,
            member_seq: selection === 'SNAPSHOT' && targets.some((t) => t.kind === 'group') ? await nextMemberSeq(db) : null,
        })
            .execute();
        if (targets.length)
            await db
                .insertInto('job_targets')
                .values(targets.map((t, i) => ({ job_id: jobId, position: i, kind: t.kind, name: t.name })))
                .execute();
        if (input.tags)
            await putTags(db, arn, input.tags);
        await armSchedule(db, jobId, schedule, scheduled, now);
        if (scheduled)
            return;
        // The first minute's worth of a paced rollout (or all direct things) before CreateJob answers.
        await startRollout(tx, (await tx.lockJob(jobId)), now, now, INLINE_BATCH, { step: ctx.manualClock === true });
    });
    return { jobArn: arn, jobId, description: input.description };
}
/** Still creating executions: a group fan-out owed, or a paced rollout (also between maintenance windows). */
const rollingOut = (job) => job.pending_work === 'rollout' || (job.rollout_pace !== null && job.status === 'IN_PROGRESS');
/** Job.isConcurrent: rolling out new executions or canceling earlier ones. */
const isConcurrent = (job) => rollingOut(job) || job.pending_work === 'cancel';
function jobOutput(ctx, job, now) {
    const config = parseJson(job.config) ?? {};
    const targets = parseJson(job.targets) ?? [];
    return {
        jobArn: jobArn(ctx, job.job_id),
        jobId: job.job_id,
        targetSelection: job.target_selection,
        status: job.status,
        forceCanceled: job.status === 'CANCELED' ? job.force_canceled === 1 : undefined,
        reasonCode: job.reason_code ?? undefined,
        comment: job.comment ?? undefined,
        targets,
        description: job.description ?? undefined,
        createdAt: date(job.created_at),
        lastUpdatedAt: date(job.last_updated_at),
        completedAt: date(job.completed_at),
        jobProcessDetails: {
            processingTargets: rollingOut(job) ? targets : undefined,
            numberOfCanceledThings: job.n_canceled,
            numberOfSucceededThings: job.n_succeeded,
            numberOfFailedThings: job.n_failed,
            numberOfRejectedThings: job.n_rejected,
            numberOfQueuedThings: job.n_queued,
            numberOfInProgressThings: job.n_in_progress,
            numberOfRemovedThings: job.n_removed,
            numberOfTimedOutThings: job.n_timed_out,
        },
        namespaceId: job.namespace_id ?? undefined,
        isConcurrent: isConcurrent(job),
        ...config,
        scheduledJobRollouts: scheduledJobRollouts(config, now),
    };
}
export async function DescribeJob(ctx, input) {
    const job = await requireJob(ctx.store.db, input.jobId);
    return { documentSource: job.document_source ?? undefined, job: jobOutput(ctx, job, ctx.clock.now()) };
}
export async function GetJobDocument(ctx, input) {
    const job = await requireJob(ctx.store.db, input.jobId);
    if (input.beforeSubstitution === true) {
        const before = documentBeforeSubstitution(ctx, parseJson(job.config) ?? {});
        if (before !== undefined)
            return { document: before };
    }
    return { document: job.document ?? undefined };
}
export async function ListJobs(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['integer', 'string']);
    const db = ctx.store.db;
    let groupName = input.thingGroupName;
    if (input.thingGroupId !== undefined) {
        const g = await db.selectFrom('thing_groups').select('group_name').where('group_id', '=', input.thingGroupId).executeTakeFirst();
        if (!g || (groupName !== undefined && g.group_name !== groupName))
            return { jobs: [] };
        groupName = g.group_name;
    }
    let q = db.selectFrom('jobs').selectAll();
    if (input.status)
        q = q.where('status', '=', input.status);
    if (input.targetSelection)
        q = q.where('target_selection', '=', input.targetSelection);
    if (input.namespaceId !== undefined)
        q = q.where('namespace_id', '=', input.namespaceId);
    if (groupName !== undefined) {
        const g = groupName;
        q = q.where('job_id', 'in', db.selectFrom('job_targets').select('job_id').where('kind', '=', 'group').where('name', '=', g));
    }
    if (after) {
        const [c, id] = after;
        q = q.where((eb) => eb.or([eb('created_at', '<', c), eb.and([eb('created_at', '=', c), eb('job_id', '<', id)])]));
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('job_id', 'desc').limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (j) => [j.created_at, j.job_id]);
    return {
        jobs: items.map((j) => ({
            jobArn: jobArn(ctx, j.job_id),
            jobId: j.job_id,
            targetSelection: j.target_selection,
            status: j.status,
            createdAt: date(j.created_at),
            lastUpdatedAt: date(j.last_updated_at),
            completedAt: date(j.completed_at),
            isConcurrent: isConcurrent(j),
        })),
        nextToken,
    };
}
export async function UpdateJob(ctx, input) {
    const now = ctx.clock.now();
    checkOrchestration({ jobExecutionsRolloutConfig: input.jobExecutionsRolloutConfig, abortConfig: input.abortConfig }, now);
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        // Locked: the config holds the rollout and abort state.
        const job = await requireLockedJob(tx, input.jobId, input.namespaceId);
        if (job.status === 'DELETION_IN_PROGRESS')
            throw invalidRequest(`Job ${job.job_id} is being deleted`);
        const config = parseJson(job.config) ?? {};
        checkTimeConfigs(input);
        // AWS: "You can only set the number of retries to 0 by using the UpdateJob API operation."
        const retries = input.jobExecutionsRetryConfig?.criteriaList;
        if (retries?.some((c) => c.numberOfRetries !== 0))
            throw invalidRequest('jobExecutionsRetryConfig: after CreateJob, numberOfRetries can only be set to 0');
        for (const k of UPDATABLE_CONFIGS)
            if (input[k] !== undefined)
                config[k] = input[k];
        if (input.jobExecutionsRolloutConfig !== undefined)
            await repaceRollout(db, job, input.jobExecutionsRolloutConfig, now);
        await db
            .updateTable('jobs')
            .set({
            config: JSON.stringify(config),
            description: input.description ?? job.description,
            last_updated_at: now,
        })
            .where('job_id', '=', job.job_id)
            .execute();
        // New criteria apply from now on, to the outcomes counted so far too.
        if (input.abortConfig !== undefined)
            await abortIfMet(tx, job.job_id, now);
    });
    return {};
}
export async function CancelJob(ctx, input) {
    const force = input.force === true;
    const now = ctx.clock.now();
    const job = await ctx.store.run(async (tx) => {
        const job = await requireLockedJob(tx, input.jobId);
        const verdict = states.cancelJob(job.status, force, job.force_canceled === 1);
        if (!verdict.ok)
            throw invalidRequest(verdict.message);
        const how = { force: force || job.force_canceled === 1, reasonCode: input.reasonCode ?? job.reason_code, comment: input.comment ?? job.comment };
        await markCanceled(tx, job, how, now);
        // A first batch before CancelJob answers; the engine does the rest.
        await cancelStep(tx, { ...job, status: 'CANCELED', force_canceled: how.force ? 1 : 0, pending_work: 'cancel', work_cursor: null }, now, INLINE_BATCH, { unlist: true });
        return job;
    });
    return { jobArn: jobArn(ctx, job.job_id), jobId: job.job_id, description: job.description ?? undefined };
}
export async function DeleteJob(ctx, input) {
    const force = input.force === true;
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        await ctx.store.lockDeletionSlots(db);
        const job = await requireLockedJob(tx, input.jobId, input.namespaceId);
        const verdict = states.deleteJob(job.status, force);
        if (!verdict.ok)
            throw invalidStateTransition(verdict.message);
        const deleting = await db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('status', '=', 'DELETION_IN_PROGRESS')
            .executeTakeFirstOrThrow();
        if (Number(deleting.n) >= states.MAX_CONCURRENT_DELETIONS)
            throw limitExceeded(`At most ${states.MAX_CONCURRENT_DELETIONS} jobs can be in DELETION_IN_PROGRESS at once`);
        await startDeletion(tx, job, ctx.clock.now());
    });
    return {};
}
export async function AssociateTargetsWithJob(ctx, input) {
    const targets = parseTargets(ctx, input.targets);
    const now = ctx.clock.now();
    const job = await ctx.store.run(async (tx) => {
        const db = tx.db;
        const job = await requireLockedJob(tx, input.jobId, input.namespaceId);
        if (job.target_selection !== 'CONTINUOUS')
            throw invalidRequest('Targets can only be added to a CONTINUOUS job');
        if (job.status !== 'IN_PROGRESS' && job.status !== 'SCHEDULED')
            throw invalidRequest(`Job ${job.job_id} is ${job.status}; targets can only be added to an IN_PROGRESS or SCHEDULED job`);
        const scheduled = job.status === 'SCHEDULED';
        await checkTargetsExist(db, targets);
        const existing = await db.selectFrom('job_targets').select(['position', 'kind', 'name']).where('job_id', '=', job.job_id).orderBy('position').execute();
        const fresh = targets.filter((t) => !existing.some((e) => e.kind === t.kind && e.name === t.name));
        if (existing.length + fresh.length > states.MAX_TARGETS_PER_JOB)
            throw limitExceeded(`A job can have at most ${states.MAX_TARGETS_PER_JOB} targets`);
        const base = existing.length ? existing[existing.length - 1].position + 1 : 0;
        if (fresh.length)
            await db
                .insertInto('job_targets')
                .values(fresh.map((t, i) => ({ job_id: job.job_id, position: base + i, kind: t.kind, name: t.name })))
                .execute();
        const arns = parseJson(job.targets) ?? [];
        for (const a of input.targets)
            if (!arns.includes(a))
                arns.push(a);
        const freshGroups = fresh.filter((t) => t.kind === 'group');
        const patch = { targets: JSON.stringify(arns), last_updated_at: now };
        // A paced rollout still running takes new groups into its pace; otherwise they fan out at once.
        const paced = freshGroups.length > 0 && !scheduled && (await addPacedGroups(db, job, base + fresh.indexOf(freshGroups[0])));
        await db.updateTable('jobs').set(patch).where('job_id', '=', job.job_id).execute();
        let row = job;
        if (freshGroups.length && job.pending_work !== 'rollout' && !scheduled && !paced) {
            const cursor = { t: base + fresh.indexOf(freshGroups[0]), after: '' };
            await owe(tx, job, { kind: 'rollout', cursor }, now);
            row = { ...job, pending_work: 'rollout', work_cursor: JSON.stringify(cursor) };
        }
        // A SCHEDULED job keeps its new targets for its start.
        if (!scheduled)
            await fanOut(tx, row, fresh.filter((t) => t.kind === 'thing').map((t) => t.name), now, INLINE_BATCH);
        return job;
    });
    return { jobArn: jobArn(ctx, job.job_id), jobId: job.job_id, description: job.description ?? undefined };
}
//# sourceMappingURL=jobs.js.map