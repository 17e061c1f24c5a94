import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { models } from '../../src/model/index.js';
import { toRegExp } from '../../src/codec/codec.js';
import { Sha256 } from '../../src/auth/sigv4.js';
import { CREDENTIALS, REGION } from './harness.js';
/** A small seeded PRNG (mulberry32), so that a failing run can be replayed. */
export function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const DEPTH = 10_000;
/** A JSON text nested DEPTH levels deep, spliced in as raw text. */
const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;
/** Forged nextTokens: base64 of JSON our server never writes, and tokens that are not base64 JSON. */
const b64 = (s) => Buffer.from(s).toString('base64url');
export const FORGED_TOKENS = [
    '[true]', '[{}]', '[[1,2],"a"]', '[1e308,"x"]', '[null]', '[]', '{}', '"x"', '1', '[1,2,3,4,5,6,7]', '["a\\u0000b"]',
    '["\\ud800"]', '[99999999999999999999999,"x"]', '[-1e308]', '["x",1.5]', '["x","y"]', '[1]', '[1.5,"x"]', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`,
].map(b64).concat(['%%%', '____', 'bm90IGpzb24', '']);
/** Raw JSON numbers no integer or long member can hold (and 1.5, which is not whole). */
const BAD_WHOLE = ['9223372036854775808', '99999999999999999999999', '1e308', '-1e308', '-10000000000000000000', '1.5', '1e400'];
const BAD_INTEGER = [...BAD_WHOLE, '2147483648', '-2147483649'];
/** The same for numbers in a path or a query string. */
const BAD_WHOLE_TEXT = ['99999999999999999999999', '9223372036854775808', '-10000000000000000000', '1e400', '1.5', '0x10', ''];
/** A valid JSON value for a shape, using the fixtures where a member names a resource. */
function valid(shapes, shapeName, member, fx, depth = 0) {
    const s = shapes[shapeName];
    switch (s.type) {
        case 'structure': {
            const o = {};
            if (depth > 4)
                return o;
            for (const r of s.required ?? [])
                o[r] = valid(shapes, s.members[r].shape, r, fx, depth + 1);
            return o;
        }
        case 'list':
            return (s.min ?? 0) > 0 || member === 'targets' ? [valid(shapes, s.member.shape, member, fx, depth + 1)] : [];
        case 'map':
            return (s.min ?? 0) > 0 ? { k1: valid(shapes, s.value.shape, 'value', fx, depth + 1) } : {};
        case 'string':
            return validString(s, member, fx);
        case 'integer':
        case 'long':
        case 'double':
        case 'float':
            return Math.max(s.min ?? 1, 1);
        case 'boolean':
            return false;
        case 'timestamp':
            return 1_700_000_000;
        default:
            return undefined;
    }
}
function validString(s, member, fx) {
    if (s.enum)
        return s.enum[0];
    const byName = {
        thingName: fx.thingName, thingGroupName: fx.thingGroupName, jobId: fx.jobId, thingArn: fx.thingArn, thingGroupArn: fx.thingGroupArn,
        resourceArn: fx.jobArn, targets: fx.thingArn, document: '{}', Key: 'k1', Value: 'v1',
    };
    const candidates = [byName[member], 'bi-x1', 'x1', '1', 'a', fx.thingArn].filter((c) => c !== undefined);
    const re = s.pattern ? toRegExp(s.pattern) : undefined;
    return candidates.find((c) => (!re || re.test(c)) && c.length >= (s.min ?? 0) && c.length <= (s.max ?? Infinity)) ?? candidates[0];
}
/** The bad values a leaf of this shape can take for a kind, as raw JSON text; none if the kind does not apply. */
function badLeaves(s, kind) {
    switch (kind) {
        case 'deep':
            // A structure ignores unknown members, so an object of them would be valid there.
            return s.type === 'structure' ? [deepArray] : [deepArray, deepObject];
        case 'bignum':
            return s.type === 'integer' ? BAD_INTEGER : s.type === 'long' ? BAD_WHOLE : [];
        case 'nul':
            return s.type === 'string' ? ['"a\\u0000b"', '"\\u0000"'] : [];
        case 'surrogate':
            return s.type === 'string' ? ['"a\\ud800b"', '"\\udfff"', '"x\\ud83d"'] : [];
        case 'wrongtype':
            if (s.type === 'string')
                return ['1', 'true', '[]', '{}'];
            if (s.type === 'structure' || s.type === 'map')
                return ['"x"', '1', '[]'];
            if (s.type === 'list')
                return ['"x"', '{}', '1'];
            if (s.type === 'boolean')
                return ['"true"', '1'];
            if (s.type === 'integer' || s.type === 'long' || s.type === 'double' || s.type === 'float' || s.type === 'timestamp')
                return ['"1"', 'true', '{}'];
            // A blob or a document may hold anything: nothing planted there is sure to be refused.
            return [];
        default:
            return [];
    }
}
const MARK = '"\u0001BAD\u0001"';
/**
 * A valid value for a shape with one leaf, somewhere inside it, replaced by a bad value of the
 * kind, as JSON text; undefined if no leaf of the shape takes the kind.
 */
function planted(shapes, shapeName, member, kind, fx, r, depth = 0) {
    const s = shapes[shapeName];
    const here = badLeaves(s, kind);
    const inner = () => {
        if (depth > 4)
            return undefined;
        if (s.type === 'structure') {
            const names = Object.keys(s.members ?? {});
            for (let tries = 0; tries < names.length; tries++) {
                const n = names[Math.floor(r() * names.length)];
                const sub = planted(shapes, s.members[n].shape, n, kind, fx, r, depth + 1);
                if (sub === undefined)
                    continue;
                const o = valid(shapes, shapeName, member, fx, depth);
                o[n] = MARK;
                return JSON.stringify(o).replace(JSON.stringify(MARK), sub);
            }
            return undefined;
        }
        if (s.type === 'list') {
            const sub = planted(shapes, s.member.shape, member, kind, fx, r, depth + 1);
            return sub === undefined ? undefined : `[${sub}]`;
        }
        if (s.type === 'map') {
            if (kind === 'nul' || kind === 'surrogate') {
                if (r() < 0.5)
                    return `{${badLeaves(shapes[s.key.shape], kind)[0]}:${JSON.stringify(valid(shapes, s.value.shape, 'value', fx))}}`;
            }
            const sub = planted(shapes, s.value.shape, 'value', kind, fx, r, depth + 1);
            return sub === undefined ? undefined : `{"k1":${sub}}`;
        }
        return undefined;
    };
    // Containers: plant inside most of the time, so that nested leaves (tag values, map entries) are reached.
    if (here.length && (s.type === 'string' || s.type === 'integer' || s.type === 'long' || s.type === 'boolean' || s.type === 'double' || s.type === 'float' || s.type === 'timestamp' || r() < 0.3))
        return here[Math.floor(r() * here.length)];
    return inner() ?? (here.length ? here[Math.floor(r() * here.length)] : undefined);
}
export function operations() {
    const out = [];
    for (const service of Object.keys(models)) {
        const m = models[service];
        for (const [operation, op] of Object.entries(m.operations)) {
            const input = op.input ? m.shapes[op.input.shape] : undefined;
            out.push({
                service,
                operation,
                method: op.http.method,
                template: op.http.requestUri.split('?')[0],
                members: Object.entries(input?.members ?? {}).map(([name, ref]) => ({ name, wire: ref.locationName ?? name, location: ref.location, shape: ref.shape })),
                required: new Set(input?.required ?? []),
            });
        }
    }
    return out;
}
const enc = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** One request of an operation with one bad value of the kind; undefined if the operation has no place for it. */
export function generate(op, kind, fx, r) {
    const shapes = models[op.service].shapes;
    const pick = (xs) => xs[Math.floor(r() * xs.length)];
    const labels = {};
    const query = [];
    const body = {};
    const textValue = (name, shapeName) => {
        const v = valid(shapes, shapeName, name, fx);
        return typeof v === 'string' ? v : JSON.stringify(v);
    };
    for (const m of op.members) {
        if (!op.required.has(m.name))
            continue;
        if (m.location === 'uri')
            labels[m.wire] = enc(textValue(m.name, m.shape));
        else if (m.location === 'querystring')
            query.push(`${enc(m.wire)}=${enc(textValue(m.name, m.shape))}`);
        else if (m.location === undefined)
            body[m.wire] = JSON.stringify(valid(shapes, m.shape, m.name, fx));
    }
    // Labels that are not required still need a value to route.
    for (const l of op.template.matchAll(/\{([^}+]+)\+?\}/g)) {
        const m = op.members.find((x) => x.wire === l[1]);
        labels[l[1]] ??= enc(m ? textValue(m.name, m.shape) : 'x1');
    }
    let planted_ = false;
    let rawBody;
    if (kind === 'framing') {
        const bodyMembers = op.members.filter((m) => m.location === undefined);
        if (bodyMembers.length && r() < 0.7)
            rawBody = pick(['{', '[1,2]', '"x"', '1', 'null', '{"a":1,}', '\u0000', '{"x":"\\ud800"', 'BYTES']);
        else {
            const l = Object.keys(labels);
            if (!l.length)
                return undefined;
            labels[pick(l)] = pick(['%ZZ', '%', '%ED%A0%80', '%C0%80', '%FF']);
        }
        planted_ = true;
    }
    else if (kind === 'token') {
        const t = op.members.find((m) => m.name === 'nextToken' && m.location === 'querystring');
        if (!t)
            return undefined;
        query.push(`${t.wire}=${enc(pick(FORGED_TOKENS))}`);
        planted_ = true;
    }
    else {
        const candidates = op.members.filter((m) => m.location !== 'header' && m.location !== 'headers');
        for (let tries = 0; tries < 2 * candidates.length && !planted_; tries++) {
            const m = pick(candidates);
            const s = shapes[m.shape];
            if (m.location === 'uri' || m.location === 'querystring') {
                let bad;
                if (kind === 'bignum' && (s.type === 'long' || s.type === 'integer'))
                    bad = enc(pick(BAD_WHOLE_TEXT));
                else if (kind === 'nul' && s.type === 'string')
                    bad = pick(['a%00b', '%00']);
                else if (kind === 'surrogate' && s.type === 'string' && m.location === 'uri')
                    bad = pick(['a%ED%A0%80', '%ED%BF%BF']);
                else if (kind === 'wrongtype' && (s.type === 'long' || s.type === 'integer' || s.type === 'boolean'))
                    bad = pick(['abc', 'maybe', '1e3']);
                if (bad === undefined || (m.location === 'uri' && bad === ''))
                    continue;
                if (m.location === 'uri')
                    labels[m.wire] = bad;
                else {
                    for (let i = query.length - 1; i >= 0; i--)
                        if (query[i].startsWith(`${enc(m.wire)}=`))
                            query.splice(i, 1);
                    query.push(`${enc(m.wire)}=${bad}`);
                }
                planted_ = true;
            }
            else if (m.location === undefined) {
                const text = planted(shapes, m.shape, m.name, kind, fx, r);
                if (text === undefined)
                    continue;
                body[m.wire] = text;
                planted_ = true;
            }
        }
    }
    if (!planted_)
        return undefined;
    const path = op.template.replace(/\{([^}+]+)\+?\}/g, (_, l) => labels[l]);
    const hasBody = op.members.some((m) => m.location === undefined);
    const bodyText = rawBody === 'BYTES' ? Buffer.from([0xff, 0xfe, 0x7b, 0x7d]) : rawBody !== undefined ? Buffer.from(rawBody) : (hasBody || Object.keys(body).length ? `{${Object.entries(body).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}` : undefined);
    const bytes = typeof bodyText === 'string' ? Buffer.from(bodyText) : bodyText;
    return { kind, service: op.service, operation: op.operation, method: op.method, path, query: query.join('&'), body: bytes };
}
export const KINDS = ['deep', 'token', 'bignum', 'nul', 'surrogate', 'wrongtype', 'framing'];
/** `count` requests spread over every operation and kind, in a seeded order. */
export function generateAll(count, seed, fx) {
    const r = rng(seed);
    const ops = operations();
    const out = [];
    // The (operation, kind) pairs that have a place for the kind, each tried a few times.
    const pairs = ops.flatMap((op) => KINDS.map((kind) => ({ op, kind }))).filter(({ op, kind }) => Array.from({ length: 20 }, () => generate(op, kind, fx, r)).some(Boolean));
    for (let i = 0; out.length < count; i++) {
        const { op, kind } = pairs[i % pairs.length];
        const req = generate(op, kind, fx, r);
        if (req)
            out.push(req);
    }
    return out;
}
const SERVICE_SCOPE = { iot: 'iot', 'iot-jobs-data': 'iot-jobs-data' };
/** Signs and sends one request as an SDK would (SigV4 over the exact bytes), over a keep-alive agent. */
export async function send(base, req, agent) {
    const u = new URL(base);
    const body = req.body;
    const query = {};
    for (const part of req.query ? req.query.split('&') : []) {
        const i = part.indexOf('=');
        const k = safeDecode(i < 0 ? part : part.slice(0, i));
        const v = i < 0 ? '' : safeDecode(part.slice(i + 1));
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const headers = { host: u.host };
    if (body)
        headers['content-type'] = 'application/json';
    const signer = new SignatureV4({ service: SERVICE_SCOPE[req.service], region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({ method: req.method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: req.path, query, headers, body }));
    return new Promise((resolve) => {
        const r = request({ host: u.hostname, port: u.port, method: req.method, path: req.query ? `${req.path}?${req.query}` : req.path, headers: { ...signed.headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, error: undefined, body: Buffer.concat(chunks).toString('utf8'), errorType: res.headers['x-amzn-errortype'] }));
            res.on('error', (e) => resolve({ status: undefined, error: e.message, body: '' }));
        });
        r.on('error', (e) => resolve({ status: undefined, error: e.message, body: '' }));
        r.end(body);
    });
}
function safeDecode(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
    }
    catch {
        return s;
    }
}
/** A JSON object text for a structure shape (a request payload), valid but for one planted value of the kind. */
export function plantedBody(shapes, shapeName, kind, fx, r) {
    const s = shapes[shapeName];
    // Labels (thingName, jobId) come from the topic over MQTT: plant only in body members.
    const body = Object.entries(s.members ?? {}).filter(([, m]) => m.location === undefined);
    for (let tries = 0; tries < 2 * body.length; tries++) {
        const [n, m] = body[Math.floor(r() * body.length)];
        const text = planted(shapes, m.shape, n, kind, fx, r);
        if (text !== undefined)
            return `{${JSON.stringify(n)}:${text}}`;
    }
    return undefined;
}
//# sourceMappingURL=bad-input.js.map