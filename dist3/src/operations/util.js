import { invalidRequest, notFound } from '../errors.js';
import { getJob } from '../store/job-rows.js';
/** Opaque keyset pagination tokens: the last key of the previous page. */
export function encodeToken(key) {
    return Buffer.from(JSON.stringify(key)).toString('base64url');
}
/**
 * The one cursor decoder: a token is only ever a key this server wrote, so anything of another
 * shape (forged, truncated, from another list) is 400 InvalidRequestException before it reaches SQL.
 */
export function decodeToken(token, kinds) {
    if (token === undefined)
        return undefined;
    let key;
    try {
        key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    }
    catch {
        key = undefined;
    }
    const fits = (v, kind) => kind === 'integer' ? Number.isSafeInteger(v) : typeof v === 'string' && v.length <= 1024 && !v.includes('\u0000');
    // Re-encoding must give the token back: the server writes one spelling of each key.
    if (!Array.isArray(key) || token !== encodeToken(key) || key.length !== kinds.length || !kinds.every((k, i) => fits(key[i], k)))
        throw invalidRequest('The nextToken is not valid');
    return key;
}
export const DEFAULT_PAGE = 50;
/** Splits one extra row off a page query into the nextToken. */
export function page(rows, limit, key) {
    if (rows.length <= limit)
        return { items: rows, nextToken: undefined };
    const items = rows.slice(0, limit);
    return { items, nextToken: encodeToken(key(items[items.length - 1])) };
}
export const date = (ms) => (ms === null || ms === undefined ? undefined : new Date(ms));
/** The data plane and MQTT use whole epoch seconds. */
export const seconds = (ms) => ms === null || ms === undefined ? undefined : Math.floor(ms / 1000);
export const parseJson = (text) => (text ? JSON.parse(text) : undefined);
/** The job, or ResourceNotFoundException; with `namespaceId` given, it must match the job's. */
export const requireJob = (db, jobId, namespaceId) => checkJob(getJob(db, jobId), jobId, namespaceId);
/** requireJob for a read-modify-write of the job: the row stays locked until the transaction ends. */
export const requireLockedJob = (tx, jobId, namespaceId) => checkJob(tx.lockJob(jobId), jobId, namespaceId);
async function checkJob(read, jobId, namespaceId) {
    const job = await read;
    if (!job || (namespaceId !== undefined && job.namespace_id !== namespaceId)) {
        throw notFound(namespaceId === undefined ? `Job ${jobId} not found` : `Job ${jobId} not found in namespace ${namespaceId}`);
    }
    return job;
}
/** Attribute maps are equal whatever their key order (a repeated Create* must not depend on it). */
export function sameAttributes(storedJson, attributes) {
    const a = JSON.parse(storedJson);
    const ka = Object.keys(a);
    return ka.length === Object.keys(attributes).length && ka.every((k) => Object.hasOwn(attributes, k) && attributes[k] === a[k]);
}
/** An attributePayload applied to a thing's or group's attributes: merged or replaced; an empty value removes the key. */
export function applyAttributes(current, payload) {
    if (!payload?.attributes)
        return current;
    const next = payload.merge ? { ...current } : {};
    for (const [k, v] of Object.entries(payload.attributes)) {
        if (v === '')
            delete next[k];
        else
            next[k] = v;
    }
    return next;
}
//# sourceMappingURL=util.js.map