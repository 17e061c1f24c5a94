/**
 * IAM condition operators. A Condition block is an AND of operators, each an AND of keys, each an OR
 * of the listed values (for negated operators: none of the values). Missing keys follow IAM: a
 * positive operator is false, a negated one true, `...IfExists` true, `ForAnyValue:` false,
 * `ForAllValues:` true. A multi-valued key under a plain operator counts as matched when any of its
 * values matches (negated: when none does).
 */
import { inCidr, parseCidr, parseIp } from './ip.js';
import { arnMatcher, globMatcher } from './wildcard.js';
import { parseTemplate, plain, resolveTemplate } from './variables.js';
const num = (s) => (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN);
/** ISO 8601 or epoch seconds, as IAM accepts both. */
const date = (s) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const numeric = (f) => (r, p) => {
    const a = num(r), b = num(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
};
const dated = (f) => (r, p) => {
    const a = date(r), b = date(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
};
const isNum = (v) => !Number.isNaN(num(v));
const isDate = (v) => !Number.isNaN(date(v));
/** Glob and ARN patterns compile once per distinct text (policies repeat them). */
const globCache = new Map();
const arnCache = new Map();
function cached(cache, key, make) {
    let m = cache.get(key);
    if (!m) {
        if (cache.size > 10_000)
            cache.clear();
        m = make(key);
        cache.set(key, m);
    }
    return m;
}
const like = (r, p) => cached(globCache, p, (k) => globMatcher(k))(r);
const arnLike = (r, p) => cached(arnCache, p, arnMatcher)(r);
/** Parsed once per distinct text: policies repeat their blocks and clients their addresses. */
const cidrCache = new Map();
const ipCache = new Map();
function memo(cache, key, parse) {
    let v = cache.get(key);
    if (v === undefined) {
        if (cache.size > 10_000)
            cache.clear();
        cache.set(key, (v = parse(key) ?? null));
    }
    return v ?? undefined;
}
const ipMatch = (r, p) => {
    const block = memo(cidrCache, p, parseCidr);
    const ip = block && memo(ipCache, r, parseIp);
    return !!ip && inCidr(ip, block);
};
/** The six comparisons of a family (Numeric, Date): Equals, NotEquals, LessThan(Equals), GreaterThan(Equals). */
function ordered(family, wrap, check) {
    const same = wrap((a, b) => a === b);
    return {
        [`${family}Equals`]: { compare: same, negated: false, check },
        [`${family}NotEquals`]: { compare: same, negated: true, check },
        [`${family}LessThan`]: { compare: wrap((a, b) => a < b), negated: false, check },
        [`${family}LessThanEquals`]: { compare: wrap((a, b) => a <= b), negated: false, check },
        [`${family}GreaterThan`]: { compare: wrap((a, b) => a > b), negated: false, check },
        [`${family}GreaterThanEquals`]: { compare: wrap((a, b) => a >= b), negated: false, check },
    };
}
const eq = (r, p) => r === p;
const eqi = (r, p) => r.toLowerCase() === p.toLowerCase();
const OPERATORS = {
    StringEquals: { compare: eq, negated: false },
    StringNotEquals: { compare: eq, negated: true },
    StringEqualsIgnoreCase: { compare: eqi, negated: false },
    StringNotEqualsIgnoreCase: { compare: eqi, negated: true },
    StringLike: { compare: like, negated: false },
    StringNotLike: { compare: like, negated: true },
    ...ordered('Numeric', numeric, isNum),
    ...ordered('Date', dated, isDate),
    Bool: { compare: eqi, negated: false, check: (v) => /^(true|false)$/i.test(v) },
    BinaryEquals: { compare: eq, negated: false },
    IpAddress: { compare: ipMatch, negated: false, check: (v) => parseCidr(v) !== undefined },
    NotIpAddress: { compare: ipMatch, negated: true, check: (v) => parseCidr(v) !== undefined },
    ArnEquals: { compare: arnLike, negated: false },
    ArnLike: { compare: arnLike, negated: false },
    ArnNotEquals: { compare: arnLike, negated: true },
    ArnNotLike: { compare: arnLike, negated: true },
};
/** Pattern operators keep literal-wildcard sentinels (their matcher escapes them); the others compare plain text. */
const compareForm = (op, v) => (op.compare === like || op.compare === arnLike ? v : plain(v));
/** Thrown for a condition the engine cannot read; the caller adds the statement's name. */
export class ConditionError extends Error {
}
const scalar = (v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
export function compileCondition(block, variables) {
    if (block === null || typeof block !== 'object' || Array.isArray(block))
        throw new ConditionError('Condition must be an object');
    const clauses = [];
    for (const [written, keys] of Object.entries(block)) {
        let name = written;
        let set;
        const prefix = /^(ForAnyValue|ForAllValues):/.exec(name);
        if (prefix) {
            set = prefix[1] === 'ForAnyValue' ? 'any' : 'all';
            name = name.slice(prefix[0].length);
        }
        const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
        if (ifExists)
            name = name.slice(0, -'IfExists'.length);
        const op = OPERATORS[name];
        if (!op && name !== 'Null')
            throw new ConditionError(`unknown condition operator ${written}`);
        if (name === 'Null' && (ifExists || set))
            throw new ConditionError(`unknown condition operator ${written}`);
        if (keys === null || typeof keys !== 'object' || Array.isArray(keys))
            throw new ConditionError(`${written} must map condition keys to values`);
        for (const [key, raw] of Object.entries(keys)) {
            const list = Array.isArray(raw) ? raw : [raw];
            if (!key || list.length === 0 || !list.every(scalar)) {
                throw new ConditionError(`${written} ${key || '(empty key)'}: values must be strings, numbers or booleans`);
            }
            const texts = list.map(String);
            const clause = { operator: written, key: key.toLowerCase(), keyAsWritten: key, set, ifExists, values: [] };
            if (name === 'Null') {
                if (!texts.every((t) => /^(true|false)$/i.test(t)))
                    throw new ConditionError(`Null ${key}: values must be true or false`);
                clause.null = texts.map((t) => t.toLowerCase() === 'true');
            }
            else {
                clause.op = op;
                clause.values = texts.map((t) => parseTemplate(t, variables));
                if (!clause.values.some((t) => t.hasVariables))
                    clause.fixed = clause.values.map((t) => compareForm(op, t.parts.join('')));
                for (const [i, t] of clause.values.entries()) {
                    if (op.check && !t.hasVariables && !op.check(texts[i]))
                        throw new ConditionError(`${written} ${key}: invalid value ${JSON.stringify(texts[i])}`);
                }
            }
            clauses.push(clause);
        }
    }
    return clauses;
}
export function testClause(c, get, vars) {
    const present = get(c.key);
    if (c.null) {
        const absent = present === undefined;
        return c.null.some((expectAbsent) => expectAbsent === absent);
    }
    if (present === undefined) {
        if (c.ifExists || c.set === 'all')
            return true;
        if (c.set === 'any')
            return false;
        return c.op.negated;
    }
    const op = c.op;
    let policyValues = c.fixed;
    if (!policyValues) {
        policyValues = [];
        for (const t of c.values) {
            const v = resolveTemplate(t, vars);
            // An unresolved variable matches nothing.
            if (v !== undefined)
                policyValues.push(compareForm(op, v));
        }
    }
    const values = policyValues;
    const hit = (r) => values.some((p) => op.compare(r, p));
    // Per request value: the positive test, or for a negated operator "matches none".
    const each = (r) => (op.negated ? !hit(r) : hit(r));
    if (c.set === 'all')
        return present.every(each);
    if (c.set === 'any')
        return present.some(each);
    return op.negated ? !present.some(hit) : present.some(hit);
}
//# sourceMappingURL=conditions.js.map