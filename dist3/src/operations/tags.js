import { invalidRequest, notFound } from '../errors.js';
import { parseResourceArn } from '../domain/arn.js';
import { rowLimit } from '../store/store.js';
import { DEFAULT_PAGE, decodeToken, page } from './util.js';
export async function putTags(db, arn, tags) {
    for (const t of tags) {
        await db
            .insertInto('tags')
            .values({ resource_arn: arn, tag_key: t.Key, tag_value: t.Value ?? '' })
            .onConflict((oc) => oc.columns(['resource_arn', 'tag_key']).doUpdateSet({ tag_value: t.Value ?? '' }))
            .execute();
    }
}
async function requireResource(db, arn) {
    const r = parseResourceArn(arn);
    if (!r)
        throw invalidRequest(`${arn} is not a taggable resource ARN`);
    const found = r.type === 'job'
        ? await db.selectFrom('jobs').select('job_id').where('job_id', '=', r.name).executeTakeFirst()
        : r.type === 'thinggroup'
            ? await db.selectFrom('thing_groups').select('group_name').where('group_name', '=', r.name).executeTakeFirst()
            : r.type === 'jobtemplate'
                ? await db.selectFrom('job_templates').select('job_template_id').where('job_template_id', '=', r.name).executeTakeFirst()
                : r.type === 'thingtype'
                    ? await db.selectFrom('thing_types').select('thing_type_name').where('thing_type_name', '=', r.name).executeTakeFirst()
                    : undefined;
    if (!found)
        throw notFound(`Resource ${arn} not found`);
}
export async function TagResource(ctx, input) {
    await ctx.store.tx(async (db) => {
        await requireResource(db, input.resourceArn);
        await putTags(db, input.resourceArn, input.tags);
    });
    return {};
}
export async function UntagResource(ctx, input) {
    await ctx.store.tx(async (db) => {
        await requireResource(db, input.resourceArn);
        if (input.tagKeys.length)
            await db.deleteFrom('tags').where('resource_arn', '=', input.resourceArn).where('tag_key', 'in', input.tagKeys).execute();
    });
    return {};
}
export async function ListTagsForResource(ctx, input) {
    const db = ctx.store.db;
    await requireResource(db, input.resourceArn);
    const after = decodeToken(input.nextToken, ['string']);
    let q = db.selectFrom('tags').select(['tag_key', 'tag_value']).where('resource_arn', '=', input.resourceArn);
    if (after)
        q = q.where('tag_key', '>', after[0]);
    const rows = await q.orderBy('tag_key').limit(rowLimit(DEFAULT_PAGE + 1)).execute();
    const { items, nextToken } = page(rows, DEFAULT_PAGE, (r) => [r.tag_key]);
    return { tags: items.map((r) => ({ Key: r.tag_key, Value: r.tag_value })), nextToken };
}
/**
 * iot:Jobs is the HTTP address (control and device planes); iot:Data, iot:Data-ATS and no type are
 * the MQTT broker's, since that is where devices are pointed (the HTTP address when no broker runs).
 */
export async function DescribeEndpoint(ctx, input) {
    const type = input.endpointType;
    if (type === 'iot:Jobs')
        return { endpointAddress: ctx.endpointAddress() };
    if (type === undefined || type === 'iot:Data' || type === 'iot:Data-ATS')
        return { endpointAddress: ctx.mqttEndpointAddress?.() ?? ctx.endpointAddress() };
    if (type === 'iot:CredentialProvider')
        throw invalidRequest('endpointType iot:CredentialProvider is not served by iot-jobs');
    throw invalidRequest(`endpointType ${type.length > 64 ? type.slice(0, 64) + '...' : type} is not valid; use iot:Data, iot:Data-ATS or iot:Jobs`);
}
//# sourceMappingURL=tags.js.map