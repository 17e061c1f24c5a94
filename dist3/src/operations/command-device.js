import { ServiceError } from '../errors.js';
import { clientArn, thingArn } from '../domain/arn.js';
import { checkReport } from '../domain/commands.js';
import { forUpdate } from '../store/store.js';
import { setCommandExecutionStatus } from '../store/command-executions.js';
import { clearTimer } from '../store/timers.js';
import { COMMAND_TIMEOUT } from '../store/command-timeouts.js';
/**
 * A device's status update of a command execution (MQTT only: AWS has no HTTP form of it).
 * Input: targetKind, targetId, executionId from the topic; status, statusReason, result from the
 * payload. Errors carry the MQTT rejected code as their `reason`.
 */
const rejectedWith = (reason, message, code = 'InvalidRequestException') => {
    const err = new ServiceError(code, message);
    err.reason = reason;
    return err;
};
const RESULT_NAME = /^[a-zA-Z0-9_-]{1,32}$/;
const REASON_CODE = /^[A-Z0-9_-]{1,64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The device's result ({name: {s|b|bin}}, the device SDKs' lower case; upper case accepted) in the model's S/B/BIN form. */
function modelResult(result) {
    if (result === undefined || result === null)
        return undefined;
    if (typeof result !== 'object' || Array.isArray(result))
        throw rejectedWith('InvalidRequest', 'result must be an object');
    const out = {};
    // defineProperty: a result named __proto__ stays an ordinary member.
    const put = (name, v) => Object.defineProperty(out, name, { value: v, enumerable: true, writable: true, configurable: true });
    for (const [name, value] of Object.entries(result)) {
        if (!RESULT_NAME.test(name))
            throw rejectedWith('InvalidRequest', `result name ${name} must be 1 to 32 characters of [a-zA-Z0-9_-]`);
        const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
        if (entries.length !== 1)
            throw rejectedWith('InvalidRequest', `result ${name} must have exactly one of s, b, bin`);
        const [key, v] = entries[0];
        const k = key.toUpperCase();
        if (k === 'S' && typeof v === 'string' && v.length > 0)
            put(name, { S: v });
        else if (k === 'B' && typeof v === 'boolean')
            put(name, { B: v });
        else if (k === 'BIN' && typeof v === 'string' && v.length > 0 && BASE64.test(v))
            put(name, { BIN: v });
        else
            throw rejectedWith('InvalidRequest', `result ${name}: ${key} is not a valid s (string), b (boolean) or bin (base64)`);
    }
    return out;
}
function statusReason(r) {
    if (r === undefined || r === null)
        return {};
    if (typeof r !== 'object')
        throw rejectedWith('InvalidRequest', 'statusReason must be an object');
    const { reasonCode, reasonDescription } = r;
    if (typeof reasonCode !== 'string' || !REASON_CODE.test(reasonCode))
        throw rejectedWith('InvalidRequest', 'statusReason.reasonCode must be 1 to 64 characters of [A-Z0-9_-]');
    if (reasonDescription !== undefined && (typeof reasonDescription !== 'string' || reasonDescription.length > 1024))
        throw rejectedWith('InvalidRequest', 'statusReason.reasonDescription must be a string of at most 1024 characters');
    return { reasonCode, reasonDescription: reasonDescription };
}
export async function UpdateCommandExecution(ctx, input) {
    const targetArn = input.targetKind === 'client' ? clientArn(ctx, input.targetId) : thingArn(ctx, input.targetId);
    const status = input.status;
    if (typeof status !== 'string')
        throw rejectedWith('InvalidRequest', 'status is required');
    const reason = statusReason(input.statusReason);
    const result = modelResult(input.result);
    const now = ctx.clock.now();
    await ctx.store.run(async (tx) => {
        const db = tx.db;
        const row = await forUpdate(db, db.selectFrom('command_executions').selectAll().where('execution_id', '=', input.executionId)).executeTakeFirst();
        if (!row || row.target_arn !== targetArn)
            throw rejectedWith('ResourceNotFound', `Command execution ${input.executionId} not found`, 'ResourceNotFoundException');
        const current = { status: row.status, timedOutByService: row.timed_out_by_service === 1 };
        const refused = checkReport(current, status);
        if (refused)
            throw rejectedWith(refused.code, refused.message);
        const changed = await setCommandExecutionStatus(tx, [row.execution_id], { statuses: [current.status], version: row.version }, { status: status, by: 'device', ...reason, result }, now);
        // Another update of the same execution committed between the read and the write.
        if (changed.length === 0)
            throw rejectedWith('DataConflict', 'The execution was updated concurrently; read it and try again', 'ConflictException');
        if (status !== 'IN_PROGRESS')
            await clearTimer(db, COMMAND_TIMEOUT, row.execution_id);
    });
    return { executionId: input.executionId };
}
//# sourceMappingURL=command-device.js.map