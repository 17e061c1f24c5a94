import { randomUUID } from 'node:crypto';
import { alreadyExists, invalidRequest, notFound } from '../errors.js';
import { thingTypeArn } from '../domain/arn.js';
import { rowLimit } from '../store/store.js';
import { thingTypeRowEvent } from './registry-events.js';
import { date, decodeToken, DEFAULT_PAGE, page, parseJson } from './util.js';
import { putTags } from './tags.js';
/** AWS: "Wait five minutes after you deprecate a thing type before you delete it." */
export const DELETE_AFTER_DEPRECATION_MS = 5 * 60 * 1000;
async function findType(db, name) {
    return db.selectFrom('thing_types').selectAll().where('thing_type_name', '=', name).executeTakeFirst();
}
async function requireType(db, name) {
    const t = await findType(db, name);
    if (!t)
        throw notFound(`Thing type ${name} does not exist`);
    return t;
}
/** For CreateThing/UpdateThing: the type must exist (404) and not be deprecated (400), as AWS answers. */
export async function requireUsableType(db, name) {
    const t = await requireType(db, name);
    if (t.deprecated === 1)
        throw invalidRequest(`Thing type ${name} is deprecated; things cannot be given a deprecated thing type`);
}
function definition(ctx, t) {
    return {
        thingTypeName: t.thing_type_name,
        thingTypeArn: thingTypeArn(ctx, t.thing_type_name),
        thingTypeProperties: parseJson(t.properties),
        thingTypeMetadata: { deprecated: t.deprecated === 1, deprecationDate: date(t.deprecated_at), creationDate: date(t.created_at) },
    };
}
export async function CreateThingType(ctx, input) {
    const name = input.thingTypeName;
    const properties = JSON.stringify(input.thingTypeProperties ?? {});
    const arn = thingTypeArn(ctx, name);
    return ctx.store.run(async (tx) => {
        const db = tx.db;
        const id = randomUUID();
        // Insert-or-nothing, then read: concurrent creates (PostgreSQL) all see the one row that won.
        const inserted = await db
            .insertInto('thing_types')
            .values({ thing_type_name: name, thing_type_id: id, properties, deprecated: 0, deprecated_at: null, created_at: ctx.clock.now() })
            .onConflict((oc) => oc.column('thing_type_name').doNothing())
            .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
            const existing = (await findType(db, name));
            // The same call again answers as the first did; other properties are a conflict.
            if (existing.properties !== properties)
                throw alreadyExists(`Thing type ${name} already exists with different properties`, existing.thing_type_id, arn);
            return { thingTypeName: name, thingTypeArn: arn, thingTypeId: existing.thing_type_id };
        }
        if (input.tags)
            await putTags(db, arn, input.tags);
        await thingTypeRowEvent(tx, ctx.accountId, name, 'CREATED', ctx.clock.now());
        return { thingTypeName: name, thingTypeArn: arn, thingTypeId: id };
    });
}
export async function DescribeThingType(ctx, input) {
    const t = await requireType(ctx.store.db, input.thingTypeName);
    return { thingTypeId: t.thing_type_id, ...definition(ctx, t) };
}
export async function ListThingTypes(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    const after = decodeToken(input.nextToken, ['string']);
    let q = ctx.store.db.selectFrom('thing_types').selectAll();
    if (input.thingTypeName !== undefined)
        q = q.where('thing_type_name', '=', input.thingTypeName);
    if (after)
        q = q.where('thing_type_name', '>', after[0]);
    const rows = await q.orderBy('thing_type_name').limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (t) => [t.thing_type_name]);
    return { thingTypes: items.map((t) => definition(ctx, t)), nextToken };
}
export async function DeprecateThingType(ctx, input) {
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        await requireType(db, input.thingTypeName);
        const undo = input.undoDeprecate === true;
        await db
            .updateTable('thing_types')
            .set({ deprecated: undo ? 0 : 1, deprecated_at: undo ? null : ctx.clock.now() })
            .where('thing_type_name', '=', input.thingTypeName)
            .execute();
        // Deprecate and undeprecate publish on .../updated (AWS's registry events page).
        await thingTypeRowEvent(tx, ctx.accountId, input.thingTypeName, 'UPDATED', ctx.clock.now());
    });
    return {};
}
export async function DeleteThingType(ctx, input) {
    const name = input.thingTypeName;
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        const t = await requireType(db, name);
        if (t.deprecated !== 1 || t.deprecated_at === null)
            throw invalidRequest(`Thing type ${name} must be deprecated before it can be deleted`);
        const left = DELETE_AFTER_DEPRECATION_MS - (ctx.clock.now() - t.deprecated_at);
        if (left > 0)
            throw invalidRequest(`Thing type ${name} was deprecated less than 5 minutes ago; it can be deleted in ${Math.ceil(left / 1000)} s`);
        const thing = await db.selectFrom('things').select('thing_name').where('thing_type_name', '=', name).limit(rowLimit(1)).executeTakeFirst();
        if (thing)
            throw invalidRequest(`Thing type ${name} still has things associated with it, such as ${thing.thing_name}`);
        await thingTypeRowEvent(tx, ctx.accountId, name, 'DELETED', ctx.clock.now());
        await db.deleteFrom('tags').where('resource_arn', '=', thingTypeArn(ctx, name)).execute();
        await db.deleteFrom('thing_types').where('thing_type_name', '=', name).execute();
    });
    return {};
}
//# sourceMappingURL=thing-types.js.map