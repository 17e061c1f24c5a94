import { randomUUID } from 'node:crypto';
import { ServiceError, alreadyExists, invalidRequest, limitExceeded, notFound } from '../errors.js';
import { PolicyError, PolicySet } from '../domain/policy/index.js';
import { thingGroupArn } from '../domain/arn.js';
import { bumpAuthVersion } from '../certs/own-ca.js';
import { forUpdate, rowLimit } from '../store/store.js';
import { requirePrincipal } from './principals.js';
import { putTags } from './tags.js';
import { decodeToken, encodeToken } from './util.js';
import { deleteConflict } from './certificates.js';
import { requireThing } from './things.js';
/** AWS IoT Core policies (perimeter.md §4.1): versions, default version, attachments to certificates and groups. */
export const policyArn = (ctx, name) => `arn:aws:iot:${ctx.region}:${ctx.accountId}:policy/${name}`;
const MAX_VERSIONS = 5;
/** Policies per certificate or group (documented limit; the error shape is the model's). */
const MAX_POLICIES_PER_TARGET = 10;
const DEFAULT_POLICY_PAGE = 25;
/** The guide's and the model doc's limit: 2048 characters, whitespace not counted (perimeter.md §4.1). */
export const MAX_POLICY_CHARS = 2048;
/** The document, checked by the policy engine the broker evaluates it with; MalformedPolicyException says why it is refused. */
function checkDocument(text) {
    if (text.replace(/\s/g, '').length > MAX_POLICY_CHARS)
        throw new ServiceError('MalformedPolicyException', `The policy document is longer than ${MAX_POLICY_CHARS} characters (whitespace not counted)`);
    try {
        new PolicySet([{ document: text }]);
    }
    catch (err) {
        if (err instanceof PolicyError)
            throw new ServiceError('MalformedPolicyException', err.message);
        throw err;
    }
    return text;
}
async function requirePolicy(db, name, lock = false) {
    const q = db.selectFrom('policies').selectAll().where('policy_name', '=', name);
    const row = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
    if (!row)
        throw notFound(`Policy ${name} does not exist`);
    return row;
}
async function requireVersion(db, name, version) {
    const row = await db.selectFrom('policy_versions').selectAll().where('policy_name', '=', name).where('version_id', '=', Number(version)).executeTakeFirst();
    if (!row)
        throw notFound(`Policy ${name} has no version ${version}`);
    return row;
}
export async function CreatePolicy(ctx, input) {
    const name = input.policyName;
    const document = checkDocument(input.policyDocument);
    const now = ctx.clock.now();
    await ctx.store.tx(async (db) => {
        const existing = await db.selectFrom('policies').select('policy_name').where('policy_name', '=', name).executeTakeFirst();
        if (existing)
            throw alreadyExists(`Policy ${name} already exists`, name, policyArn(ctx, name));
        await db.insertInto('policies').values({ policy_name: name, default_version: 1, last_version: 1, created_at: now, updated_at: now, generation_id: randomUUID() }).execute();
        await db.insertInto('policy_versions').values({ policy_name: name, version_id: 1, document, created_at: now }).execute();
        if (input.tags?.length)
            await putTags(db, policyArn(ctx, name), input.tags);
    });
    return { policyName: name, policyArn: policyArn(ctx, name), policyDocument: document, policyVersionId: '1' };
}
export async function GetPolicy(ctx, input) {
    const p = await requirePolicy(ctx.store.db, input.policyName);
    const v = await requireVersion(ctx.store.db, p.policy_name, String(p.default_version));
    return {
        policyName: p.policy_name,
        policyArn: policyArn(ctx, p.policy_name),
        policyDocument: v.document,
        defaultVersionId: String(p.default_version),
        creationDate: new Date(Number(p.created_at)),
        lastModifiedDate: new Date(Number(p.updated_at)),
        generationId: p.generation_id,
    };
}
/** Policy names in name order; ascendingOrder=false reverses it. Keyset on the name. */
export async function ListPolicies(ctx, input) {
    const limit = input.pageSize ?? DEFAULT_POLICY_PAGE;
    const asc = input.ascendingOrder !== false;
    const after = decodeToken(input.marker, ['string']);
    let q = ctx.store.db.selectFrom('policies').select('policy_name');
    if (after)
        q = q.where('policy_name', asc ? '>' : '<', after[0]);
    const rows = await q.orderBy('policy_name', asc ? 'asc' : 'desc').limit(rowLimit(limit + 1)).execute();
    const items = rows.slice(0, limit);
    return {
        policies: items.map((r) => ({ policyName: r.policy_name, policyArn: policyArn(ctx, r.policy_name) })),
        nextMarker: rows.length > limit ? encodeToken([items[items.length - 1].policy_name]) : undefined,
    };
}
/** Refused while attached or while it has versions besides the default (moto's texts of AWS's errors). */
export async function DeletePolicy(ctx, input) {
    const name = input.policyName;
    await ctx.store.tx(async (db) => {
        const p = await requirePolicy(db, name, true);
        const target = await db.selectFrom('policy_targets').select('target').where('policy_name', '=', name).limit(1).executeTakeFirst();
        if (target)
            throw deleteConflict(`The policy cannot be deleted as the policy is attached to one or more principals (name=${name})`);
        const other = await db.selectFrom('policy_versions').select('version_id').where('policy_name', '=', name).where('version_id', '!=', p.default_version).limit(1).executeTakeFirst();
        if (other)
            throw deleteConflict(`Cannot delete the policy because it has one or more policy versions attached to it (name=${name})`);
        await db.deleteFrom('policy_versions').where('policy_name', '=', name).execute();
        await db.deleteFrom('policies').where('policy_name', '=', name).execute();
        await db.deleteFrom('tags').where('resource_arn', '=', policyArn(ctx, name)).execute();
    });
    return {};
}
export async function CreatePolicyVersion(ctx, input) {
    const name = input.policyName;
    const document = checkDocument(input.policyDocument);
    const now = ctx.clock.now();
    const version = await ctx.store.tx(async (db) => {
        const p = await requirePolicy(db, name, true);
        const versions = await db.selectFrom('policy_versions').select((eb) => eb.fn.countAll().as('n')).where('policy_name', '=', name).executeTakeFirstOrThrow();
        if (Number(versions.n) >= MAX_VERSIONS)
            throw new ServiceError('VersionsLimitExceededException', `The policy ${name} already has the maximum number of versions (${MAX_VERSIONS})`);
        const id = p.last_version + 1;
        await db.insertInto('policy_versions').values({ policy_name: name, version_id: id, document, created_at: now }).execute();
        await db
            .updateTable('policies')
            .set({ last_version: id, updated_at: now, generation_id: randomUUID(), ...(input.setAsDefault ? { default_version: id } : {}) })
            .where('policy_name', '=', name)
            .execute();
        if (input.setAsDefault)
            await bumpAuthVersion(db);
        return id;
    });
    return { policyArn: policyArn(ctx, name), policyDocument: document, policyVersionId: String(version), isDefaultVersion: input.setAsDefault === true };
}
export async function GetPolicyVersion(ctx, input) {
    const p = await requirePolicy(ctx.store.db, input.policyName);
    const v = await requireVersion(ctx.store.db, p.policy_name, input.policyVersionId);
    return {
        policyArn: policyArn(ctx, p.policy_name),
        policyName: p.policy_name,
        policyDocument: v.document,
        policyVersionId: String(v.version_id),
        isDefaultVersion: v.version_id === p.default_version,
        creationDate: new Date(Number(v.created_at)),
        lastModifiedDate: new Date(Number(v.created_at)),
        generationId: p.generation_id,
    };
}
export async function ListPolicyVersions(ctx, input) {
    const p = await requirePolicy(ctx.store.db, input.policyName);
    // At most five: no paging in the model.
    const rows = await ctx.store.db.selectFrom('policy_versions').select(['version_id', 'created_at']).where('policy_name', '=', p.policy_name).orderBy('version_id', 'desc').execute();
    return { policyVersions: rows.map((v) => ({ versionId: String(v.version_id), isDefaultVersion: v.version_id === p.default_version, createDate: new Date(Number(v.created_at)) })) };
}
export async function SetDefaultPolicyVersion(ctx, input) {
    await ctx.store.tx(async (db) => {
        const p = await requirePolicy(db, input.policyName, true);
        const v = await requireVersion(db, p.policy_name, input.policyVersionId);
        await db.updateTable('policies').set({ default_version: v.version_id, updated_at: ctx.clock.now(), generation_id: randomUUID() }).where('policy_name', '=', p.policy_name).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
/** The default version cannot be deleted; the model's DeleteConflictException (moto says InvalidRequest). */
export async function DeletePolicyVersion(ctx, input) {
    await ctx.store.tx(async (db) => {
        const p = await requirePolicy(db, input.policyName, true);
        const v = await requireVersion(db, p.policy_name, input.policyVersionId);
        if (v.version_id === p.default_version)
            throw deleteConflict('Cannot delete the default version of a policy');
        await db.deleteFrom('policy_versions').where('policy_name', '=', p.policy_name).where('version_id', '=', v.version_id).execute();
    });
    return {};
}
const GROUP_ARN = /^arn:aws[a-z-]*:iot:([a-z0-9-]+):(\d{12}):thinggroup\/([a-zA-Z0-9:_-]{1,128})$/;
/** A policy target: a registered certificate, a static thing group, or a Cognito identity id. */
async function requireTarget(ctx, db, target) {
    const g = GROUP_ARN.exec(target);
    if (g) {
        if (g[1] !== ctx.region || g[2] !== ctx.accountId)
            throw invalidRequest(`${target} is not a thing group of this account and region`);
        const row = await db.selectFrom('thing_groups').select('group_name').where('group_name', '=', g[3]).executeTakeFirst();
        if (!row)
            throw notFound(`Thing group ${g[3]} does not exist`);
        return;
    }
    await requirePrincipal(ctx, db, target);
}
export async function AttachPolicy(ctx, input) {
    await ctx.store.tx(async (db) => {
        await requirePolicy(db, input.policyName, true);
        await requireTarget(ctx, db, input.target);
        const has = await db.selectFrom('policy_targets').select('policy_name').where('target', '=', input.target).execute();
        if (has.some((r) => r.policy_name === input.policyName))
            return;
        if (has.length >= MAX_POLICIES_PER_TARGET)
            throw limitExceeded(`A target can have at most ${MAX_POLICIES_PER_TARGET} policies attached`);
        await db.insertInto('policy_targets').values({ policy_name: input.policyName, target: input.target }).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
export async function DetachPolicy(ctx, input) {
    await ctx.store.tx(async (db) => {
        await requirePolicy(db, input.policyName, true);
        await requireTarget(ctx, db, input.target);
        await db.deleteFrom('policy_targets').where('policy_name', '=', input.policyName).where('target', '=', input.target).execute();
        await bumpAuthVersion(db);
    });
    return {};
}
/** A group and its ancestors, nearest first (hierarchies are at most 7 deep). */
async function groupChain(db, group) {
    const out = [];
    let name = group;
    while (name !== null && out.length < 16) {
        out.push(name);
        const row = await db.selectFrom('thing_groups').select('parent_group_name').where('group_name', '=', name).executeTakeFirst();
        name = row?.parent_group_name ?? null;
    }
    return out;
}
export async function ListAttachedPolicies(ctx, input) {
    const target = input.target;
    const limit = input.pageSize ?? DEFAULT_POLICY_PAGE;
    await requireTarget(ctx, ctx.store.db, target);
    const g = GROUP_ARN.exec(target);
    // recursive: a group's policies and its ancestors' (what its things inherit).
    const targets = g && input.recursive ? (await groupChain(ctx.store.db, g[3])).map((n) => thingGroupArn(ctx, n)) : [target];
    const after = decodeToken(input.marker, ['string']);
    let q = ctx.store.db.selectFrom('policy_targets').select('policy_name').distinct().where('target', 'in', targets);
    if (after)
        q = q.where('policy_name', '>', after[0]);
    const rows = await q.orderBy('policy_name').limit(rowLimit(limit + 1)).execute();
    const items = rows.slice(0, limit);
    return {
        policies: items.map((r) => ({ policyName: r.policy_name, policyArn: policyArn(ctx, r.policy_name) })),
        nextMarker: rows.length > limit ? encodeToken([items[items.length - 1].policy_name]) : undefined,
    };
}
export async function ListTargetsForPolicy(ctx, input) {
    const limit = input.pageSize ?? DEFAULT_POLICY_PAGE;
    await requirePolicy(ctx.store.db, input.policyName);
    const after = decodeToken(input.marker, ['string']);
    let q = ctx.store.db.selectFrom('policy_targets').select('target').where('policy_name', '=', input.policyName);
    if (after)
        q = q.where('target', '>', after[0]);
    const rows = await q.orderBy('target').limit(rowLimit(limit + 1)).execute();
    const items = rows.slice(0, limit);
    return { targets: items.map((r) => r.target), nextMarker: rows.length > limit ? encodeToken([items[items.length - 1].target]) : undefined };
}
/** The default documents of the policies that apply: the principal's, and those of the thing's groups and their ancestors. */
export async function effectivePolicies(ctx, db, principal, thingName) {
    const targets = [];
    if (principal !== undefined)
        targets.push(principal);
    if (thingName !== undefined) {
        const groups = await db.selectFrom('group_members').select('group_name').where('thing_name', '=', thingName).execute();
        for (const g of groups)
            for (const n of await groupChain(db, g.group_name))
                targets.push(thingGroupArn(ctx, n));
    }
    if (targets.length === 0)
        return [];
    return db
        .selectFrom('policy_targets')
        .innerJoin('policies', 'policies.policy_name', 'policy_targets.policy_name')
        .innerJoin('policy_versions', (j) => j.onRef('policy_versions.policy_name', '=', 'policies.policy_name').onRef('policy_versions.version_id', '=', 'policies.default_version'))
        .select(['policies.policy_name as name', 'policy_versions.document as document'])
        .distinct()
        .where('policy_targets.target', 'in', [...new Set(targets)])
        .orderBy('policies.policy_name')
        .execute();
}
export async function GetEffectivePolicies(ctx, input) {
    const db = ctx.store.db;
    if (input.principal !== undefined)
        await requirePrincipal(ctx, db, input.principal);
    if (input.thingName !== undefined)
        await requireThing(db, input.thingName);
    const rows = await effectivePolicies(ctx, db, input.principal, input.thingName);
    return { effectivePolicies: rows.map((r) => ({ policyName: r.name, policyArn: policyArn(ctx, r.name), policyDocument: r.document })) };
}
//# sourceMappingURL=policies.js.map