/**
 * The policy engine: IAM's policy language and evaluation logic, pure (it imports nothing of ours),
 * shared by IAM users on the HTTP API and by AWS IoT Core policies on MQTT.
 *
 * API
 *   new PolicySet([{ document, name? }, ...])
 *       Checks and compiles the documents once (JSON text or parsed objects). Throws PolicyError
 *       whose message names the policy (`name`) and the statement (`statement 2 (Sid "X")`).
 *   set.evaluate({ action, resources, context?, resolve? }): Decision
 *       action     `service:Action`; matched case-insensitively against Action/NotAction.
 *       resources  every ARN the request is authorized against; each must be allowed. Use ['*'] for
 *                  actions without a resource type (only `"Resource": "*"`, or a NotResource, matches).
 *       context    condition keys → value or array of values (a set, e.g. aws:TagKeys); key names are
 *                  case-insensitive. A key the caller does not supply is a missing key, as in IAM.
 *                  Also a list of layers (later ones win), any of which may be a PreparedContext
 *                  (new PreparedContext(keys): normalized once, for keys that do not change).
 *       resourceContext  optional (resource) => keys of that resource only (aws:ResourceTag/<k>),
 *                  laid over `context` while that resource is checked.
 *       resolve    optional VariableResolver for `${...}` policy variables not found in `context`
 *                  (e.g. `iot:Connection.Thing.Attributes[Color]`). Variables found in `context`
 *                  (`${aws:username}`, `${iot:ClientId}` when passed as context) need no resolver.
 *       Decision   { allowed, kind: 'allow' | 'explicitDeny' | 'implicitDeny', action, resource
 *                  (the denied one, or the first), statement (the deciding StatementRef: the Deny
 *                  that matched, or an Allow), allowedBy (per resource), needed (for a denial: the
 *                  statement that would be needed, in words) }.
 *   set.keysFor(action)  the lower-cased condition keys the action's statements read (fetch costly
 *       context, such as stored tags, only when needed).
 *   describeStatement(ref)  `user ci, policy 1: statement 2 (Sid "X") [Allow]` for logs.
 *
 * Language: Version 2012-10-17 (variables) or 2008-10-17 / none (`${...}` is literal text);
 * Statement as an object or an array; Sid, Effect, Action | NotAction, Resource | NotResource,
 * Condition. Principal is refused (identity-based policies only). Wildcards `*` and `?` are IAM's,
 * never MQTT's (`+` and `#` are literal). ARN patterns match component by component. Condition
 * operators: String*, Arn*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Null,
 * every `...IfExists` form, and the `ForAnyValue:` / `ForAllValues:` set prefixes.
 */
export { PolicySet, PreparedContext } from './evaluate.js';
export { PolicyError, describeStatement, statementLabel } from './compile.js';
//# sourceMappingURL=index.js.map