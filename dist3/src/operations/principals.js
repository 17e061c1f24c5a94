import { invalidRequest, notFound } from '../errors.js';
import { bumpAuthVersion } from '../certs/own-ca.js';
import { rowLimit } from '../store/store.js';
import { requireThing } from './things.js';
import { certIdOfArn } from './certificates.js';
import { decodeToken, DEFAULT_PAGE, page } from './util.js';
/** Thing ↔ principal attachments (perimeter.md §3.5); the principal travels in the x-amzn-principal header. */
const COGNITO_ID = /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$/;
/** A certificate ARN of a registered certificate, or a Cognito identity id; else ResourceNotFound / InvalidRequest. */
export async function requirePrincipal(ctx, db, principal) {
    const id = certIdOfArn(ctx, principal);
    if (id !== undefined) {
        const row = await db.selectFrom('certificates').select('certificate_id').where('certificate_id', '=', id).executeTakeFirst();
        if (!row)
            throw notFound(`The certificate ${principal} does not exist`);
        return;
    }
    if (!COGNITO_ID.test(principal))
        throw invalidRequest(`The principal ${principal} is not a certificate ARN of this account or a Cognito identity id`);
}
export async function AttachThingPrincipal(ctx, input) {
    const type = input.thingPrincipalType ?? 'NON_EXCLUSIVE_THING';
    await ctx.store.tx(async (db) => {
        await requireThing(db, input.thingName, true);
        await requirePrincipal(ctx, db, input.principal);
        const others = await db.selectFrom('thing_principals').select(['thing_name', 'principal_type']).where('principal', '=', input.principal).where('thing_name', '!=', input.thingName).execute();
        // EXCLUSIVE: the certificate's only thing (perimeter.md §3.5; the error is not documented).
        if (type === 'EXCLUSIVE_THING' && others.length > 0)
            throw invalidRequest(`The principal is already attached to another thing (${others[0].thing_name}); it cannot be attached exclusively`);
        const exclusive = others.find((o) => o.principal_type === 'EXCLUSIVE_THING');
        if (exclusive)
            throw invalidRequest(`The principal is attached exclusively to thing ${exclusive.thing_name}`);
        const existing = await db.selectFrom('thing_principals').select('principal_type').where('thing_name', '=', input.thingName).where('principal', '=', input.principal).executeTakeFirst();
        if (existing)
            await db.updateTable('thing_principals').set({ principal_type: type }).where('thing_name', '=', input.thingName).where('principal', '=', input.principal).execute();
        else
            await db.insertInto('thing_principals').values({ thing_name: input.thingName, principal: input.principal, principal_type: type }).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
/** Detached at once (AWS propagates it asynchronously). */
export async function DetachThingPrincipal(ctx, input) {
    await ctx.store.tx(async (db) => {
        await requireThing(db, input.thingName, true);
        await requirePrincipal(ctx, db, input.principal);
        await db.deleteFrom('thing_principals').where('thing_name', '=', input.thingName).where('principal', '=', input.principal).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
async function thingPrincipals(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    await requireThing(ctx.store.db, input.thingName);
    const after = decodeToken(input.nextToken, ['string']);
    let q = ctx.store.db.selectFrom('thing_principals').select(['principal', 'principal_type']).where('thing_name', '=', input.thingName);
    if (input.thingPrincipalType)
        q = q.where('principal_type', '=', input.thingPrincipalType);
    if (after)
        q = q.where('principal', '>', after[0]);
    const rows = await q.orderBy('principal').limit(rowLimit(limit + 1)).execute();
    return page(rows, limit, (r) => [r.principal]);
}
export async function ListThingPrincipals(ctx, input) {
    const { items, nextToken } = await thingPrincipals(ctx, input);
    return { principals: items.map((r) => r.principal), nextToken };
}
export async function ListThingPrincipalsV2(ctx, input) {
    const { items, nextToken } = await thingPrincipals(ctx, input);
    return { thingPrincipalObjects: items.map((r) => ({ principal: r.principal, thingPrincipalType: r.principal_type })), nextToken };
}
async function principalThings(ctx, input) {
    const limit = input.maxResults ?? DEFAULT_PAGE;
    await requirePrincipal(ctx, ctx.store.db, input.principal);
    const after = decodeToken(input.nextToken, ['string']);
    let q = ctx.store.db.selectFrom('thing_principals').select(['thing_name', 'principal_type']).where('principal', '=', input.principal);
    if (input.thingPrincipalType)
        q = q.where('principal_type', '=', input.thingPrincipalType);
    if (after)
        q = q.where('thing_name', '>', after[0]);
    const rows = await q.orderBy('thing_name').limit(rowLimit(limit + 1)).execute();
    return page(rows, limit, (r) => [r.thing_name]);
}
export async function ListPrincipalThings(ctx, input) {
    const { items, nextToken } = await principalThings(ctx, input);
    return { things: items.map((r) => r.thing_name), nextToken };
}
export async function ListPrincipalThingsV2(ctx, input) {
    const { items, nextToken } = await principalThings(ctx, input);
    return { principalThingObjects: items.map((r) => ({ thingName: r.thing_name, thingPrincipalType: r.principal_type })), nextToken };
}
//# sourceMappingURL=principals.js.map