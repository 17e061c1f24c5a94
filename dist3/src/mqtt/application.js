import { ServiceError } from '../errors.js';
import { createVerifier } from '../auth/sigv4.js';
/**
 * The one decision for an application identity: may it do `action` on `resource` (a client/,
 * topic/ or topicfilter/ ARN, docs/mqtt.md)? Allows everything for now: IAM policy evaluation
 * plugs in here. Called for CONNECT, each PUBLISH, each SUBSCRIBE filter and each delivery.
 */
export function authorizeApplication(identity, action, resource) {
    return identity.authorize ? identity.authorize(action, resource) : true;
}
/** The signing names an application may scope its URL to: AWS's, and the one some clients use (perimeter.md §5.2). */
const SERVICES = new Map([
    ['iotdevicegateway', 'iotdevicegateway'],
    ['iotdata', 'iotdevicegateway'],
]);
const TOKEN = /(^|&)X-Amz-Security-Token=[^&]*/;
/**
 * Verifies a WebSocket upgrade to /mqtt: undefined when the URL carries no signature (a device,
 * as before), the application identity when it is good, a ServiceError (answered 403) when not.
 * The session token is appended after signing (AWS IoT's convention, not part of the signature);
 * a URL that signed it as an ordinary query parameter (botocore's SigV4QueryAuth) is accepted too.
 */
export function upgradeVerifier(o) {
    const verify = createVerifier({
        services: SERVICES,
        credentials: o.credentials,
        region: o.region,
        expiresOptional: true,
        alsoAccept: o.alsoAccept,
        ...(o.iam ? { secretOf: o.iam.secretOf } : {}),
    });
    const iam = o.iam;
    const identity = (accessKeyId) => ({
        kind: 'application',
        accessKeyId,
        ...(iam ? { authorize: (action, resource) => iam.authorize(accessKeyId, action, resource) } : {}),
    });
    return (req) => {
        const rawUrl = req.url ?? '/';
        const q = rawUrl.indexOf('?');
        const query = q < 0 ? '' : rawUrl.slice(q + 1);
        if (!/(^|&)X-Amz-(Algorithm|Signature|Credential)=/.test(query))
            return undefined;
        const withoutToken = TOKEN.test(query) ? `${rawUrl.slice(0, q)}?${query.replace(TOKEN, '').replace(/^&/, '')}` : undefined;
        const attempt = (url) => verify({ method: 'GET', rawUrl: url, headers: req.headers, body: undefined });
        try {
            return identity(attempt(withoutToken ?? rawUrl).accessKeyId);
        }
        catch (err) {
            if (withoutToken !== undefined && err instanceof ServiceError && err.code === 'InvalidSignatureException') {
                try {
                    return identity(attempt(rawUrl).accessKeyId);
                }
                catch {
                    // The first answer explains it better.
                }
            }
            return err instanceof ServiceError ? err : new ServiceError('InvalidSignatureException', 'The signature could not be verified');
        }
    };
}
//# sourceMappingURL=application.js.map