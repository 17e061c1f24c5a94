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
    const headers = { host: u.host, ...req.headers };
    if (body)
        headers['content-type'] = 'application/json';
    const signer = new SignatureV4({ service: SERVICE_SCOPE[req.service], region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
    const signed = await signer.sign(new HttpRequest({ method: req.method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: req.path, query, headers, body }));
    return new Promise((resolve) => {
        const r = request({ host: u.hostname, port: u.port, method: req.method, path: req.query ? `${req.path}?${req.query}` : req.path, headers: { ...signed.headers, ...(body ? { 'content-length': String(body.length) } : {}) }, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                const type = res.headers['x-amzn-errortype'];
                resolve({ status: res.statusCode, error: undefined, body: Buffer.concat(chunks).toString('utf8'), errorType: type });
            });
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
/** Every numeric leaf under a shape, as the steps that reach it (recursive shapes cut at depth 6). */
function numericLeaves(shapes, shapeName, depth = 0) {
    const s = shapes[shapeName];
    if (s.type === 'integer' || s.type === 'long' || s.type === 'double' || s.type === 'float')
        return [[]];
    if (depth > 6)
        return [];
    if (s.type === 'structure')
        return Object.entries(s.members ?? {}).flatMap(([n, m]) => numericLeaves(shapes, m.shape, depth + 1).map((p) => [{ member: n, shape: m.shape }, ...p]));
    if (s.type === 'list')
        return numericLeaves(shapes, s.member.shape, depth + 1).map((p) => [{ item: s.member.shape }, ...p]);
    if (s.type === 'map')
        return numericLeaves(shapes, s.value.shape, depth + 1).map((p) => [{ item: s.value.shape }, ...p]);
    return [];
}
/** A valid value of a shape with MARK at the end of `steps`. */
function withMark(shapes, shapeName, member, steps, fx) {
    if (!steps.length)
        return MARK;
    const [step, ...rest] = steps;
    const s = shapes[shapeName];
    if ('member' in step) {
        const o = valid(shapes, shapeName, member, fx);
        o[step.member] = withMark(shapes, step.shape, step.member, rest, fx);
        return o;
    }
    const inner = withMark(shapes, step.item, member, rest, fx);
    return s.type === 'list' ? [inner] : { k1: inner };
}
const P63 = 2n ** 63n;
const P53 = 2n ** 53n;
const P31 = 2n ** 31n;
/** Texts of whole numbers at the type edges, each with its value. */
const WHOLE_EDGES = [
    ...[-P63 - 1n, -P63, -P63 + 1n, P63 - 1n, P63, P63 + 1n, -P53 - 1n, P53 + 1n, -P31 - 1n, -P31, P31 - 1n, P31].map(String),
    '-0', `${'0'.repeat(30)}7`, `-${'0'.repeat(30)}7`, '9'.repeat(30), `-${'9'.repeat(30)}`, `1${'0'.repeat(400)}`,
];
/** Only in JSON: exponents and fractions that land on or past the long edges. */
const JSON_EDGES = ['9.223372036854775807e18', '9.223372036854775808e18', '-9.223372036854775808e18', '-9.223372036854775809e18', '1e19', '-1e19', '2.147483648e9', '1e400', '1.7976931348623157e308'];
/** A number JSON allows (leading zeros are for paths and queries only: in a body they are a syntax error). */
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** The exact value a decimal text denotes (undefined if not a number or too long to matter). */
function exact(text) {
    const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
    const frac = m[3] ?? '';
    const exp = Number(m[4] ?? 0) - frac.length;
    const digits = BigInt(`${m[2]}${frac}`);
    let whole;
    if (exp >= 0 && exp < 500)
        whole = digits * 10n ** BigInt(exp);
    else if (exp < 0 && digits % 10n ** BigInt(-exp) === 0n)
        whole = digits / 10n ** BigInt(-exp);
    return { whole: whole === undefined ? undefined : m[1] ? -whole : whole, n: Number(text) };
}
/** Whether the codec must refuse `text` for a numeric shape (its type, then its model range). */
function mustRefuse(s, text) {
    const { whole, n } = exact(text);
    if (s.type === 'integer' || s.type === 'long') {
        const edge = s.type === 'integer' ? P31 : P63;
        if (whole === undefined || whole < -edge || whole >= edge)
            return true;
        return (s.min !== undefined && whole < BigInt(s.min)) || (s.max !== undefined && whole > BigInt(s.max));
    }
    if (!Number.isFinite(n))
        return true;
    return (s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max);
}
/** The model range's edges for a shape, as texts. */
function rangeEdges(s) {
    const whole = s.type === 'integer' || s.type === 'long';
    const out = [];
    for (const b of [s.min, s.max])
        if (b !== undefined)
            out.push(b - 1, b, b + 1);
    // A double's range also gets the edges a whole step would jump over.
    if (!whole)
        for (const b of [s.min, s.max])
            if (b !== undefined)
                out.push(b - 0.01, b + 0.01);
    return out.map((x) => (whole ? String(x) : String(Math.round(x * 1000) / 1000)));
}
export function generateEdges(fx) {
    const out = [];
    for (const op of operations()) {
        const shapes = models[op.service].shapes;
        // The otherwise-valid request, as generate() builds it.
        const labels = {};
        const query = [];
        const body = {};
        const text = (name, shapeName) => {
            const v = valid(shapes, shapeName, name, fx);
            return typeof v === 'string' ? v : JSON.stringify(v);
        };
        for (const m of op.members) {
            if (!op.required.has(m.name))
                continue;
            if (m.location === 'uri')
                labels[m.wire] = enc(text(m.name, m.shape));
            else if (m.location === 'querystring')
                query.push([m.wire, text(m.name, m.shape)]);
            else if (m.location === undefined)
                body[m.wire] = JSON.stringify(valid(shapes, m.shape, m.name, fx));
        }
        for (const l of op.template.matchAll(/\{([^}+]+)\+?\}/g)) {
            const m = op.members.find((x) => x.wire === l[1]);
            labels[l[1]] ??= enc(m ? text(m.name, m.shape) : 'x1');
        }
        // A job document too, so that a create gets past "one of document, documentSource or jobArn".
        if (op.members.some((m) => m.name === 'document' && m.location === undefined))
            body.document ??= JSON.stringify('{}');
        const hasBody = op.members.some((m) => m.location === undefined);
        for (const m of op.members) {
            const place = m.location ?? 'body';
            for (const steps of place === 'body' ? numericLeaves(shapes, m.shape) : numericLeaves(shapes, m.shape).filter((p) => p.length === 0)) {
                const last = steps.at(-1);
                const leaf = shapes[!last ? m.shape : 'member' in last ? last.shape : last.item];
                const whole = leaf.type === 'integer' || leaf.type === 'long';
                const values = [...new Set([...WHOLE_EDGES, ...rangeEdges(leaf), ...(place === 'body' ? JSON_EDGES : [])])]
                    // A path or query carries whole-number texts only for whole members (anything else is another kind's business).
                    .filter((v) => (place === 'body' ? JSON_NUMBER.test(v) : whole ? /^-?\d+$/.test(v) : true));
                const where = `${place} ${[m.wire, ...steps.map((st) => ('member' in st ? st.member : '1'))].join('.')}`;
                for (const value of values) {
                    const l = { ...labels };
                    const q = query.filter(([k]) => k !== m.wire);
                    const b = { ...body };
                    const headers = {};
                    if (place === 'uri')
                        l[m.wire] = enc(value);
                    else if (place === 'querystring')
                        q.push([m.wire, value]);
                    else if (place === 'header')
                        headers[m.wire.toLowerCase()] = value;
                    else
                        b[m.wire] = JSON.stringify(withMark(shapes, m.shape, m.name, steps, fx)).replace(JSON.stringify(MARK), value);
                    const path = op.template.replace(/\{([^}+]+)\+?\}/g, (_, x) => l[x]);
                    const bodyText = hasBody || Object.keys(b).length ? `{${Object.entries(b).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}` : undefined;
                    out.push({
                        kind: 'bignum',
                        service: op.service,
                        operation: op.operation,
                        method: op.method,
                        path,
                        query: q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'),
                        body: bodyText === undefined ? undefined : Buffer.from(bodyText),
                        headers,
                        where,
                        value,
                        refused: mustRefuse(leaf, value),
                    });
                }
            }
        }
    }
    return out;
}
/** Every numeric member of every operation, as `service:Operation place path` (what generateEdges must cover). */
export function numericMembers() {
    return operations().flatMap((op) => {
        const shapes = models[op.service].shapes;
        return op.members.flatMap((m) => (m.location === undefined ? numericLeaves(shapes, m.shape) : numericLeaves(shapes, m.shape).filter((p) => p.length === 0)).map((steps) => `${op.service}:${op.operation} ${m.location ?? 'body'} ${[m.wire, ...steps.map((st) => ('member' in st ? st.member : '1'))].join('.')}`));
    });
}
/** The same edges for the numeric members of the MQTT device API's payloads (its topics carry no numbers). */
export function payloadEdges(members) {
    const m = models['iot-jobs-data'];
    return Object.entries(members).flatMap(([api, names]) => {
        const input = m.shapes[m.operations[api].input.shape];
        return names.flatMap((member) => {
            const leaf = m.shapes[input.members[member].shape];
            return [...new Set([...WHOLE_EDGES, ...rangeEdges(leaf), ...JSON_EDGES])].filter((v) => JSON_NUMBER.test(v)).map((value) => ({ api, member, value, refused: mustRefuse(leaf, value) }));
        });
    });
}
//# sourceMappingURL=bad-input.js.map