/**
 * AWS IoT commands: the command execution state machine and the rules of dynamic payloads
 * (docs/compatibility.md, Commands). Pure: functions of data, no I/O, nothing of ours imported.
 */
/** What a device may report (the device SDKs' enum has no CREATED). */
export const DEVICE_STATUSES = new Set(['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'REJECTED', 'TIMED_OUT']);
/** Statuses from which the service's timer may still time an execution out. */
export const OPEN_STATUSES = ['CREATED', 'IN_PROGRESS'];
/** Default and maximum executionTimeoutSeconds (developer guide: 10 s and 12 h). */
export const DEFAULT_TIMEOUT_S = 10;
export const MAX_TIMEOUT_S = 12 * 3600;
/** DeleteCommand removes a command at once only when it was deprecated this long ago. */
export const DELETE_GRACE_MS = MAX_TIMEOUT_S * 1000;
/** Executions are kept six months by default (timeToLive). */
export const RETENTION_MS = 183 * 24 * 3600 * 1000;
/** statusReason.reasonCode of a service-set TIMED_OUT. */
export const NO_RESPONSE = '$NO_RESPONSE_FROM_DEVICE';
/** True when nothing may change the execution any more. */
export const isTerminal = (e) => e.status === 'SUCCEEDED' || e.status === 'FAILED' || e.status === 'REJECTED' || (e.status === 'TIMED_OUT' && !e.timedOutByService);
/** Done from the service's side: terminal, or timed out by the service (DeleteCommandExecution allows both). */
export const isFinished = (e) => isTerminal(e) || e.status === 'TIMED_OUT';
/**
 * Whether a device's report may move the execution (commands-troubleshooting table):
 * CREATED and IN_PROGRESS may go anywhere a device can report (IN_PROGRESS again included);
 * after a service-set TIMED_OUT only a final status; after a final status nothing, as
 * TerminalStateReached for another final status and InvalidStateTransition for IN_PROGRESS or
 * anything after a device-reported TIMED_OUT.
 */
export function checkReport(current, reported) {
    if (!DEVICE_STATUSES.has(reported))
        return { code: 'InvalidRequest', message: `status must be one of ${[...DEVICE_STATUSES].join(', ')}` };
    if (current.status === 'CREATED' || current.status === 'IN_PROGRESS')
        return undefined;
    if (current.status === 'TIMED_OUT' && current.timedOutByService) {
        return reported === 'IN_PROGRESS' ? { code: 'InvalidStateTransition', message: 'The execution timed out; only a final status may be reported now' } : undefined;
    }
    if (current.status === 'TIMED_OUT' || reported === 'IN_PROGRESS')
        return { code: 'InvalidStateTransition', message: `Cannot go from ${current.status} to ${reported}` };
    return { code: 'TerminalStateReached', message: `The execution is already in the terminal status ${current.status}` };
}
const TYPE_KEY = { STRING: 'S', INTEGER: 'I', DOUBLE: 'D', LONG: 'L', UNSIGNEDLONG: 'UL', BOOLEAN: 'B', BINARY: 'BIN' };
const NUMERIC = new Set(['I', 'L', 'D', 'UL']);
/** The one member a value holds, or undefined when it holds none or several. */
export function valueKey(v) {
    if (!v || typeof v !== 'object')
        return undefined;
    const keys = Object.keys(v).filter((k) => v[k] !== undefined && v[k] !== null);
    return keys.length === 1 ? keys[0] : undefined;
}
const INTEGER = /^-?\d+$/;
/** -1, 0 or 1; whole numbers compared exactly (UL reaches 2^64), others as doubles. */
function compare(a, b) {
    if (INTEGER.test(a) && INTEGER.test(b)) {
        const x = BigInt(a);
        const y = BigInt(b);
        return x < y ? -1 : x > y ? 1 : 0;
    }
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
/** The value as text for comparison, and whether it is numeric. */
function comparable(v, key) {
    return { text: String(v[key]), numeric: NUMERIC.has(key) };
}
/** undefined when the value meets the condition, else why not. */
function meets(v, key, c) {
    const { text, numeric } = comparable(v, key);
    const o = c.operand ?? {};
    const one = numeric ? o.number : o.string;
    const set = numeric ? o.numbers : o.strings;
    const same = (x) => (numeric ? Number.isFinite(Number(x)) && compare(text, x) === 0 : text === x);
    const need = (what, name) => (what === undefined ? `the operand of ${c.comparisonOperator} needs ${name}` : undefined);
    switch (c.comparisonOperator) {
        case 'EQUALS':
            return need(one, numeric ? 'number' : 'string') ?? (same(one) ? undefined : `must equal ${one}`);
        case 'NOT_EQUALS':
            return need(one, numeric ? 'number' : 'string') ?? (same(one) ? `must not equal ${one}` : undefined);
        case 'IN_SET':
            return need(set, numeric ? 'numbers' : 'strings') ?? (set.some(same) ? undefined : `must be one of ${set.join(', ')}`);
        case 'NOT_IN_SET':
            return need(set, numeric ? 'numbers' : 'strings') ?? (set.some(same) ? `must not be one of ${set.join(', ')}` : undefined);
        case 'LESS_THAN':
        case 'LESS_THAN_EQUALS':
        case 'GREATER_THAN':
        case 'GREATER_THAN_EQUALS': {
            if (!numeric)
                return `${c.comparisonOperator} applies to numbers only`;
            if (o.number === undefined)
                return need(undefined, 'number');
            const r = compare(text, o.number);
            const ok = { LESS_THAN: r < 0, LESS_THAN_EQUALS: r <= 0, GREATER_THAN: r > 0, GREATER_THAN_EQUALS: r >= 0 }[c.comparisonOperator];
            return ok ? undefined : `must be ${c.comparisonOperator.toLowerCase().replace(/_/g, ' ')} ${o.number}`;
        }
        case 'IN_RANGE':
        case 'NOT_IN_RANGE': {
            if (!numeric)
                return `${c.comparisonOperator} applies to numbers only`;
            const r = o.numberRange;
            if (!r)
                return need(undefined, 'numberRange');
            const inside = compare(text, r.min) >= 0 && compare(text, r.max) <= 0;
            if (c.comparisonOperator === 'IN_RANGE')
                return inside ? undefined : `must be in the range ${r.min} to ${r.max}`;
            return inside ? `must not be in the range ${r.min} to ${r.max}` : undefined;
        }
        default:
            return `unknown comparison operator ${c.comparisonOperator}`;
    }
}
/** A value's member matches the declared type (or any member when no type is declared), and is well-formed. */
function checkValue(p, v, what) {
    const key = valueKey(v);
    if (!key)
        return `The ${what} of parameter ${p.name} must have exactly one of S, B, I, L, D, BIN, UL`;
    const want = p.type ? TYPE_KEY[p.type] : undefined;
    if (want && key !== want)
        return `Parameter ${p.name} is of type ${p.type}: its ${what} must be given as ${want}, not ${key}`;
    if (key === 'UL' && (!/^\d{1,20}$/.test(v.UL) || BigInt(v.UL) >= 2n ** 64n))
        return `Parameter ${p.name}: UL must be an unsigned 64-bit decimal`;
    return undefined;
}
/** Errors in a command's declared parameters (CreateCommand), naming the parameter. */
export function checkDeclaredParameters(params) {
    const seen = new Set();
    for (const p of params) {
        if (seen.has(p.name))
            return `Parameter ${p.name} is declared twice`;
        seen.add(p.name);
        for (const [what, v] of [['value', p.value], ['defaultValue', p.defaultValue]]) {
            if (v === undefined)
                continue;
            const err = checkValue(p, v, what) ?? conditionsError(p, v, what);
            if (err)
                return err;
        }
    }
    return undefined;
}
function conditionsError(p, v, what) {
    const key = valueKey(v);
    for (const c of p.valueConditions ?? []) {
        const why = meets(v, key, c);
        if (why)
            return `The ${what} of parameter ${p.name} ${why}`;
    }
    return undefined;
}
/**
 * The values an execution runs with: each declared parameter from `given`, else its `value`,
 * else its `defaultValue`; each of the right type and meeting every condition. An undeclared
 * name is an error too. Returns the values or the first error, naming the parameter.
 */
export function resolveParameters(declared, given) {
    const byName = new Map(declared.map((p) => [p.name, p]));
    for (const name of Object.keys(given))
        if (!byName.has(name))
            return { error: `Parameter ${name} is not a parameter of this command` };
    const values = {};
    for (const p of declared) {
        const v = given[p.name] ?? p.value ?? p.defaultValue;
        if (v === undefined)
            return { error: `Parameter ${p.name} is mandatory and has no default value` };
        const err = checkValue(p, v, 'value') ?? conditionsError(p, v, 'value');
        if (err)
            return { error: err };
        values[p.name] = v;
    }
    return { values };
}
/** A BINARY value (base64 on the wire), kept apart so that CBOR can make it a byte string. */
export class Binary {
    base64;
    constructor(base64) {
        this.base64 = base64;
    }
}
/** An UNSIGNEDLONG, as its decimal digits (up to 2^64 - 1: past a double's exact range). */
export class Unsigned {
    digits;
    constructor(digits) {
        this.digits = digits;
    }
}
const PLACEHOLDER = /\$\{aws:iot:commandexecution::(?:parameter:([.$a-zA-Z0-9_-]+)|(executionTimeoutSec))\}/g;
const WHOLE = new RegExp(`^${PLACEHOLDER.source}$`);
/** The parameter names a template's placeholders use (CreateCommand checks each is declared). */
export function templateParameters(template) {
    return [...template.matchAll(PLACEHOLDER)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
}
function typed(v) {
    const key = valueKey(v);
    if (key === 'BIN')
        return new Binary(v.BIN);
    if (key === 'UL')
        return new Unsigned(v.UL);
    return v[key];
}
function asText(v) {
    const key = valueKey(v);
    return String(v[key]);
}
/**
 * Replaces the placeholders of a JSON template. A placeholder that is a whole JSON string
 * ("${...}") becomes the typed value (INTEGER 5 renders as the number 5, BOOLEAN as true,
 * BINARY as bytes); one inside a longer string is spliced as text (decimal digits, true/false,
 * base64). Choices where AWS is silent (docs/compatibility.md, Commands).
 */
export function substitute(template, values, timeoutSeconds) {
    const text = (name) => (name === undefined ? String(timeoutSeconds) : values[name] ? asText(values[name]) : '');
    const walk = (node) => {
        if (typeof node === 'string') {
            const m = WHOLE.exec(node);
            if (m)
                return m[1] === undefined ? timeoutSeconds : values[m[1]] ? typed(values[m[1]]) : null;
            return node.replace(PLACEHOLDER, (_all, name) => text(name));
        }
        if (Array.isArray(node))
            return node.map(walk);
        if (node && typeof node === 'object') {
            const out = {};
            for (const [k, v] of Object.entries(node))
                Object.defineProperty(out, k.replace(PLACEHOLDER, (_a, n) => text(n)), { value: walk(v), enumerable: true, writable: true, configurable: true });
            return out;
        }
        return node;
    };
    return walk(JSON.parse(template));
}
/** The substituted payload as JSON text: bytes as base64 strings, UNSIGNEDLONG as an exact number. */
export function renderJson(value) {
    const marks = [];
    const json = JSON.stringify(value, (_k, v) => {
        if (v instanceof Binary)
            return v.base64;
        if (v instanceof Unsigned) {
            marks.push(v.digits);
            return `\u0000UL${marks.length - 1}\u0000`;
        }
        return v;
    });
    return marks.length === 0 ? json : json.replace(/"\\u0000UL(\d+)\\u0000"/g, (_m, i) => marks[Number(i)]);
}
/** Whether a template is a JSON document (CreateCommand refuses one that is not). */
export function templateError(template) {
    try {
        JSON.parse(template);
        return undefined;
    }
    catch (err) {
        return `payloadTemplate is not a JSON document: ${err.message}`;
    }
}
/** thing/<name> or client/<id> of a targetArn in this account and region. */
export function parseTarget(arn, region, accountId) {
    // Thing names and the client ids the broker accepts: no '/', '+' or '#' that would break a topic.
    const m = /^arn:aws:iot:([^:]+):(\d{12}):(thing|client)\/([a-zA-Z0-9:_-]{1,128})$/.exec(arn);
    if (!m || m[1] !== region || m[2] !== accountId)
        return undefined;
    return { kind: m[3], name: m[4] };
}
/** The request topic's format suffix for a payload's content type: json, cbor, or none. */
export function requestFormat(contentType) {
    const base = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (base === 'application/json')
        return 'json';
    if (base === 'application/cbor')
        return 'cbor';
    return undefined;
}
/** yyyy-MM-dd'T'HH:mm (UTC) as epoch ms, or undefined when it is not that form. */
export function parseFilterTime(s) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(s);
    if (!m)
        return undefined;
    const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    return Number.isNaN(t) ? undefined : t;
}
//# sourceMappingURL=commands.js.map