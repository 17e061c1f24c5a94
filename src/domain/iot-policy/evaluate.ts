import type { Statement } from './document.js';

/**
 * IoT policies compiled for one connection: the variables (client id, thing, certificate) are
 * known at CONNECT, so they are substituted and the conditions decided once; what remains per
 * packet is an action test and an anchored regular expression per resource.
 */

/** A policy variable's value(s) by name (`iot:ClientId`, ...), or undefined when it has none. */
export type Variables = (name: string) => string | string[] | undefined;

export interface NamedPolicy {
  name: string;
  statements: Statement[];
}

export type AuthDecision = 'ALLOWED' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export interface Decision {
  decision: AuthDecision;
  /** The policy whose Allow matched (also when a Deny overrode it). */
  allowedBy?: string;
  /** The policy whose Deny matched. */
  deniedBy?: string;
}

interface Rule {
  policy: string;
  deny: boolean;
  action: (a: string) => boolean;
  resource: (r: string) => boolean;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `*` any run of characters (also `/`), `?` one; `${*}`, `${?}`, `${$}` the literal characters; other `${...}` variables. */
function patternSource(pattern: string, vars: Variables | undefined): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end > 0) {
        const name = pattern.slice(i + 2, end);
        i = end;
        if (name === '*' || name === '?' || name === '$') out += escape(name);
        else {
          const v = vars?.(name);
          // An unresolved variable stays as its own text, so the statement will not match (PVAR).
          out += escape(typeof v === 'string' ? v : Array.isArray(v) && v.length > 0 ? v[0]! : `\${${name}}`);
        }
        continue;
      }
    }
    out += c === '*' ? '.*' : c === '?' ? '.' : escape(c);
  }
  return out;
}

export function globMatcher(pattern: string, vars?: Variables, ignoreCase = false): (s: string) => boolean {
  if (pattern === '*') return () => true;
  const re = new RegExp(`^${patternSource(pattern, vars)}$`, ignoreCase ? 'si' : 's');
  return (s) => re.test(s);
}

const any = (matchers: ((s: string) => boolean)[]) => (s: string) => matchers.some((m) => m(s));

/** Decides a statement's Condition block once, for this connection's context. */
function conditionsHold(cond: Statement['conditions'], vars: Variables): boolean {
  for (const [rawOp, block] of Object.entries(cond)) {
    const set = /^ForAllValues:/.test(rawOp) ? 'all' : /^ForAnyValue:/.test(rawOp) ? 'any' : 'single';
    const ifExists = rawOp.endsWith('IfExists');
    const op = rawOp.replace(/^For(All|Any)Values?:/, '').replace(/IfExists$/, '');
    for (const [key, wanted] of Object.entries(block)) {
      const raw = vars(key);
      const present = raw !== undefined && !(Array.isArray(raw) && raw.length === 0);
      if (op === 'Null') {
        if ((wanted[0]!.toLowerCase() === 'true') !== !present) return false;
        continue;
      }
      const negated = /Not/.test(op);
      if (!present) {
        if (ifExists || negated) continue;
        return false;
      }
      const values = Array.isArray(raw) ? raw : [raw];
      const test = (v: string): boolean => {
        switch (op) {
          case 'StringEquals':
          case 'ArnEquals':
            return wanted.some((w) => substitute(w, vars) === v);
          case 'StringNotEquals':
          case 'ArnNotEquals':
            return !wanted.some((w) => substitute(w, vars) === v);
          case 'StringEqualsIgnoreCase':
            return wanted.some((w) => substitute(w, vars).toLowerCase() === v.toLowerCase());
          case 'StringNotEqualsIgnoreCase':
            return !wanted.some((w) => substitute(w, vars).toLowerCase() === v.toLowerCase());
          case 'StringLike':
          case 'ArnLike':
            return wanted.some((w) => globMatcher(w, vars)(v));
          case 'StringNotLike':
          case 'ArnNotLike':
            return !wanted.some((w) => globMatcher(w, vars)(v));
          case 'Bool':
            return wanted.some((w) => w.toLowerCase() === v.toLowerCase());
          default:
            return false;
        }
      };
      const ok = set === 'all' ? values.every(test) : set === 'any' ? values.some(test) : test(values[0]!);
      if (!ok) return false;
    }
  }
  return true;
}

/** A condition value with its variables replaced (unresolved ones stay as written). */
function substitute(text: string, vars: Variables): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name === '*' || name === '?' || name === '$') return name;
    const v = vars(name);
    return typeof v === 'string' ? v : Array.isArray(v) && v.length > 0 ? v[0]! : whole;
  });
}

/** A connection's policies, compiled once; `decide` runs per packet and allocates nothing but a cache entry. */
export class CompiledPolicies {
  private readonly rules: Rule[] = [];
  private readonly cache = new Map<string, Decision>();
  readonly names: string[];

  constructor(policies: NamedPolicy[], vars: Variables) {
    this.names = policies.map((p) => p.name);
    for (const p of policies) {
      for (const s of p.statements) {
        if (!conditionsHold(s.conditions, vars)) continue;
        const actions = any((s.actions ?? s.notActions!).map((a) => globMatcher(a, undefined, true)));
        const resources = any((s.resources ?? s.notResources!).map((r) => globMatcher(r, vars)));
        this.rules.push({
          policy: p.name,
          deny: s.effect === 'Deny',
          action: s.actions ? actions : (a) => !actions(a),
          resource: s.resources ? resources : (r) => !resources(r),
        });
      }
    }
  }

  /** Explicit Deny wins over any Allow; nothing matching is an implicit deny. */
  decide(action: string, resource: string): Decision {
    const key = `${action} ${resource}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let allowedBy: string | undefined;
    let deniedBy: string | undefined;
    for (const r of this.rules) {
      if ((r.deny ? deniedBy : allowedBy) !== undefined) continue;
      if (r.action(action) && r.resource(resource)) {
        if (r.deny) deniedBy = r.policy;
        else allowedBy = r.policy;
      }
    }
    const decision: Decision = {
      decision: deniedBy ? 'EXPLICIT_DENY' : allowedBy ? 'ALLOWED' : 'IMPLICIT_DENY',
      ...(allowedBy ? { allowedBy } : {}),
      ...(deniedBy ? { deniedBy } : {}),
    };
    // A device uses a handful of topics; a flood of distinct ones must not grow this without end.
    if (this.cache.size >= 512) this.cache.clear();
    this.cache.set(key, decision);
    return decision;
  }
}
