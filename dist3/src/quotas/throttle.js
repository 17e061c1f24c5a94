import { ServiceError } from '../errors.js';
/**
 * The throttling hook: every operation, from HTTP or MQTT, takes its tokens before it runs. The
 * codec puts ThrottlingException on the wire at the model's status (control plane 400, data plane
 * 429) with no Retry-After, as AWS; the MQTT adapter turns it into `RequestThrottled`.
 */
/** A ThrottlingException that knows which bucket was empty (for the request log, not the wire). */
export class ThrottledError extends ServiceError {
    bucket;
    constructor(bucket) {
        // AWS's text (perimeter.md §7.3); it does not name the limit either.
        super('ThrottlingException', 'Rate exceeded');
        this.bucket = bucket;
    }
}
export const throttledBucket = (err) => (err instanceof ThrottledError ? err.bucket : undefined);
export function throttle(dispatch, limiter, counter) {
    return (service, operation, input) => {
        const thingName = typeof input.thingName === 'string' ? input.thingName : undefined;
        const refused = limiter.take(service, operation, thingName);
        if (refused) {
            counter?.inc({ operation, bucket: refused.bucket });
            return Promise.reject(new ThrottledError(refused.bucket));
        }
        return dispatch(service, operation, input);
    };
}
//# sourceMappingURL=throttle.js.map