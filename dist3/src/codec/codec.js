/** The one codec driven by the AWS model (restJson1 bindings, shape validation, output serialisation), shared by the HTTP and MQTT adapters. */
import { ServiceError } from '../errors.js';
import { models } from '../model/index.js';
import { exactNumber, parseJsonExact } from './exact-numbers.js';
/** Java regexes of the AWS models, made JavaScript (unicode) and anchored: AWS matches whole values. */
export function toRegExp(pattern) {
    const js = pattern
        .replace(/\\p\{Graph\}/g, '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}')
        .replace(/\\p\{Upper\}/g, '\\p{Lu}')
        .replace(/\\p\{Lower\}/g, '\\p{Ll}')
        .replace(/\\p\{Digit\}/g, '\\p{Nd}')
        .replace(/\\p\{Alpha\}/g, '\\p{L}')
        .replace(/\\p\{Alnum\}/g, '\\p{L}\\p{Nd}')
        .replace(/\\p\{Punct\}/g, '\\p{P}');
    return new RegExp(`^(?:${js})$`, 'u');
}
/**
 * A value as a message shows it, never longer than SHOW_MAX: a client may send a member nested
 * thousands of levels deep, which JSON.stringify cannot even walk (it overflows the stack).
 */
const SHOW_MAX = 256;
function preview(v, budget = { left: SHOW_MAX }, depth = 0) {
    if (budget.left <= 0)
        return '...';
    let out;
    if (Array.isArray(v)) {
        if (depth >= 8)
            out = '[...]';
        else {
            const parts = [];
            for (const x of v) {
                if (budget.left <= 0) {
                    parts.push('...');
                    break;
                }
                parts.push(preview(x, budget, depth + 1));
            }
            out = `[${parts.join(',')}]`;
        }
    }
    else if (typeof v === 'object' && v !== null) {
        if (depth >= 8)
            out = '{...}';
        else {
            const parts = [];
            for (const [k, x] of Object.entries(v)) {
                if (budget.left <= 0) {
                    parts.push('...');
                    break;
                }
                parts.push(`${JSON.stringify(k.slice(0, SHOW_MAX))}:${preview(x, budget, depth + 1)}`);
            }
            out = `{${parts.join(',')}}`;
        }
    }
    else
        out = typeof v === 'bigint' ? String(v) : (JSON.stringify(v) ?? String(v));
    budget.left -= out.length;
    return out.length > SHOW_MAX ? `${out.slice(0, SHOW_MAX)}...` : out;
}
// AWS quotes every value it shows: Value 'abc', Value '0', Value '[]'; only a missing one is null.
// A value is cut to a readable length: an oversized document is never echoed back whole.
const SHOWN_CHARS = 200;
const cut = (s) => (s.length > SHOWN_CHARS ? `${s.slice(0, SHOWN_CHARS)}... (${s.length} characters)` : s);
const show = (v) => (v === null ? 'null' : `'${typeof v === 'string' ? cut(v) : preview(v)}'`);
/**
 * Whole-number ranges on the wire: AWS's integer is 32-bit, long 64-bit (and what PostgreSQL's
 * bigint holds). A long past 2^53 comes as an exact bigint (exact-numbers.ts) and is checked on that.
 */
const RANGE = { integer: [-(2n ** 31n), 2n ** 31n - 1n], long: [-(2n ** 63n), 2n ** 63n - 1n] };
const RANGE_MESSAGE = { integer: 'Member must fit in a 32-bit integer', long: 'Member must fit in a 64-bit long' };
// PostgreSQL stores no NUL in text, and neither database keeps a lone surrogate as sent.
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const fail = (errors, value, path, constraint) => errors.push(`Value ${value === undefined ? 'null' : show(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
const invalidInputError = (errors) => errors?.some((e) => e.shape === 'ValidationException') && !errors.some((e) => e.shape === 'InvalidRequestException') ? 'ValidationException' : 'InvalidRequestException';
class ServiceCodec {
    model;
    checks = new Map();
    serializers = new Map();
    pruners = new Map();
    operations = new Map();
    constructor(model) {
        this.model = model;
        for (const name of Object.keys(model.operations))
            this.operations.set(name, this.compileOperation(name));
    }
    operation(name) {
        return this.operations.get(name);
    }
    shape(name) {
        const s = this.model.shapes[name];
        if (!s)
            throw new Error(`model has no shape ${name}`);
        return s;
    }
    compileOperation(name) {
        const op = this.model.operations[name];
        const input = op.input ? this.shape(op.input.shape) : undefined;
        const bound = (loc) => Object.entries(input?.members ?? {})
            .filter(([, m]) => m.location === loc)
            .map(([n, m]) => ({ name: n, wire: m.locationName ?? n, shape: this.shape(m.shape) }));
        const output = op.output ? this.shape(op.output.shape) : undefined;
        return {
            uri: bound('uri'),
            query: bound('querystring'),
            header: bound('header'),
            body: bound(undefined),
            check: op.input ? this.check(op.input.shape) : () => { },
            prune: op.input ? this.pruner(op.input.shape) : (v) => v,
            serialize: op.output ? this.serializer(op.output.shape) : () => ({}),
            outputHeaders: Object.entries(output?.members ?? {})
                .filter(([, m]) => m.location === 'header')
                .map(([n, m]) => ({ name: n, wire: m.locationName ?? n, shape: this.shape(m.shape) })),
            statusMember: Object.entries(output?.members ?? {}).find(([, m]) => m.location === 'statusCode')?.[0],
            status: op.http.responseCode ?? 200,
            invalid: invalidInputError(op.errors),
        };
    }
    /** A validator for a shape, compiled once and memoised (shapes may be recursive). */
    check(name) {
        const known = this.checks.get(name);
        if (known)
            return known;
        let impl = () => { };
        const lazy = (v, p, e) => impl(v, p, e);
        this.checks.set(name, lazy);
        impl = this.compileCheck(this.shape(name));
        return lazy;
    }
    compileCheck(s) {
        switch (s.type) {
            case 'structure': {
                const members = Object.entries(s.members ?? {}).map(([n, m]) => ({ n, check: this.check(m.shape) }));
                const required = s.required ?? [];
                return (v, path, errors) => {
                    if (typeof v !== 'object' || v === null || Array.isArray(v))
                        return void fail(errors, v, path, 'Member must be a structure');
                    const o = v;
                    for (const r of required)
                        if (o[r] === undefined || o[r] === null)
                            fail(errors, undefined, path ? `${path}.${r}` : r, 'Member must not be null');
                    for (const { n, check } of members) {
                        const mv = o[n];
                        if (mv !== undefined && mv !== null)
                            check(mv, path ? `${path}.${n}` : n, errors);
                    }
                };
            }
            case 'list': {
                const item = this.check(s.member.shape);
                return (v, path, errors) => {
                    if (!Array.isArray(v))
                        return void fail(errors, v, path, 'Member must be a list');
                    if (s.min !== undefined && v.length < s.min)
                        fail(errors, v, path, `Member must have length greater than or equal to ${s.min}`);
                    if (s.max !== undefined && v.length > s.max)
                        fail(errors, v, path, `Member must have length less than or equal to ${s.max}`);
                    v.forEach((x, i) => (x === null || x === undefined ? fail(errors, x, `${path}.${i + 1}.member`, 'Member must not be null') : item(x, `${path}.${i + 1}.member`, errors)));
                };
            }
            case 'map': {
                const key = this.check(s.key.shape);
                const value = this.check(s.value.shape);
                return (v, path, errors) => {
                    if (typeof v !== 'object' || v === null || Array.isArray(v))
                        return void fail(errors, v, path, 'Member must be a map');
                    const entries = Object.entries(v);
                    if (s.min !== undefined && entries.length < s.min)
                        fail(errors, v, path, `Member must have length greater than or equal to ${s.min}`);
                    if (s.max !== undefined && entries.length > s.max)
                        fail(errors, v, path, `Member must have length less than or equal to ${s.max}`);
                    for (const [k, x] of entries) {
                        key(k, `${path}.${k}.key`, errors);
                        if (x === null || x === undefined)
                            fail(errors, x, `${path}.${k}.value`, 'Member must not be null');
                        else
                            value(x, `${path}.${k}.value`, errors);
                    }
                };
            }
            case 'string': {
                const re = s.pattern ? toRegExp(s.pattern) : undefined;
                const values = s.enum ? new Set(s.enum) : undefined;
                return (v, path, errors) => {
                    if (typeof v !== 'string')
                        return void fail(errors, v, path, 'Member must be a string');
                    if (NUL.test(v))
                        return void fail(errors, v.replace(/\u0000/g, '\\u0000'), path, 'Member must not contain null characters');
                    if (LONE_SURROGATE.test(v))
                        return void fail(errors, v.replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD'), path, 'Member must be well-formed Unicode (no unpaired surrogates)');
                    if (s.min !== undefined && [...v].length < s.min)
                        fail(errors, v, path, `Member must have length greater than or equal to ${s.min}`);
                    if (s.max !== undefined && v.length > s.max && [...v].length > s.max)
                        fail(errors, v, path, `Member must have length less than or equal to ${s.max}`);
                    if (re && !re.test(v))
                        fail(errors, v, path, `Member must satisfy regular expression pattern: ${s.pattern}`);
                    if (values && !values.has(v))
                        fail(errors, v, path, `Member must satisfy enum value set: [${s.enum.join(', ')}]`);
                };
            }
            case 'integer':
            case 'long':
            case 'double':
            case 'float': {
                const whole = s.type === 'integer' || s.type === 'long' ? s.type : undefined;
                return (v, path, errors) => {
                    const big = typeof v === 'bigint';
                    if (!big && (typeof v !== 'number' || Number.isNaN(v)))
                        return void fail(errors, v, path, `Member must be ${whole ? 'an integer' : 'a number'}`);
                    if (!whole) {
                        if (!big && !Number.isFinite(v))
                            return void fail(errors, v, path, 'Member must be a number');
                    }
                    else if (big) {
                        const [lo, hi] = RANGE[whole];
                        if (v < lo || v > hi)
                            return void fail(errors, v, path, RANGE_MESSAGE[whole]);
                    }
                    else {
                        const n = v;
                        // A double past 2^53 here was written as a fraction or is absurdly large (integer texts below 10^40 come as bigint).
                        if (!Number.isFinite(n) || Math.abs(n) >= 2 ** 63)
                            return void fail(errors, v, path, RANGE_MESSAGE[whole]);
                        if (!Number.isSafeInteger(n))
                            return void fail(errors, v, path, 'Member must be an integer');
                        if (BigInt(n) < RANGE[whole][0] || BigInt(n) > RANGE[whole][1])
                            return void fail(errors, v, path, RANGE_MESSAGE[whole]);
                    }
                    if (s.min !== undefined && v < s.min)
                        fail(errors, v, path, `Member must have value greater than or equal to ${s.min}`);
                    if (s.max !== undefined && v > s.max)
                        fail(errors, v, path, `Member must have value less than or equal to ${s.max}`);
                };
            }
            case 'boolean':
                return (v, path, errors) => void (typeof v !== 'boolean' && fail(errors, v, path, 'Member must be a boolean'));
            case 'timestamp':
                // Epoch seconds in a JSON body; the query and path coercion hands over a valid Date.
                return (v, path, errors) => void (!(v instanceof Date) && !(typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 8.64e12) && fail(errors, v, path, 'Member must be a timestamp'));
            default:
                return () => { };
        }
    }
    /**
     * A copy of an input value with only the members the model names: an unknown member may be
     * anything (nested thousands of levels deep), and operations store configs as given.
     */
    pruner(name) {
        const known = this.pruners.get(name);
        if (known)
            return known;
        let impl = (v) => v;
        const lazy = (v) => impl(v);
        this.pruners.set(name, lazy);
        const s = this.shape(name);
        if (s.type === 'structure') {
            const members = Object.entries(s.members ?? {}).map(([n, m]) => ({ n, prune: this.pruner(m.shape) }));
            impl = (v) => {
                const o = v;
                const out = {};
                for (const { n, prune } of members)
                    if (o[n] !== undefined && o[n] !== null)
                        out[n] = prune(o[n]);
                return out;
            };
        }
        else if (s.type === 'list') {
            const item = this.pruner(s.member.shape);
            impl = (v) => v.map(item);
        }
        else if (s.type === 'double' || s.type === 'float') {
            // Only a long keeps a bigint (exact-numbers.ts): a double member gets its double.
            impl = (v) => (typeof v === 'bigint' ? Number(v) : v);
        }
        else if (s.type === 'map') {
            const value = this.pruner(s.value.shape);
            impl = (v) => {
                const out = {};
                for (const [k, x] of Object.entries(v))
                    Object.defineProperty(out, k, { value: value(x), enumerable: true, writable: true, configurable: true });
                return out;
            };
        }
        return lazy;
    }
    /** An output serializer for a shape: model member names, epoch-second timestamps, no nulls. */
    serializer(name) {
        const known = this.serializers.get(name);
        if (known)
            return known;
        let impl = (v) => v;
        const lazy = (v) => impl(v);
        this.serializers.set(name, lazy);
        impl = this.compileSerializer(this.shape(name));
        return lazy;
    }
    compileSerializer(s) {
        switch (s.type) {
            case 'structure': {
                const members = Object.entries(s.members ?? {})
                    .filter(([, m]) => m.location === undefined)
                    .map(([n, m]) => ({ n, wire: m.locationName ?? n, ser: this.serializer(m.shape) }));
                return (v) => {
                    const o = v;
                    const out = {};
                    for (const { n, wire, ser } of members) {
                        const mv = o[n];
                        if (mv !== undefined && mv !== null)
                            out[wire] = ser(mv);
                    }
                    return out;
                };
            }
            case 'list': {
                const item = this.serializer(s.member.shape);
                return (v) => v.filter((x) => x !== null && x !== undefined).map(item);
            }
            case 'map': {
                const value = this.serializer(s.value.shape);
                return (v) => {
                    const out = {};
                    // defineProperty, so that a user's key named __proto__ stays an ordinary key.
                    for (const [k, x] of Object.entries(v))
                        if (x !== null && x !== undefined)
                            Object.defineProperty(out, k, { value: value(x), enumerable: true, writable: true, configurable: true });
                    return out;
                };
            }
            case 'timestamp':
                // Operations hand out Date; restJson1's default for body timestamps is epoch seconds.
                return (v) => (v instanceof Date ? v.getTime() / 1000 : v);
            default:
                return (v) => v;
        }
    }
}
const codecs = {
    iot: new ServiceCodec(models.iot),
    'iot-jobs-data': new ServiceCodec(models['iot-jobs-data']),
};
export const hasOperation = (service, operation) => codecs[service].operation(operation) !== undefined;
function coerce(raw, shape, path, errors) {
    switch (shape.type) {
        case 'boolean':
            if (raw === 'true')
                return true;
            if (raw === 'false')
                return false;
            break;
        case 'integer':
        case 'long':
            // Checked on its decimal text: a bigint past 2^53 (exact-numbers.ts).
            if (/^-?\d+$/.test(raw))
                return exactNumber(raw);
            break;
        case 'double':
        case 'float':
            if (raw.trim() !== '' && Number.isFinite(Number(raw)))
                return Number(raw);
            break;
        case 'timestamp': {
            const t = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
            if (!Number.isNaN(t.getTime()))
                return t;
            break;
        }
        default:
            return raw;
    }
    fail(errors, raw, path, `Member must be ${shape.type === 'boolean' ? 'a boolean' : 'a number'}`);
    return undefined;
}
export function decodeRequest(service, operation, parts) {
    const op = codecs[service].operation(operation);
    if (!op)
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation}`);
    const input = {};
    const errors = [];
    // A member that fails to convert is reported once, not also as missing.
    const unconverted = new Set();
    const set = (name, value) => (value === undefined ? unconverted.add(name) : (input[name] = value));
    for (const b of op.uri) {
        const raw = parts.labels[b.wire];
        if (raw !== undefined)
            set(b.name, coerce(raw, b.shape, b.name, errors));
    }
    for (const b of op.query) {
        if (b.shape.type === 'list') {
            const all = parts.query.getAll(b.wire);
            if (all.length)
                input[b.name] = all.map((x) => coerce(x, codecs[service].model.shapes[b.shape.member.shape], b.name, errors));
        }
        else {
            const raw = parts.query.get(b.wire);
            if (raw !== null)
                set(b.name, coerce(raw, b.shape, b.name, errors));
        }
    }
    for (const b of op.header) {
        const raw = parts.headers[b.wire.toLowerCase()];
        if (typeof raw === 'string')
            set(b.name, coerce(raw, b.shape, b.name, errors));
    }
    if (op.body.length && parts.body && parts.body.length) {
        let doc;
        try {
            doc = parseJsonExact(parts.body.toString('utf8'));
        }
        catch {
            throw new ServiceError('SerializationException', 'The request body is not valid JSON');
        }
        if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
            throw new ServiceError('SerializationException', 'The request body must be a JSON object');
        const o = doc;
        for (const b of op.body) {
            const v = o[b.wire];
            if (v !== undefined && v !== null)
                input[b.name] = v;
        }
    }
    const checked = [];
    op.check(input, '', checked);
    for (const e of checked) {
        const m = /^Value null at '([^']+)' failed to satisfy constraint: Member must not be null$/.exec(e);
        if (!m || !unconverted.has(m[1]))
            errors.push(e);
    }
    if (errors.length) {
        throw new ServiceError(op.invalid, `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
    }
    return op.prune(input);
}
/** Validates an already-parsed input object (the MQTT adapter's path into the same rules); returns it without unmodeled members. */
export function validateInput(service, operation, input) {
    const op = codecs[service].operation(operation);
    if (!op)
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation}`);
    const errors = [];
    op.check(input, '', errors);
    if (errors.length)
        throw new ServiceError(op.invalid, `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`);
    return op.prune(input);
}
const JSON_HEADERS = { 'content-type': 'application/json' };
/** An output as its JSON wire object (model member names, epoch-second timestamps, no nulls). */
export function serializeOutput(service, operation, output) {
    return output ? codecs[service].operation(operation).serialize(output) : {};
}
export function encodeResponse(service, operation, output) {
    const op = codecs[service].operation(operation);
    const headers = { ...JSON_HEADERS };
    for (const h of op.outputHeaders) {
        const v = output?.[h.name];
        if (v !== undefined && v !== null)
            headers[h.wire] = String(v);
    }
    const bound = op.statusMember === undefined ? undefined : output?.[op.statusMember];
    return { statusCode: typeof bound === 'number' ? bound : op.status, headers, body: JSON.stringify(serializeOutput(service, operation, output)) };
}
/** Errors the models do not define, with the statuses AWS front ends use for them. */
const UNMODELED = {
    UnknownOperationException: 404,
    MissingAuthenticationTokenException: 403,
    InvalidSignatureException: 403,
    UnrecognizedClientException: 403,
    IncompleteSignatureException: 403,
    AccessDeniedException: 403,
    SerializationException: 400,
    RequestEntityTooLargeException: 413,
    RequestHeaderFieldsTooLargeException: 431,
    RequestTimeoutException: 408,
    ServiceUnavailableException: 503,
};
export function errorStatus(service, code) {
    return codecs[service].model.shapes[code]?.error?.httpStatusCode ?? UNMODELED[code] ?? 400;
}
export function encodeError(service, err) {
    let code;
    let message;
    let extra;
    if (err instanceof ServiceError) {
        ({ code, message, extra } = err);
    }
    else {
        code = service === 'iot' ? 'InternalFailureException' : 'InternalServerException';
        message = 'An internal error occurred';
    }
    const status = err instanceof ServiceError ? errorStatus(service, code) : 500;
    const body = { message };
    if (extra)
        for (const [k, v] of Object.entries(extra))
            if (v !== undefined)
                body[k] = v;
    return { statusCode: status, headers: { ...JSON_HEADERS, 'x-amzn-errortype': code }, body: JSON.stringify(body) };
}
//# sourceMappingURL=codec.js.map