/**
 * IAM condition operators. A Condition block is an AND of operators, each an AND of keys, each an OR
 * of the listed values (for negated operators: none of the values). Missing keys follow IAM: a
 * positive operator is false, a negated one true, `...IfExists` true, `ForAnyValue:` false,
 * `ForAllValues:` true. A multi-valued key under a plain operator counts as matched when any of its
 * values matches (negated: when none does).
 */
import { inCidr, parseCidr, parseIp, type Cidr, type Ip } from './ip.js';
import { arnMatcher, globMatcher, type Matcher } from './wildcard.js';
import { parseTemplate, plain, resolveTemplate, type Lookup, type Template } from './variables.js';

type Compare = (requestValue: string, policyValue: string) => boolean;

interface Operator {
  /** The positive comparison; a negated operator is true when no policy value matches. */
  compare: Compare;
  negated: boolean;
  /** How the policy values are checked at load (false = any text). */
  check?: (v: string) => boolean;
}

const num = (s: string) => (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN);
/** ISO 8601 or epoch seconds, as IAM accepts both. */
const date = (s: string) => (/^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s));
const numeric = (f: (a: number, b: number) => boolean): Compare => (r, p) => {
  const a = num(r), b = num(p);
  return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
};
const dated = (f: (a: number, b: number) => boolean): Compare => (r, p) => {
  const a = date(r), b = date(p);
  return !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
};
const isNum = (v: string) => !Number.isNaN(num(v));
const isDate = (v: string) => !Number.isNaN(date(v));

/** Glob and ARN patterns compile once per distinct text (policies repeat them). */
const globCache = new Map<string, Matcher>();
const arnCache = new Map<string, Matcher>();
function cached(cache: Map<string, Matcher>, key: string, make: (k: string) => Matcher): Matcher {
  let m = cache.get(key);
  if (!m) {
    if (cache.size > 10_000) cache.clear();
    m = make(key);
    cache.set(key, m);
  }
  return m;
}
const like: Compare = (r, p) => cached(globCache, p, (k) => globMatcher(k))(r);
const arnLike: Compare = (r, p) => cached(arnCache, p, arnMatcher)(r);

/** Parsed once per distinct text: policies repeat their blocks and clients their addresses. */
const cidrCache = new Map<string, Cidr | null>();
const ipCache = new Map<string, Ip | null>();
function memo<T>(cache: Map<string, T | null>, key: string, parse: (k: string) => T | undefined): T | undefined {
  let v = cache.get(key);
  if (v === undefined) {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, (v = parse(key) ?? null));
  }
  return v ?? undefined;
}
const ipMatch: Compare = (r, p) => {
  const block = memo(cidrCache, p, parseCidr);
  const ip = block && memo(ipCache, r, parseIp);
  return !!ip && inCidr(ip, block!);
};

/** The six comparisons of a family (Numeric, Date): Equals, NotEquals, LessThan(Equals), GreaterThan(Equals). */
function ordered(family: string, wrap: (f: (a: number, b: number) => boolean) => Compare, check: (v: string) => boolean): Record<string, Operator> {
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

const eq: Compare = (r, p) => r === p;
const eqi: Compare = (r, p) => r.toLowerCase() === p.toLowerCase();

const OPERATORS: Record<string, Operator> = {
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

export interface Clause {
  /** The operator as written, for messages. */
  operator: string;
  /** Lower-cased: IAM key names are case-insensitive. */
  key: string;
  keyAsWritten: string;
  set?: 'any' | 'all';
  ifExists: boolean;
  /** Null's expectation (true = key absent), or the operator. */
  null?: boolean[];
  op?: Operator;
  values: Template[];
  /** The values ready to compare when none has a variable (the usual case). */
  fixed?: string[];
}

/** Pattern operators keep literal-wildcard sentinels (their matcher escapes them); the others compare plain text. */
const compareForm = (op: Operator, v: string) => (op.compare === like || op.compare === arnLike ? v : plain(v));

/** Thrown for a condition the engine cannot read; the caller adds the statement's name. */
export class ConditionError extends Error {}

type Scalar = string | number | boolean;
const scalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function compileCondition(block: unknown, variables: boolean): Clause[] {
  if (block === null || typeof block !== 'object' || Array.isArray(block)) throw new ConditionError('Condition must be an object');
  const clauses: Clause[] = [];
  for (const [written, keys] of Object.entries(block)) {
    let name = written;
    let set: Clause['set'];
    const prefix = /^(ForAnyValue|ForAllValues):/.exec(name);
    if (prefix) {
      set = prefix[1] === 'ForAnyValue' ? 'any' : 'all';
      name = name.slice(prefix[0].length);
    }
    const ifExists = name.endsWith('IfExists') && name !== 'IfExists';
    if (ifExists) name = name.slice(0, -'IfExists'.length);
    const op = OPERATORS[name];
    if (!op && name !== 'Null') throw new ConditionError(`unknown condition operator ${written}`);
    if (name === 'Null' && (ifExists || set)) throw new ConditionError(`unknown condition operator ${written}`);
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) throw new ConditionError(`${written} must map condition keys to values`);
    for (const [key, raw] of Object.entries(keys as Record<string, unknown>)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!key || list.length === 0 || !list.every(scalar)) {
        throw new ConditionError(`${written} ${key || '(empty key)'}: values must be strings, numbers or booleans`);
      }
      const texts = list.map(String);
      const clause: Clause = { operator: written, key: key.toLowerCase(), keyAsWritten: key, set, ifExists, values: [] };
      if (name === 'Null') {
        if (!texts.every((t) => /^(true|false)$/i.test(t))) throw new ConditionError(`Null ${key}: values must be true or false`);
        clause.null = texts.map((t) => t.toLowerCase() === 'true');
      } else {
        clause.op = op;
        clause.values = texts.map((t) => parseTemplate(t, variables));
        if (!clause.values.some((t) => t.hasVariables)) clause.fixed = clause.values.map((t) => compareForm(op!, t.parts.join('')));
        for (const [i, t] of clause.values.entries()) {
          if (op!.check && !t.hasVariables && !op!.check(texts[i]!)) throw new ConditionError(`${written} ${key}: invalid value ${JSON.stringify(texts[i])}`);
        }
      }
      clauses.push(clause);
    }
  }
  return clauses;
}

/** A key's values in the request: undefined when absent (an empty set is absent too). */
export type KeyLookup = (lowerKey: string) => readonly string[] | undefined;

export function testClause(c: Clause, get: KeyLookup, vars: Lookup): boolean {
  const present = get(c.key);
  if (c.null) {
    const absent = present === undefined;
    return c.null.some((expectAbsent) => expectAbsent === absent);
  }
  if (present === undefined) {
    if (c.ifExists || c.set === 'all') return true;
    if (c.set === 'any') return false;
    return c.op!.negated;
  }
  const op = c.op!;
  let policyValues = c.fixed;
  if (!policyValues) {
    policyValues = [];
    for (const t of c.values) {
      const v = resolveTemplate(t, vars);
      // An unresolved variable matches nothing.
      if (v !== undefined) policyValues.push(compareForm(op, v));
    }
  }
  const values = policyValues;
  const hit = (r: string) => values.some((p) => op.compare(r, p));
  // Per request value: the positive test, or for a negated operator "matches none".
  const each = (r: string) => (op.negated ? !hit(r) : hit(r));
  if (c.set === 'all') return present.every(each);
  if (c.set === 'any') return present.some(each);
  return op.negated ? !present.some(hit) : present.some(hit);
}
