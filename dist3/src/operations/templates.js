import { invalidRequest, notFound, ServiceError } from '../errors.js';
import { jobTemplateArn, managedTemplateArn, parseJobArn, parseJobTemplateArn } from '../domain/arn.js';
import { DEFAULT_VERSION, findManagedTemplate, MANAGED_TEMPLATES, substitute } from '../domain/managed-templates.js';
import { rowLimit } from '../store/store.js';
import { date, decodeToken, DEFAULT_PAGE, page, parseJson, requireJob } from './util.js';
import { putTags } from './tags.js';
import { checkDocument, checkTimeConfigs } from './job-checks.js';
import { checkOrchestration } from './orchestration.js';
import { resolveDocumentSource } from './documents.js';
import { parseS3Url } from '../s3/objects.js';
/** The job configurations a template carries, by their CreateJobTemplate names. */
const TEMPLATE_CONFIGS = [
    'presignedUrlConfig',
    'jobExecutionsRolloutConfig',
    'abortConfig',
    'timeoutConfig',
    'jobExecutionsRetryConfig',
    'maintenanceWindows',
    'destinationPackageVersions',
];
const conflict = (message, resourceId) => new ServiceError('ConflictException', message, { resourceId });
/** A job's stored configurations as a template holds them (its maintenance windows sit in schedulingConfig). */
function configsOfJob(job) {
    const config = parseJson(job.config) ?? {};
    const out = {};
    for (const k of TEMPLATE_CONFIGS)
        if (config[k] !== undefined)
            out[k] = config[k];
    const windows = config.schedulingConfig?.maintenanceWindows;
    if (windows !== undefined)
        out.maintenanceWindows = windows;
    return out;
}
export async function CreateJobTemplate(ctx, input) {
    const id = input.jobTemplateId;
    const arn = jobTemplateArn(ctx, id);
    if (input.document === undefined && input.documentSource === undefined && input.jobArn === undefined)
        throw invalidRequest('One of document, documentSource or jobArn must be specified');
    if (input.document !== undefined)
        checkDocument(input.document);
    checkTimeConfigs(input);
    checkOrchestration({ jobExecutionsRolloutConfig: input.jobExecutionsRolloutConfig, abortConfig: input.abortConfig }, ctx.clock.now());
    if (input.documentSource !== undefined && !parseS3Url(input.documentSource))
        throw invalidRequest(`documentSource ${input.documentSource} is not an S3 object URL such as https://s3.${ctx.region}.amazonaws.com/bucket/key`);
    let sourceJobId;
    if (input.jobArn !== undefined) {
        sourceJobId = parseJobArn(ctx, input.jobArn);
        if (!sourceJobId)
            throw invalidRequest(`jobArn ${input.jobArn} is not the ARN of a job in ${ctx.region} for account ${ctx.accountId}`);
    }
    await ctx.store.tx(async (db) => {
        let document = null;
        let documentSource = null;
        let config = {};
        if (sourceJobId !== undefined) {
            const job = await requireJob(db, sourceJobId);
            document = job.document;
            documentSource = job.document_source;
            config = configsOfJob(job);
        }
        // The request's own values win over the job's.
        if (input.document !== undefined || input.documentSource !== undefined) {
            document = input.document ?? null;
            documentSource = input.documentSource ?? null;
        }
        for (const k of TEMPLATE_CONFIGS)
            if (input[k] !== undefined)
                config[k] = input[k];
        // Insert-or-nothing: of concurrent creates of one id (PostgreSQL), exactly one wins.
        const inserted = await db
            .insertInto('job_templates')
            .values({ job_template_id: id, description: input.description, document, document_source: documentSource, config: JSON.stringify(config), created_at: ctx.clock.now() })
            .onConflict((oc) => oc.column('job_template_id').doNothing())
            .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0)
            throw conflict(`Job template ${id} already exists`, id);
        if (input.tags)
            await putTags(db, arn, input.tags);
    });
    return { jobTemplateArn: arn, jobTemplateId: id };
}
async function requireTemplate(ctx, id) {
    const t = await ctx.store.db.selectFrom('job_templates').selectAll().where('job_template_id', '=', id).executeTakeFirst();
    if (!t)
        throw notFound(`Job template ${id} not found`);
    return t;
}
export async function DescribeJobTemplate(ctx, input) {
    const t = await requireTemplate(ctx, input.jobTemplateId);
    return {
        jobTemplateArn: jobTemplateArn(ctx, t.job_template_id),
        jobTemplateId: t.job_template_id,
        description: t.description,
        document: t.document ?? undefined,
        documentSource: t.document_source ?? undefined,
        createdAt: date(t.created_at),
        ...parseJson(t.config),
    };
}
export async function ListJobTemplates(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['integer', 'string']);
    let q = ctx.store.db.selectFrom('job_templates').select(['job_template_id', 'description', 'created_at']);
    if (after) {
        const [c, id] = after;
        q = q.where((eb) => eb.or([eb('created_at', '<', c), eb.and([eb('created_at', '=', c), eb('job_template_id', '<', id)])]));
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('job_template_id', 'desc').limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (t) => [t.created_at, t.job_template_id]);
    return {
        jobTemplates: items.map((t) => ({
            jobTemplateArn: jobTemplateArn(ctx, t.job_template_id),
            jobTemplateId: t.job_template_id,
            description: t.description,
            createdAt: date(t.created_at),
        })),
        nextToken,
    };
}
/** Jobs made from a template keep their own copy of it, so deleting it leaves them as they are. */
export async function DeleteJobTemplate(ctx, input) {
    await ctx.store.tx(async (db) => {
        const gone = await db.deleteFrom('job_templates').where('job_template_id', '=', input.jobTemplateId).executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0)
            throw notFound(`Job template ${input.jobTemplateId} not found`);
        await db.deleteFrom('tags').where('resource_arn', '=', jobTemplateArn(ctx, input.jobTemplateId)).execute();
    });
    return {};
}
// ---- AWS managed templates (static data, domain/managed-templates.ts) ----
function managedSummary(ctx, t) {
    return {
        templateArn: managedTemplateArn(ctx, t.templateName, t.templateVersion),
        templateName: t.templateName,
        description: t.description,
        environments: t.environments,
        templateVersion: t.templateVersion,
    };
}
export async function ListManagedJobTemplates(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['string', 'string']);
    const all = MANAGED_TEMPLATES.filter((t) => input.templateName === undefined || t.templateName === input.templateName)
        .filter((t) => !after || t.templateName > after[0] || (t.templateName === after[0] && t.templateVersion > after[1]))
        .sort((a, b) => (a.templateName === b.templateName ? (a.templateVersion < b.templateVersion ? -1 : 1) : a.templateName < b.templateName ? -1 : 1));
    const { items, nextToken } = page(all.slice(0, limit + 1), limit, (t) => [t.templateName, t.templateVersion]);
    return { managedJobTemplates: items.map((t) => managedSummary(ctx, t)), nextToken };
}
export async function DescribeManagedJobTemplate(ctx, input) {
    const t = findManagedTemplate(input.templateName, input.templateVersion ?? DEFAULT_VERSION);
    if (!t)
        throw notFound(`Managed job template ${input.templateName}${input.templateVersion ? ` version ${input.templateVersion}` : ''} not found`);
    return { ...managedSummary(ctx, t), documentParameters: t.documentParameters, document: t.document };
}
// ---- CreateJob from a template ----
/**
 * The CreateJob input with the template's document and configurations filled in where the request
 * has none, and managed-template parameters substituted; the request's own values win. CreateJob
 * then stores it exactly as if the request had carried it all.
 */
export async function applyJobTemplate(ctx, input) {
    const arn = input.jobTemplateArn;
    if (arn === undefined) {
        if (input.documentParameters !== undefined)
            throw invalidRequest('documentParameters can only be used when creating a job from an AWS managed template (jobTemplateArn)');
        return input;
    }
    const ref = parseJobTemplateArn(ctx, arn);
    if (!ref)
        throw notFound(`Job template ${arn} not found`);
    if (ref.kind === 'managed') {
        const t = findManagedTemplate(ref.name, ref.version);
        if (!t)
            throw notFound(`Job template ${arn} not found`);
        if (input.document !== undefined || input.documentSource !== undefined)
            throw invalidRequest(`A job from the AWS managed template ${t.templateName} takes its document from the template: pass documentParameters instead of document or documentSource`);
        const result = substitute(t, input.documentParameters ?? {});
        if ('error' in result)
            throw invalidRequest(result.error);
        return { ...input, document: result.document, description: input.description ?? t.description };
    }
    if (input.documentParameters !== undefined)
        throw invalidRequest('documentParameters can only be used with AWS managed templates, not with the custom job template ' + ref.id);
    const t = await ctx.store.db.selectFrom('job_templates').selectAll().where('job_template_id', '=', ref.id).executeTakeFirst();
    if (!t)
        throw notFound(`Job template ${arn} not found`);
    const out = { ...input };
    if (input.document === undefined && input.documentSource === undefined) {
        if (t.document !== null)
            out.document = t.document;
        if (t.document_source !== null)
            out.documentSource = t.document_source;
    }
    out.description = input.description ?? t.description;
    const { maintenanceWindows, ...configs } = parseJson(t.config) ?? {};
    for (const [k, v] of Object.entries(configs))
        if (out[k] === undefined)
            out[k] = v;
    if (maintenanceWindows !== undefined && out.schedulingConfig?.maintenanceWindows === undefined)
        out.schedulingConfig = { ...out.schedulingConfig, maintenanceWindows };
    return out;
}
/** What CreateJob stores: the template applied, then a documentSource fetched. */
export async function prepareCreateJob(ctx, input) {
    return resolveDocumentSource(ctx, await applyJobTemplate(ctx, input));
}
/** GetJobDocument?beforeSubstitution=true: a managed template's document with its placeholders. */
export function documentBeforeSubstitution(ctx, config) {
    const arn = config.jobTemplateArn;
    if (typeof arn !== 'string')
        return undefined;
    const ref = parseJobTemplateArn(ctx, arn);
    return ref?.kind === 'managed' ? findManagedTemplate(ref.name, ref.version)?.document : undefined;
}
//# sourceMappingURL=templates.js.map