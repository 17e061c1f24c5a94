/**
 * An error that goes on the wire as an AWS-modeled exception. `code` is the shape name in the
 * service model (InvalidRequestException, ResourceNotFoundException, ...); the HTTP status is
 * looked up from the model by the codec, so it is never hard-coded here. `extra` holds modeled
 * or documented extra body members (resourceId, resourceArn, executionState).
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly extra: Record<string, unknown> | undefined;
  /** A finer reason that only some wires show (MQTT's VersionMismatch, TerminalStateReached). */
  reason: string | undefined;
  constructor(code: string, message: string, extra?: Record<string, unknown>) {
    super(message);
    this.name = code;
    this.code = code;
    this.extra = extra;
  }
}

export const invalidRequest = (message: string) => new ServiceError('InvalidRequestException', message);
export const notFound = (message: string) => new ServiceError('ResourceNotFoundException', message);
export const invalidStateTransition = (message: string, extra?: Record<string, unknown>) =>
  new ServiceError('InvalidStateTransitionException', message, extra);
export const limitExceeded = (message: string) => new ServiceError('LimitExceededException', message);
export const alreadyExists = (message: string, resourceId?: string, resourceArn?: string) =>
  new ServiceError('ResourceAlreadyExistsException', message, { resourceId, resourceArn });
export const versionConflict = (message: string) => new ServiceError('VersionConflictException', message);
export const serviceUnavailable = (message: string) => new ServiceError('ServiceUnavailableException', message);
