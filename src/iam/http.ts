/**
 * Authorization of an HTTP request whose signature is verified: each check of the operation
 * (src/iam/actions.ts) against the signing user's policies, with the request's keys — aws:SourceIp,
 * aws:CurrentTime and aws:EpochTime (the injected clock), aws:SecureTransport, the user's own —
 * and aws:ResourceTag/<k> from the stored tags, read only when a statement for the action needs them.
 */
import { ServiceError } from '../errors.js';
import type { Context } from '../domain/policy/index.js';
import type { Check } from './actions.js';
import { accessDenied, decisionFields, type Iam } from './iam.js';

export interface HttpAuthRequest {
  accessKeyId: string;
  sourceIp: string;
  secure: boolean;
  checks: readonly Check[];
}

export interface HttpAuthResult {
  /** For the request's log line. */
  iam: Record<string, unknown> | Record<string, unknown>[];
  /** Set when a check was denied. */
  error?: ServiceError;
}

export type HttpAuthorize = (req: HttpAuthRequest) => Promise<HttpAuthResult>;

const RESOURCE_TAG = 'aws:resourcetag/';

/** aws:CurrentTime, formatted once per millisecond of the clock. */
let lastMs = NaN;
let lastIso = '';
function iso(ms: number): string {
  if (ms !== lastMs) (lastMs = ms), (lastIso = new Date(ms).toISOString());
  return lastIso;
}

export function httpAuthorizer(iam: Iam, o: { now: () => number; tagsOf: (arns: string[]) => Promise<Map<string, Record<string, string>>> }): HttpAuthorize {
  return async (req) => {
    const user = iam.userByKey(req.accessKeyId);
    // The file was reloaded between the signature check and now, without this key.
    if (!user) return { iam: { accessKeyId: req.accessKeyId }, error: new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.') };
    const now = o.now();
    const base: Context = {
      'aws:SourceIp': req.sourceIp,
      'aws:CurrentTime': iso(now),
      'aws:EpochTime': String(Math.floor(now / 1000)),
      'aws:SecureTransport': req.secure,
    };
    let tags: Map<string, Record<string, string>> | undefined;
    const logged: Record<string, unknown>[] = [];
    for (const c of req.checks) {
      let needsTags = false;
      for (const k of user.policies.keysFor(c.action)) if (k.startsWith(RESOURCE_TAG)) needsTags = true;
      if (needsTags && !tags) tags = await o.tagsOf([...new Set(req.checks.flatMap((x) => x.resources))]);
      const d = iam.decide(user, c.action, c.resources, c.context ? { ...base, ...c.context } : base, needsTags ? { resourceContext: (r) => tags!.get(r) } : {});
      logged.push(decisionFields(user, c.resources, d));
      if (!d.allowed) return { iam: logged.length === 1 ? logged[0]! : logged, error: accessDenied(user, d) };
    }
    return { iam: logged.length === 1 ? logged[0]! : logged };
  };
}
