import { invalidRequest } from '../errors.js';
import { DEFAULT_EXPIRES_SEC, hasPresignedPlaceholder, parseS3Url, presignDocument } from '../s3/objects.js';
import { parseJson } from './util.js';
/**
 * A job document as a device is given it: ${aws:iot:s3-presigned-url:URL} placeholders become
 * presigned GET URLs valid for the job's presignedUrlConfig.expiresInSec (default 3600 s) from now.
 * Documents without a placeholder cost one substring test.
 */
export async function deviceDocument(ctx, jobId, document) {
    if (!document || !ctx.objects || !hasPresignedPlaceholder(document))
        return document;
    const job = await ctx.store.db.selectFrom('jobs').select('config').where('job_id', '=', jobId).executeTakeFirst();
    const expires = parseJson(job?.config)?.presignedUrlConfig?.expiresInSec;
    return presignDocument(ctx.objects, document, expires ?? DEFAULT_EXPIRES_SEC);
}
/** CreateJob with documentSource and no document: the document is fetched from S3 and stored. */
export async function resolveDocumentSource(ctx, input) {
    if (input.document !== undefined || input.documentSource === undefined)
        return input;
    const source = input.documentSource;
    const loc = parseS3Url(source);
    if (!loc)
        throw invalidRequest(`documentSource ${source} is not an S3 object URL such as https://s3.${ctx.region}.amazonaws.com/bucket/key`);
    const body = ctx.objects ? await ctx.objects.get(loc) : undefined;
    if (body === undefined)
        throw invalidRequest(`Unable to download the job document from documentSource ${source}: the specified key does not exist`);
    return { ...input, document: body.toString('utf8') };
}
//# sourceMappingURL=documents.js.map