/**
 * AWS's evaluation logic for identity-based policies: an explicit Deny that matches any of the
 * request's resources wins; otherwise every resource needs a matching Allow; otherwise the request
 * is implicitly denied. Statements are filtered by action once per distinct action and remembered.
 */
import { testClause } from './conditions.js';
import { compilePolicy, describeStatement } from './compile.js';
import { arnMatcher } from './wildcard.js';
import { resolveTemplate } from './variables.js';
const resolvedCache = new Map();
function resolvedMatcher(pattern) {
    let m = resolvedCache.get(pattern);
    if (!m) {
        if (resolvedCache.size > 10_000)
            resolvedCache.clear();
        resolvedCache.set(pattern, (m = arnMatcher(pattern)));
    }
    return m;
}
/** Condition keys with lower-cased names and string values, in a Map. */
function normalize(context) {
    const map = new Map();
    for (const k in context) {
        const v = context[k];
        if (v === undefined)
            continue;
        const list = Array.isArray(v) ? v.map(String) : [String(v)];
        if (list.length > 0)
            map.set(k.toLowerCase(), list);
    }
    return map;
}
/**
 * Keys normalized once, for keys that stay the same from request to request (a user's own):
 * build it when the policies load and pass it with every request.
 */
export class PreparedContext {
    map;
    constructor(context) {
        this.map = normalize(context);
    }
}
/** Per-request state, built lazily: most statements read no keys and no variables. */
class RequestScope {
    req;
    extra;
    maps;
    /** `extra`: the keys of one resource (aws:ResourceTag/...), over the request's. */
    constructor(req, extra) {
        this.req = req;
        this.extra = extra;
    }
    /** The layers, later ones first: a key of a later layer hides the same key of an earlier one. */
    build() {
        const c = this.req.context;
        const layers = c === undefined ? [] : Array.isArray(c) ? [...c] : [c];
        if (this.extra)
            layers.push(this.extra);
        return layers.reverse().map((l) => (l instanceof PreparedContext ? l.map : normalize(l)));
    }
    get = (key) => {
        for (const m of (this.maps ??= this.build())) {
            const v = m.get(key);
            if (v !== undefined)
                return v;
        }
        return undefined;
    };
    vars = (name) => {
        const v = this.get(name.toLowerCase());
        if (v !== undefined)
            return v.length === 1 ? v[0] : undefined;
        const r = this.req.resolve?.(name);
        if (r === undefined || typeof r === 'string')
            return r;
        return r.length === 1 ? r[0] : undefined;
    };
}
function resourceMatches(s, resource, scope) {
    let hit = false;
    for (const p of s.resources) {
        if (p.matcher)
            hit = p.matcher(resource);
        else {
            const text = resolveTemplate(p.template, scope.vars);
            hit = text !== undefined && resolvedMatcher(text)(resource);
        }
        if (hit)
            break;
    }
    return s.notResource ? !hit : hit;
}
function applies(s, resource, scope) {
    if (!resourceMatches(s, resource, scope))
        return false;
    for (const c of s.conditions)
        if (!testClause(c, scope.get, scope.vars))
            return false;
    return true;
}
export class PolicySet {
    statements;
    byAction = new Map();
    keys = new Map();
    /** Compiles every document now; throws PolicyError naming the policy and statement at fault. */
    constructor(policies) {
        this.statements = policies.flatMap((p, i) => compilePolicy(p, i));
    }
    get size() {
        return this.statements.length;
    }
    forAction(action) {
        const key = action.toLowerCase();
        let list = this.byAction.get(key);
        if (!list) {
            list = this.statements.filter((s) => s.actions.some((m) => m(action)) !== s.notAction);
            if (this.byAction.size > 10_000)
                this.byAction.clear();
            this.byAction.set(key, list);
        }
        return list;
    }
    /**
     * The condition keys (lower-cased) that the statements for this action read: a caller fetches
     * costly context (stored tags) only when some statement needs it.
     */
    keysFor(action) {
        const key = action.toLowerCase();
        let keys = this.keys.get(key);
        if (!keys) {
            keys = new Set(this.forAction(action).flatMap((s) => s.conditions.map((c) => c.key)));
            this.keys.set(key, keys);
        }
        return keys;
    }
    evaluate(req) {
        const { action } = req;
        const resources = req.resources.length ? req.resources : ['*'];
        const candidates = this.forAction(action);
        const shared = new RequestScope(req);
        const allowedBy = [];
        let missing;
        for (const resource of resources) {
            const extra = req.resourceContext?.(resource);
            const scope = extra ? new RequestScope(req, extra) : shared;
            let allow;
            for (const s of candidates) {
                if (allow && !s.deny)
                    continue;
                if (!applies(s, resource, scope))
                    continue;
                if (s.deny) {
                    return {
                        allowed: false, kind: 'explicitDeny', action, resource, statement: s.ref,
                        needed: `${describeStatement(s.ref)} denies ${action} on ${resource}: narrow or remove that Deny`,
                    };
                }
                allow = s.ref;
            }
            if (allow)
                allowedBy.push({ resource, statement: allow });
            else
                missing ??= resource;
        }
        if (missing !== undefined) {
            return {
                allowed: false, kind: 'implicitDeny', action, resource: missing,
                needed: `an Allow statement with Action ${action} and Resource ${missing}${this.hasConditions(candidates) ? ' whose Condition holds' : ''}`,
            };
        }
        return { allowed: true, kind: 'allow', action, resource: resources[0], statement: allowedBy[allowedBy.length - 1].statement, allowedBy };
    }
    hasConditions(list) {
        return list.some((s) => !s.deny && s.conditions.length > 0);
    }
}
//# sourceMappingURL=evaluate.js.map