import { ServiceError } from '../errors.js';
import { serializeOutput, validateInput } from '../codec/codec.js';
import { parseJsonExact } from '../codec/exact-numbers.js';
import { replyTopic } from './topics.js';
/** Payload members each API reads, as in the AWS MQTT API docs. */
const MEMBERS = {
    GetPendingJobExecutions: [],
    StartNextPendingJobExecution: ['statusDetails', 'stepTimeoutInMinutes'],
    DescribeJobExecution: ['executionNumber', 'includeJobDocument'],
    UpdateJobExecution: ['status', 'statusDetails', 'expectedVersion', 'executionNumber', 'includeJobExecutionState', 'includeJobDocument', 'stepTimeoutInMinutes'],
};
/** The HTTP exception names, as MQTT rejected codes. */
const CODES = {
    InvalidRequestException: 'InvalidRequest',
    ResourceNotFoundException: 'ResourceNotFound',
    InvalidStateTransitionException: 'InvalidStateTransition',
    TerminalStateException: 'TerminalStateReached',
    ThrottlingException: 'RequestThrottled',
    CertificateValidationException: 'InvalidRequest',
};
export function rejected(topic, code, message, clientToken, timestamp, extra) {
    const body = { code, message };
    if (typeof clientToken === 'string')
        body.clientToken = clientToken;
    body.timestamp = timestamp;
    if (extra?.executionState)
        body.executionState = extra.executionState;
    return { topic: replyTopic(topic, false), payload: JSON.stringify(body) };
}
// One document is usually sent to many devices in a row; its parsed form is only stringified again.
let lastDocument;
/** MQTT carries the job document as a JSON object, HTTP as a string. */
export function documentAsObject(text) {
    if (typeof text !== 'string')
        return text;
    if (lastDocument?.text === text)
        return lastDocument.value;
    let value;
    try {
        value = JSON.parse(text);
    }
    catch {
        value = text;
    }
    lastDocument = { text, value };
    return value;
}
const UTF8 = new TextDecoder('utf-8', { fatal: true });
function parsePayload(payload) {
    if (payload.length === 0)
        return {};
    try {
        const doc = parseJsonExact(UTF8.decode(payload));
        return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : undefined;
    }
    catch {
        return undefined;
    }
}
/** The clientToken of a raw request payload, if it has one (for replies made without parsing it further). */
export const clientTokenOf = (payload) => parsePayload(payload)?.clientToken;
export async function handleRequest(dispatch, topic, request, payload, nowMs, onInternalError) {
    const timestamp = Math.floor(nowMs / 1000);
    if (request === 'invalid')
        return rejected(topic, 'InvalidTopic', `The topic ${topic} does not name a jobs API`, undefined, timestamp);
    const body = parsePayload(payload);
    if (!body)
        return rejected(topic, 'InvalidJson', 'The payload is not a valid UTF-8 JSON object', undefined, timestamp);
    const clientToken = body.clientToken;
    try {
        if (clientToken !== undefined && (typeof clientToken !== 'string' || clientToken.length < 1 || clientToken.length > 64))
            throw new ServiceError('InvalidRequestException', 'clientToken must be a string of 1 to 64 characters');
        const raw = { thingName: request.thingName };
        if (request.jobId !== undefined)
            raw.jobId = request.jobId;
        for (const m of MEMBERS[request.api])
            if (body[m] !== undefined && body[m] !== null)
                raw[m] = body[m];
        const input = validateInput('iot-jobs-data', request.api, raw);
        if (request.namespaceId !== undefined)
            input.namespaceId = request.namespaceId;
        const out = serializeOutput('iot-jobs-data', request.api, await dispatch('iot-jobs-data', request.api, input));
        const execution = out.execution;
        if (execution?.jobDocument !== undefined)
            execution.jobDocument = documentAsObject(execution.jobDocument);
        if (out.jobDocument !== undefined)
            out.jobDocument = documentAsObject(out.jobDocument);
        const reply = { ...out, timestamp };
        if (typeof clientToken === 'string')
            reply.clientToken = clientToken;
        return { topic: replyTopic(topic, true), payload: JSON.stringify(reply) };
    }
    catch (err) {
        if (err instanceof ServiceError) {
            const code = err.reason ?? CODES[err.code] ?? 'InternalError';
            if (code === 'InternalError')
                onInternalError?.(err);
            return rejected(topic, code, code === 'InternalError' ? 'An internal error occurred' : err.message, clientToken, timestamp, err.extra);
        }
        onInternalError?.(err);
        return rejected(topic, 'InternalError', 'An internal error occurred', clientToken, timestamp);
    }
}
//# sourceMappingURL=device-api.js.map