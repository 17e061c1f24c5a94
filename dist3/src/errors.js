/**
 * An error that goes on the wire as an AWS-modeled exception. `code` is the shape name in the
 * service model (InvalidRequestException, ResourceNotFoundException, ...); the HTTP status is
 * looked up from the model by the codec, so it is never hard-coded here. `extra` holds modeled
 * or documented extra body members (resourceId, resourceArn, executionState).
 */
export class ServiceError extends Error {
    code;
    extra;
    /** A finer reason that only some wires show (MQTT's VersionMismatch, TerminalStateReached). */
    reason;
    constructor(code, message, extra) {
        super(message);
        this.name = code;
        this.code = code;
        this.extra = extra;
    }
}
export const invalidRequest = (message) => new ServiceError('InvalidRequestException', message);
export const notFound = (message) => new ServiceError('ResourceNotFoundException', message);
export const invalidStateTransition = (message, extra) => new ServiceError('InvalidStateTransitionException', message, extra);
export const limitExceeded = (message) => new ServiceError('LimitExceededException', message);
export const alreadyExists = (message, resourceId, resourceArn) => new ServiceError('ResourceAlreadyExistsException', message, { resourceId, resourceArn });
export const versionConflict = (message) => new ServiceError('VersionConflictException', message);
export const serviceUnavailable = (message) => new ServiceError('ServiceUnavailableException', message);
//# sourceMappingURL=errors.js.map