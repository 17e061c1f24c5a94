/**
 * IoT Core policy documents: the IAM grammar (Version, Statement[Effect, Action/NotAction,
 * Resource/NotResource, Condition]) checked once, when a policy or version is created.
 * Anything else is a MalformedPolicyException (perimeter.md §4.1, §4.2).
 */

export class MalformedPolicy extends Error {}

export type Effect = 'Allow' | 'Deny';

/** Condition operator → key → values, as written (operator names as AWS spells them). */
export type Conditions = Record<string, Record<string, string[]>>;

export interface Statement {
  effect: Effect;
  /** Exactly one of actions / notActions. */
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions: Conditions;
}

/** The operators the evaluator implements; a document using another is refused rather than misread. */
export const CONDITION_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Bool',
  'Null',
]);

/** The guide's and the model doc's limit: 2048 characters, whitespace not counted. */
export const MAX_POLICY_CHARS = 2048;
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

const strings = (v: unknown, what: string): string[] => {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string' && x.length > 0))
    throw new MalformedPolicy(`${what} must be a non-empty string or array of strings`);
  return list as string[];
};

function conditions(raw: unknown): Conditions {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MalformedPolicy('Condition must be an object');
  const out: Conditions = {};
  for (const [op, block] of Object.entries(raw)) {
    const base = op.replace(/^For(All|Any)Values:/, '').replace(/IfExists$/, '');
    if (!CONDITION_OPERATORS.has(base)) throw new MalformedPolicy(`Condition operator ${op} is not supported`);
    if (typeof block !== 'object' || block === null || Array.isArray(block)) throw new MalformedPolicy(`Condition ${op} must be an object`);
    out[op] = {};
    for (const [key, values] of Object.entries(block)) {
      const list = typeof values === 'boolean' ? [String(values)] : strings(values, `Condition ${op} ${key}`);
      out[op][key] = list;
    }
  }
  return out;
}

function statement(raw: unknown, i: number): Statement {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new MalformedPolicy(`Statement ${i} must be an object`);
  const s = raw as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(k)) throw new MalformedPolicy(`Statement ${i} has an unknown element ${k}`);
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new MalformedPolicy(`Statement ${i}: Effect must be Allow or Deny`);
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw new MalformedPolicy(`Statement ${i} needs exactly one of Action and NotAction`);
  if ((s.Resource === undefined) === (s.NotResource === undefined)) throw new MalformedPolicy(`Statement ${i} needs exactly one of Resource and NotResource`);
  const out: Statement = { effect: s.Effect, conditions: conditions(s.Condition) };
  if (s.Action !== undefined) out.actions = strings(s.Action, `Statement ${i}: Action`);
  else out.notActions = strings(s.NotAction, `Statement ${i}: NotAction`);
  if (s.Resource !== undefined) out.resources = strings(s.Resource, `Statement ${i}: Resource`);
  else out.notResources = strings(s.NotResource, `Statement ${i}: NotResource`);
  for (const a of out.actions ?? out.notActions!) if (a !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(a)) throw new MalformedPolicy(`Statement ${i}: action ${a} is not valid`);
  return out;
}

/** The statements of a policy document, or MalformedPolicy saying what is wrong. */
export function parsePolicy(text: string): Statement[] {
  if (text.replace(/\s/g, '').length > MAX_POLICY_CHARS) throw new MalformedPolicy(`The policy document is longer than ${MAX_POLICY_CHARS} characters (whitespace not counted)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new MalformedPolicy('The policy document is not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new MalformedPolicy('The policy document must be a JSON object');
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!['Version', 'Id', 'Statement'].includes(k)) throw new MalformedPolicy(`The policy document has an unknown element ${k}`);
  if (d.Version !== undefined && !VERSIONS.has(d.Version as string)) throw new MalformedPolicy('Version must be 2012-10-17');
  if (d.Statement === undefined) throw new MalformedPolicy('The policy document has no Statement');
  const list = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (list.length === 0) throw new MalformedPolicy('Statement must not be empty');
  return list.map(statement);
}
