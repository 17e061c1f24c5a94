/**
 * Authorization of an HTTP request whose signature is verified: each check of the operation
 * (src/iam/actions.ts) against the signing user's policies, with the request's keys — aws:SourceIp,
 * aws:CurrentTime and aws:EpochTime (the injected clock), aws:SecureTransport, the user's own —
 * and aws:ResourceTag/<k> from the stored tags, read only when a statement for the action needs them.
 */
import { ServiceError } from '../errors.js';
import { accessDenied, decisionFields } from './iam.js';
const RESOURCE_TAG = 'aws:resourcetag/';
/** aws:CurrentTime, formatted once per millisecond of the clock. */
let lastMs = NaN;
let lastIso = '';
function iso(ms) {
    if (ms !== lastMs)
        (lastMs = ms), (lastIso = new Date(ms).toISOString());
    return lastIso;
}
export function httpAuthorizer(iam, o) {
    return async (req) => {
        const user = iam.userByKey(req.accessKeyId);
        // The file was reloaded between the signature check and now, without this key.
        if (!user)
            return { iam: { accessKeyId: req.accessKeyId }, error: new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.') };
        const now = o.now();
        const base = {
            'aws:SourceIp': req.sourceIp,
            'aws:CurrentTime': iso(now),
            'aws:EpochTime': String(Math.floor(now / 1000)),
            'aws:SecureTransport': req.secure,
        };
        let tags;
        const logged = [];
        for (const c of req.checks) {
            let needsTags = false;
            for (const k of user.policies.keysFor(c.action))
                if (k.startsWith(RESOURCE_TAG))
                    needsTags = true;
            if (needsTags && !tags)
                tags = await o.tagsOf([...new Set(req.checks.flatMap((x) => x.resources))]);
            const d = iam.decide(user, c.action, c.resources, c.context ? { ...base, ...c.context } : base, needsTags ? { resourceContext: (r) => tags.get(r) } : {});
            logged.push(decisionFields(user, c.resources, d));
            if (!d.allowed)
                return { iam: logged.length === 1 ? logged[0] : logged, error: accessDenied(user, d) };
        }
        return { iam: logged.length === 1 ? logged[0] : logged };
    };
}
//# sourceMappingURL=http.js.map