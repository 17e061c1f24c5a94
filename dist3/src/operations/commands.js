import { notFound, ServiceError } from '../errors.js';
import { commandArn } from '../domain/arn.js';
import { checkDeclaredParameters, DELETE_GRACE_MS, templateError, templateParameters, } from '../domain/commands.js';
import { forUpdate, rowLimit } from '../store/store.js';
import { clearTimer, setTimer } from '../store/timers.js';
import { COMMAND_DELETION } from '../store/command-timeouts.js';
import { putTags } from './tags.js';
import { date, decodeToken, page, parseJson } from './util.js';
/** The control plane of AWS IoT commands (perimeter.md §6.1-6.2; docs/compatibility.md, Commands). */
export const validation = (message) => new ServiceError('ValidationException', message);
export const conflict = (message, resourceId) => new ServiceError('ConflictException', message, { resourceId });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export async function requireCommand(db, commandId, lock = false) {
    const q = db.selectFrom('commands').selectAll().where('command_id', '=', commandId);
    const row = await (lock ? forUpdate(db, q) : q).executeTakeFirst();
    if (!row)
        throw notFound(`Command ${commandId} not found`);
    return row;
}
/** The checks of CreateCommand that the model's constraints do not express. */
function checkCreate(input) {
    const namespace = input.namespace ?? 'AWS-IoT';
    if (namespace === 'AWS-IoT-FleetWise') {
        if (!input.roleArn)
            throw validation('roleArn is required for the AWS-IoT-FleetWise namespace');
    }
    else if (input.roleArn !== undefined)
        throw validation('roleArn is only allowed with the AWS-IoT-FleetWise namespace');
    if (namespace === 'AWS-IoT') {
        if (input.payload === undefined && input.payloadTemplate === undefined)
            throw validation('An AWS-IoT command needs a payload or a payloadTemplate');
        if (input.payload !== undefined && input.payloadTemplate !== undefined)
            throw validation('A command has a payload or a payloadTemplate, not both');
    }
    if (input.payload?.content !== undefined && (typeof input.payload.content !== 'string' || !BASE64.test(input.payload.content)))
        throw validation('payload.content must be base64');
    const params = input.mandatoryParameters ?? [];
    const err = checkDeclaredParameters(params);
    if (err)
        throw validation(err);
    if (input.preprocessor !== undefined && input.payloadTemplate === undefined)
        throw validation('preprocessor is only used with a payloadTemplate');
    if (input.payloadTemplate !== undefined) {
        if (input.preprocessor?.awsJsonSubstitution?.outputFormat === undefined)
            throw validation('A payloadTemplate needs preprocessor.awsJsonSubstitution.outputFormat');
        const bad = templateError(input.payloadTemplate);
        if (bad)
            throw validation(bad);
        const declared = new Set(params.map((p) => p.name));
        for (const name of templateParameters(input.payloadTemplate))
            if (!declared.has(name))
                throw validation(`The payloadTemplate uses parameter ${name}, which mandatoryParameters does not declare`);
    }
}
export async function CreateCommand(ctx, input) {
    checkCreate(input);
    const arn = commandArn(ctx, input.commandId);
    const now = ctx.clock.now();
    await ctx.store.tx(async (db) => {
        const exists = await db.selectFrom('commands').select('command_id').where('command_id', '=', input.commandId).executeTakeFirst();
        if (exists)
            throw conflict(`Command ${input.commandId} already exists`, input.commandId);
        await db
            .insertInto('commands')
            .values({
            command_id: input.commandId,
            namespace: input.namespace ?? 'AWS-IoT',
            display_name: input.displayName ?? null,
            description: input.description ?? null,
            payload_content: input.payload?.content ?? null,
            payload_content_type: input.payload?.contentType ?? null,
            payload_template: input.payloadTemplate ?? null,
            preprocessor: input.preprocessor ? JSON.stringify(input.preprocessor) : null,
            mandatory_parameters: input.mandatoryParameters ? JSON.stringify(input.mandatoryParameters) : null,
            role_arn: input.roleArn ?? null,
            created_at: now,
            last_updated_at: now,
            deprecated: 0,
            deprecated_at: null,
            pending_deletion: 0,
        })
            .execute();
        for (const p of (input.mandatoryParameters ?? []))
            await db.insertInto('command_parameters').values({ command_id: input.commandId, name: p.name }).execute();
        if (input.tags?.length)
            await putTags(db, arn, input.tags);
    });
    return { commandId: input.commandId, commandArn: arn };
}
export async function GetCommand(ctx, input) {
    const c = await requireCommand(ctx.store.db, input.commandId);
    return {
        commandId: c.command_id,
        commandArn: commandArn(ctx, c.command_id),
        namespace: c.namespace,
        displayName: c.display_name ?? undefined,
        description: c.description ?? undefined,
        mandatoryParameters: parseJson(c.mandatory_parameters),
        payload: c.payload_content === null && c.payload_content_type === null ? undefined : { content: c.payload_content ?? undefined, contentType: c.payload_content_type ?? undefined },
        payloadTemplate: c.payload_template ?? undefined,
        preprocessor: parseJson(c.preprocessor),
        roleArn: c.role_arn ?? undefined,
        createdAt: date(c.created_at),
        lastUpdatedAt: date(c.last_updated_at),
        deprecated: c.deprecated === 1,
        pendingDeletion: c.pending_deletion === 1,
    };
}
const LIST_DEFAULT = 25;
export async function ListCommands(ctx, input) {
    const limit = input.maxResults ?? LIST_DEFAULT;
    const asc = input.sortOrder === 'ASCENDING';
    const after = decodeToken(input.nextToken, ['integer', 'string']);
    let q = ctx.store.db.selectFrom('commands as c').selectAll('c');
    if (input.commandParameterName !== undefined)
        q = q.innerJoin('command_parameters as p', (j) => j.onRef('p.command_id', '=', 'c.command_id').on('p.name', '=', input.commandParameterName));
    if (input.namespace !== undefined)
        q = q.where('c.namespace', '=', input.namespace);
    if (after) {
        const [t, id] = after;
        q = q.where((eb) => eb.or([eb('c.created_at', asc ? '>' : '<', t), eb.and([eb('c.created_at', '=', t), eb('c.command_id', asc ? '>' : '<', id)])]));
    }
    const dir = asc ? 'asc' : 'desc';
    const rows = await q.orderBy('c.created_at', dir).orderBy('c.command_id', dir).limit(rowLimit(limit + 1)).execute();
    const { items, nextToken } = page(rows, limit, (r) => [r.created_at, r.command_id]);
    return {
        commands: items.map((c) => ({
            commandArn: commandArn(ctx, c.command_id),
            commandId: c.command_id,
            displayName: c.display_name ?? undefined,
            deprecated: c.deprecated === 1,
            createdAt: date(c.created_at),
            lastUpdatedAt: date(c.last_updated_at),
            pendingDeletion: c.pending_deletion === 1,
        })),
        nextToken,
    };
}
/**
 * displayName, description and deprecated. A command pending deletion cannot be changed, and a
 * deprecated one only made available again (with or without other changes in the same call):
 * both ConflictException (AWS is silent; docs/compatibility.md).
 */
export async function UpdateCommand(ctx, input) {
    const now = ctx.clock.now();
    return ctx.store.tx(async (db) => {
        const c = await requireCommand(db, input.commandId, true);
        if (c.pending_deletion === 1)
            throw conflict(`Command ${input.commandId} is pending deletion and cannot be changed`, input.commandId);
        const edits = input.displayName !== undefined || input.description !== undefined;
        if (c.deprecated === 1 && edits && input.deprecated !== false)
            throw conflict(`Command ${input.commandId} is deprecated: set deprecated to false to change it`, input.commandId);
        const deprecated = input.deprecated ?? c.deprecated === 1;
        const row = {
            display_name: input.displayName ?? c.display_name,
            description: input.description ?? c.description,
            deprecated: deprecated ? 1 : 0,
            deprecated_at: deprecated ? (c.deprecated === 1 ? c.deprecated_at : now) : null,
            last_updated_at: now,
        };
        await db.updateTable('commands').set(row).where('command_id', '=', c.command_id).execute();
        return { commandId: c.command_id, displayName: row.display_name ?? undefined, description: row.description ?? undefined, deprecated, lastUpdatedAt: date(now) };
    });
}
/**
 * 204 and gone at once when deprecated for 12 hours or more; else 202, pendingDeletion, and a
 * durable timer that deletes it 12 hours after it was deprecated (or after this call). An unknown
 * command is 204 as well: the model lists no ResourceNotFoundException for it.
 */
export async function DeleteCommand(ctx, input) {
    const now = ctx.clock.now();
    const statusCode = await ctx.store.run(async (tx) => {
        const db = tx.db;
        // The engine looks at the new timer after commit.
        tx.wake();
        const c = await db.selectFrom('commands').selectAll().where('command_id', '=', input.commandId).executeTakeFirst();
        if (!c)
            return 204;
        if (c.pending_deletion === 1)
            return 202;
        const due = (c.deprecated === 1 && c.deprecated_at !== null ? c.deprecated_at : now) + DELETE_GRACE_MS;
        if (due <= now) {
            await db.deleteFrom('commands').where('command_id', '=', c.command_id).execute();
            await db.deleteFrom('command_parameters').where('command_id', '=', c.command_id).execute();
            await clearTimer(db, COMMAND_DELETION, c.command_id);
            return 204;
        }
        await db.updateTable('commands').set({ pending_deletion: 1, last_updated_at: now }).where('command_id', '=', c.command_id).execute();
        await setTimer(db, COMMAND_DELETION, c.command_id, null, due);
        return 202;
    });
    return { statusCode };
}
//# sourceMappingURL=commands.js.map