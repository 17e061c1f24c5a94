/** Shapes shared by the policy engine's parts; see index.ts for the API. */

/** A context value: condition keys are single strings or sets (aws:TagKeys); numbers and booleans are compared as IAM does, as text. */
export type ContextValue = string | number | boolean | readonly (string | number | boolean)[];

/** Request context keyed by condition key name (any case: IAM key names are case-insensitive). */
export type Context = Readonly<Record<string, ContextValue | undefined>>;

/**
 * Resolves a policy variable (`${name}`) that is not in the request context: the IoT engine resolves
 * `iot:Connection.Thing.Attributes[x]` and certificate variables here. Undefined = unresolved, which
 * makes the pattern or condition value holding it match nothing (as AWS documents).
 */
export type VariableResolver = (name: string) => string | readonly string[] | undefined;

/** A context, or one normalized once (PreparedContext, for keys that stay the same). */
export type ContextLayer = Context | { readonly map: ReadonlyMap<string, readonly string[]> };

export interface AuthRequest {
  /** `service:Action`, e.g. `iot:CreateJob`. */
  action: string;
  /** Every resource the action is authorized against; each must be allowed. `['*']` for actions without resource types. */
  resources: readonly string[];
  /** Condition keys; several layers may be given, a later one hiding the same key of an earlier one. */
  context?: ContextLayer | readonly ContextLayer[];
  /** Keys that belong to one resource (aws:ResourceTag/<k> of that resource), over `context`. */
  resourceContext?: (resource: string) => Context | undefined;
  resolve?: VariableResolver;
}

/** Where a statement sits: which policy of the set, which statement of the policy, its Sid. */
export interface StatementRef {
  policy: number;
  /** A label given at compile time (a user's policy name or file position), for logs. */
  policyName?: string;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
}

export type DecisionKind = 'allow' | 'explicitDeny' | 'implicitDeny';

export interface Decision {
  allowed: boolean;
  kind: DecisionKind;
  action: string;
  /** For a denial, the resource that was denied (the first in request order); for an allow, the first resource. */
  resource: string;
  /**
   * The deciding statement: the Deny that matched, or the Allow that admitted the last resource checked
   * (`allowedBy` has each). Undefined for an implicit deny (no statement decided).
   */
  statement?: StatementRef;
  /** For an allow: the statement that allowed each resource, in request order. */
  allowedBy?: { resource: string; statement: StatementRef }[];
  /** For a denial: what would be needed, in words (an Allow to add, or the Deny to narrow). */
  needed?: string;
}
