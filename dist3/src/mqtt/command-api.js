import { ServiceError } from '../errors.js';
import { commandReplyTopic } from './command-topics.js';
/**
 * The MQTT wire adapter of a device's command status update: `.../response/json` in, one reply
 * out, `{"executionId"}` on `.../response/accepted/json` or `{"error","errorMessage","executionId"}`
 * on `.../response/rejected/json` (the commands clients' V2ErrorResponse, not the jobs API's form).
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
export function commandRejected(topic, executionId, error, errorMessage) {
    return { topic: commandReplyTopic(topic, false), payload: JSON.stringify({ error, errorMessage, executionId }) };
}
export async function handleCommandResponse(dispatch, topic, target, payload, onInternalError) {
    let body;
    try {
        body = JSON.parse(UTF8.decode(payload));
    }
    catch {
        return commandRejected(topic, target.executionId, 'InvalidJson', 'The payload is not a valid UTF-8 JSON object');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
        return commandRejected(topic, target.executionId, 'InvalidJson', 'The payload must be a JSON object');
    const b = body;
    try {
        // Unknown members (the Java client sends deviceType, deviceId, executionId) are ignored.
        const input = { targetKind: target.kind, targetId: target.id, executionId: target.executionId, status: b.status, statusReason: b.statusReason, result: b.result };
        await dispatch('iot-jobs-data', 'UpdateCommandExecution', input);
        return { topic: commandReplyTopic(topic, true), payload: JSON.stringify({ executionId: target.executionId }) };
    }
    catch (err) {
        if (err instanceof ServiceError && err.reason)
            return commandRejected(topic, target.executionId, err.reason, err.message);
        if (err instanceof ServiceError && err.code === 'ThrottlingException')
            return commandRejected(topic, target.executionId, 'RequestThrottled', err.message);
        onInternalError?.(err);
        return commandRejected(topic, target.executionId, 'InternalError', 'An internal error occurred');
    }
}
//# sourceMappingURL=command-api.js.map