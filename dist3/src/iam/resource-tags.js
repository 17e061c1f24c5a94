/** Stored tags of these resources (jobs, templates, thing groups, thing types), by ARN: one indexed read. */
export async function resourceTags(store, arns) {
    const out = new Map();
    const wanted = arns.filter((a) => a.startsWith('arn:'));
    if (wanted.length === 0)
        return out;
    const rows = await store.db.selectFrom('tags').select(['resource_arn', 'tag_key', 'tag_value']).where('resource_arn', 'in', wanted).execute();
    for (const r of rows) {
        let tags = out.get(r.resource_arn);
        if (!tags)
            out.set(r.resource_arn, (tags = {}));
        tags[`aws:ResourceTag/${r.tag_key}`] = r.tag_value;
    }
    return out;
}
//# sourceMappingURL=resource-tags.js.map