import { commandEvents } from '../store/command-executions.js';
import { randomUUID, createHash } from 'node:crypto';
import { encode as encodeCbor } from 'cbor-x';
import { notFound, ServiceError } from '../errors.js';
import { commandArn } from '../domain/arn.js';
import {
  Binary,
  DEFAULT_TIMEOUT_S,
  isFinished,
  MAX_TIMEOUT_S,
  parseFilterTime,
  parseTarget,
  renderJson,
  requestFormat,
  resolveParameters,
  RETENTION_MS,
  substitute,
  Unsigned,
  type CommandExecutionStatus,
  type CommandParameter,
  type ParameterValue,
  type Substituted,
} from '../domain/commands.js';
import { rowLimit } from '../store/store.js';
import type { CommandsTable } from '../store/schema.js';
import { clearTimer, setTimer } from '../store/timers.js';
import { getCommandExecution, type CommandExecutionRow } from '../store/command-executions.js';
import { COMMAND_TIMEOUT } from '../store/command-timeouts.js';
import { commandRequestTopic } from '../mqtt/command-topics.js';
import { conflict, requireCommand, validation } from './commands.js';
import type { Input, OperationContext, Output } from './types.js';
import { date, decodeToken, page, parseJson } from './util.js';

/** Command executions: StartCommandExecution (jobs data plane) and the control plane's Get/List/Delete. */

const COMMAND_ARN = /^arn:aws:iot:([^:]+):(\d{12}):command\/([a-zA-Z0-9_-]{1,64})$/;

function commandIdOf(ctx: OperationContext, arn: string): string {
  const m = COMMAND_ARN.exec(arn);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) throw validation(`${arn} is not a command ARN of this account and region`);
  return m[3]!;
}

function targetOf(ctx: OperationContext, arn: string) {
  const t = parseTarget(arn, ctx.region, ctx.accountId);
  if (!t) throw validation(`${arn} is not a thing or client ARN of this account and region`);
  return t;
}

/** CBOR: bytes as byte strings, UNSIGNEDLONG as an integer (a bignum past 2^64 never occurs). */
function forCbor(v: Substituted): unknown {
  if (v instanceof Binary) return Buffer.from(v.base64, 'base64');
  if (v instanceof Unsigned) return BigInt(v.digits);
  if (Array.isArray(v)) return v.map(forCbor);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, forCbor(x)]));
  return v;
}

/** The bytes and content type the device is sent. */
function requestPayload(c: CommandsTable, values: Record<string, ParameterValue>, timeoutS: number): { payload: Buffer; contentType: string | undefined } {
  if (c.payload_template === null) return { payload: Buffer.from(c.payload_content ?? '', 'base64'), contentType: c.payload_content_type ?? undefined };
  const format = (parseJson<{ awsJsonSubstitution?: { outputFormat?: string } }>(c.preprocessor)?.awsJsonSubstitution?.outputFormat ?? 'JSON').toUpperCase();
  const doc = substitute(c.payload_template, values, timeoutS);
  return format === 'CBOR'
    ? { payload: Buffer.from(encodeCbor(forCbor(doc))), contentType: 'application/cbor' }
    : { payload: Buffer.from(renderJson(doc)), contentType: 'application/json' };
}

/** What makes two StartCommandExecution calls with one clientToken the same request. */
const requestHash = (input: Input) =>
  createHash('sha256')
    .update(JSON.stringify([input.targetArn, input.commandArn, input.parameters ?? null, input.executionTimeoutSeconds ?? null]))
    .digest('base64url');

export async function StartCommandExecution(ctx: OperationContext, input: Input): Promise<Output> {
  const commandId = commandIdOf(ctx, input.commandArn);
  const target = targetOf(ctx, input.targetArn);
  const timeoutS: number = input.executionTimeoutSeconds ?? DEFAULT_TIMEOUT_S;
  if (timeoutS > MAX_TIMEOUT_S) throw validation(`executionTimeoutSeconds must be at most ${MAX_TIMEOUT_S} (12 hours)`);
  const hash = requestHash(input);
  const now = ctx.clock.now();
  const made = await ctx.store.run(async (tx) => {
    const db = tx.db;
    // The engine looks at the new timer after commit.
    tx.wake();
    if (input.clientToken !== undefined) {
      const seen = await db.selectFrom('command_executions').select(['execution_id', 'request_hash']).where('client_token', '=', input.clientToken).executeTakeFirst();
      if (seen) {
        if (seen.request_hash !== hash) throw conflict('The clientToken was used with different parameters', seen.execution_id);
        return { executionId: seen.execution_id };
      }
    }
    const c = await requireCommand(db, commandId);
    if (c.pending_deletion === 1) throw conflict(`Command ${commandId} is pending deletion`, commandId);
    if (c.deprecated === 1) throw conflict(`Command ${commandId} is deprecated`, commandId);
    if (c.namespace !== 'AWS-IoT') throw validation(`iot-jobs runs commands of the AWS-IoT namespace only, not ${c.namespace}`);
    if (target.kind === 'thing') {
      const thing = await db.selectFrom('things').select('thing_name').where('thing_name', '=', target.name).executeTakeFirst();
      if (!thing) throw notFound(`Thing ${target.name} not found`);
    }
    const resolved = resolveParameters(parseJson<CommandParameter[]>(c.mandatory_parameters) ?? [], input.parameters ?? {});
    if ('error' in resolved) throw validation(resolved.error);
    const { payload, contentType } = requestPayload(c, resolved.values, timeoutS);
    const executionId = randomUUID();
    const deadline = now + timeoutS * 1000;
    await db
      .insertInto('command_executions')
      .values({
        execution_id: executionId,
        command_id: commandId,
        namespace: c.namespace,
        target_arn: input.targetArn,
        status: 'CREATED',
        timed_out_by_service: 0,
        reason_code: null,
        reason_description: null,
        result: null,
        parameters: Object.keys(resolved.values).length ? JSON.stringify(resolved.values) : null,
        execution_timeout_seconds: timeoutS,
        client_token: input.clientToken ?? null,
        request_hash: hash,
        created_at: now,
        last_updated_at: now,
        started_at: now,
        completed_at: null,
        time_to_live: now + RETENTION_MS,
        version: 1,
      })
      .execute();
    await setTimer(db, COMMAND_TIMEOUT, executionId, null, deadline);
    // The CREATED event, as every status change's (AWS's command events include CREATED).
    await commandEvents(tx, [{ execution_id: executionId, command_id: commandId, target_arn: input.targetArn, status: 'CREATED', reason_code: null, reason_description: null, version: 1 }], now);
    const topic = commandRequestTopic(target.kind, target.name, executionId, requestFormat(contentType));
    // The request goes to the device after COMMIT (store.run publishes what the transaction owes).
    tx.commandRequested({ clientId: target.name, topic, payload, contentType, deadline });
    return { executionId };
  });
  return { executionId: made.executionId };
}

async function requireExecution(ctx: OperationContext, executionId: string, targetArn: string): Promise<CommandExecutionRow> {
  const row = await getCommandExecution(ctx.store.db, executionId);
  if (!row || row.target_arn !== targetArn) throw notFound(`Command execution ${executionId} not found for ${targetArn}`);
  return row;
}

/** The stored result ({name: {S|B|BIN}}) as the HTTP API gives it. */
export function executionOutput(ctx: OperationContext, e: CommandExecutionRow, includeResult: boolean): NonNullable<Output> {
  return {
    executionId: e.execution_id,
    commandArn: commandArn(ctx, e.command_id),
    targetArn: e.target_arn,
    status: e.status,
    statusReason: e.reason_code === null ? undefined : { reasonCode: e.reason_code, reasonDescription: e.reason_description ?? undefined },
    result: includeResult ? parseJson(e.result) : undefined,
    parameters: parseJson(e.parameters),
    executionTimeoutSeconds: e.execution_timeout_seconds,
    createdAt: date(e.created_at),
    lastUpdatedAt: date(e.last_updated_at),
    startedAt: date(e.started_at),
    completedAt: date(e.completed_at),
    timeToLive: date(e.time_to_live),
  };
}

export async function GetCommandExecution(ctx: OperationContext, input: Input): Promise<Output> {
  targetOf(ctx, input.targetArn);
  return executionOutput(ctx, await requireExecution(ctx, input.executionId, input.targetArn), input.includeResult === true);
}

interface TimeFilter {
  after?: string;
  before?: string;
}

function filterRange(f: TimeFilter | undefined, name: string): { after?: number; before?: number } {
  if (!f) return {};
  const parse = (s: string | undefined, which: string) => {
    if (s === undefined) return undefined;
    const t = parseFilterTime(s);
    if (t === undefined) throw validation(`${name}.${which} must have the form yyyy-MM-dd'T'HH:mm, not ${s}`);
    return t;
  };
  const r: { after?: number; before?: number } = {};
  const a = parse(f.after, 'after');
  const b = parse(f.before, 'before');
  if (a !== undefined) r.after = a;
  if (b !== undefined) r.before = b;
  return r;
}

/**
 * Ordered by startedAt (the creation time), or by completedAt when completedTimeFilter is given
 * (then only completed executions), descending unless sortOrder; keyset-paged on that time and
 * the execution id, along an index for each of no filter, commandArn and targetArn.
 */
export async function ListCommandExecutions(ctx: OperationContext, input: Input): Promise<Output> {
  if (input.startedTimeFilter && input.completedTimeFilter) throw validation('Give startedTimeFilter or completedTimeFilter, not both');
  if (input.commandArn !== undefined && input.targetArn !== undefined) throw validation('Give commandArn or targetArn, not both');
  const byCompletion = input.completedTimeFilter !== undefined;
  const col = byCompletion ? 'completed_at' : 'started_at';
  const range = filterRange(byCompletion ? input.completedTimeFilter : input.startedTimeFilter, byCompletion ? 'completedTimeFilter' : 'startedTimeFilter');
  const limit: number = input.maxResults ?? 25;
  const asc = input.sortOrder === 'ASCENDING';
  const after = decodeToken(input.nextToken, ['integer', 'string'] as const);
  let q = ctx.store.db.selectFrom('command_executions').selectAll();
  if (input.commandArn !== undefined) q = q.where('command_id', '=', commandIdOf(ctx, input.commandArn));
  if (input.targetArn !== undefined) q = q.where('target_arn', '=', input.targetArn);
  if (input.namespace !== undefined) q = q.where('namespace', '=', input.namespace);
  if (input.status !== undefined) q = q.where('status', '=', input.status);
  if (byCompletion) q = q.where('completed_at', 'is not', null);
  if (range.after !== undefined) q = q.where(col, '>=', range.after);
  if (range.before !== undefined) q = q.where(col, '<', range.before);
  if (after) {
    const [t, id] = after;
    q = q.where((eb) => eb.or([eb(col, asc ? '>' : '<', t), eb.and([eb(col, '=', t), eb('execution_id', asc ? '>' : '<', id)])]));
  }
  const dir = asc ? 'asc' : 'desc';
  const rows = await q.orderBy(col, dir).orderBy('execution_id', dir).limit(rowLimit(limit + 1)).execute();
  const { items, nextToken } = page(rows, limit, (r) => [r[col] as number, r.execution_id]);
  return {
    commandExecutions: items.map((e) => ({
      commandArn: commandArn(ctx, e.command_id),
      executionId: e.execution_id,
      targetArn: e.target_arn,
      status: e.status,
      createdAt: date(e.created_at),
      startedAt: date(e.started_at),
      completedAt: date(e.completed_at),
    })),
    nextToken,
  };
}

/**
 * Only a finished execution (terminal, or timed out by the service) may be deleted; one still
 * CREATED or IN_PROGRESS is ConflictException. An unknown one is a success: the model lists no
 * ResourceNotFoundException (docs/compatibility.md).
 */
export async function DeleteCommandExecution(ctx: OperationContext, input: Input): Promise<Output> {
  targetOf(ctx, input.targetArn);
  await ctx.store.tx(async (db) => {
    const e = await getCommandExecution(db, input.executionId);
    if (!e || e.target_arn !== input.targetArn) return;
    if (!isFinished({ status: e.status as CommandExecutionStatus, timedOutByService: e.timed_out_by_service === 1 }))
      throw new ServiceError('ConflictException', `Command execution ${e.execution_id} is ${e.status}: only a finished execution can be deleted`, { resourceId: e.execution_id });
    const gone = await db.deleteFrom('command_executions').where('execution_id', '=', e.execution_id).where('version', '=', e.version).executeTakeFirst();
    if (gone.numDeletedRows === 0n) throw new ServiceError('ConflictException', `Command execution ${e.execution_id} changed meanwhile`, { resourceId: e.execution_id });
    await clearTimer(db, COMMAND_TIMEOUT, e.execution_id);
  });
  return {};
}
