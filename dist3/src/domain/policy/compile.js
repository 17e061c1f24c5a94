/**
 * Reads and checks a policy document (the IAM grammar), and compiles each statement once into
 * matchers: a policy set is compiled when loaded, never per request.
 */
import { compileCondition, ConditionError } from './conditions.js';
import { arnMatcher, globMatcher } from './wildcard.js';
import { parseTemplate } from './variables.js';
/** An invalid policy; `statement` names the statement at fault when there is one. */
export class PolicyError extends Error {
    statement;
    constructor(message, statement) {
        super(statement ? `${statement}: ${message}` : message);
        this.statement = statement;
        this.name = 'PolicyError';
    }
}
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const DOC_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;
/** `statement 2 (Sid "CanaryOnly")`, 1-based as people count. */
export function statementLabel(index, sid) {
    return `statement ${index + 1}${sid !== undefined ? ` (Sid "${sid}")` : ''}`;
}
const labels = new WeakMap();
/** `user ci, policy 1: statement 2 (Sid "CanaryOnly") [Allow]`, for logs and the CLI (made once per statement). */
export function describeStatement(ref) {
    let label = labels.get(ref);
    if (label === undefined) {
        label = `${ref.policyName ?? `policy ${ref.policy + 1}`}: ${statementLabel(ref.index, ref.sid)} [${ref.effect}]`;
        labels.set(ref, label);
    }
    return label;
}
function strings(v, field, label) {
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0 || !list.every((x) => typeof x === 'string' && x.length > 0)) {
        throw new PolicyError(`${field} must be a non-empty string or a non-empty array of strings`, label);
    }
    return list;
}
function compileStatement(raw, policy, index, variables, name, sids) {
    const where = (sid) => (name ? `${name}, ` : '') + statementLabel(index, sid);
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        throw new PolicyError('a statement must be an object', where());
    const s = raw;
    if (s.Sid !== undefined && (typeof s.Sid !== 'string' || !/^[a-zA-Z0-9 _-]*$/.test(s.Sid))) {
        throw new PolicyError('Sid must be a string of letters, digits, spaces, _ and -', where());
    }
    const sid = s.Sid;
    const label = where(sid);
    if (sid !== undefined && sid !== '') {
        if (sids.has(sid))
            throw new PolicyError('Sid is used twice in the same policy', label);
        sids.add(sid);
    }
    for (const k of Object.keys(s)) {
        if (k === 'Principal' || k === 'NotPrincipal')
            throw new PolicyError(`${k} is not allowed in an identity-based policy`, label);
        if (!STATEMENT_KEYS.has(k))
            throw new PolicyError(`unknown field ${k}`, label);
    }
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
        throw new PolicyError('Effect must be "Allow" or "Deny"', label);
    if ((s.Action === undefined) === (s.NotAction === undefined))
        throw new PolicyError('exactly one of Action and NotAction is required', label);
    if ((s.Resource === undefined) === (s.NotResource === undefined))
        throw new PolicyError('exactly one of Resource and NotResource is required', label);
    const notAction = s.Action === undefined;
    const actions = strings(notAction ? s.NotAction : s.Action, notAction ? 'NotAction' : 'Action', label).map((a) => {
        if (!ACTION.test(a))
            throw new PolicyError(`Action ${JSON.stringify(a)} must be "*" or "service:Action"`, label);
        return globMatcher(a, true);
    });
    const notResource = s.Resource === undefined;
    const resources = strings(notResource ? s.NotResource : s.Resource, notResource ? 'NotResource' : 'Resource', label).map((r) => {
        if (r !== '*' && !(r.startsWith('arn:') && r.split(':').length >= 6)) {
            throw new PolicyError(`Resource ${JSON.stringify(r)} must be "*" or an ARN (arn:partition:service:region:account:resource)`, label);
        }
        const t = parseTemplate(r, variables);
        return t.hasVariables ? { template: t } : { matcher: arnMatcher(t.parts.join('')) };
    });
    let conditions = [];
    if (s.Condition !== undefined) {
        try {
            conditions = compileCondition(s.Condition, variables);
        }
        catch (e) {
            if (e instanceof ConditionError)
                throw new PolicyError(e.message, label);
            throw e;
        }
    }
    const ref = { policy, index, effect: s.Effect, ...(name !== undefined && { policyName: name }), ...(sid !== undefined && { sid }) };
    return { ref, deny: s.Effect === 'Deny', notAction, actions, notResource, resources, conditions };
}
/** Checks and compiles one policy document (an object, or its JSON text). */
export function compilePolicy(input, policy = 0) {
    let doc = input.document;
    const name = input.name;
    if (typeof doc === 'string') {
        try {
            doc = JSON.parse(doc);
        }
        catch (e) {
            throw new PolicyError(`${name ? `${name}: ` : ''}not valid JSON (${e.message})`);
        }
    }
    const at = name ? `${name}: ` : '';
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
        throw new PolicyError(`${at}a policy must be a JSON object`);
    const d = doc;
    for (const k of Object.keys(d))
        if (!DOC_KEYS.has(k))
            throw new PolicyError(`${at}unknown field ${k} (a policy has Version, Id and Statement)`);
    if (d.Version !== undefined && !VERSIONS.has(d.Version))
        throw new PolicyError(`${at}Version must be "2012-10-17" or "2008-10-17"`);
    const list = Array.isArray(d.Statement) ? d.Statement : d.Statement === undefined ? [] : [d.Statement];
    if (list.length === 0)
        throw new PolicyError(`${at}Statement is required (an object or a non-empty array)`);
    const variables = d.Version === '2012-10-17';
    const sids = new Set();
    return list.map((s, i) => compileStatement(s, policy, i, variables, name, sids));
}
//# sourceMappingURL=compile.js.map