/**
 * The errors the local service answers with, each with its HTTP status and `x-amzn-ErrorType`
 * (docs/DURABLE-API.md §2.1): the SDK picks the exception class from the header.
 */

/** An error the service turns into an HTTP error response. */
export class LocalServiceError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    /** Which message key the modelled exception uses on the wire: `message` or `Message`. */
    readonly messageKey: 'message' | 'Message',
    /** The body's `Type`: `User` for client errors, `Service` for server errors. */
    readonly faultType: 'User' | 'Service',
    readonly extraHeaders: Record<string, string> = {},
    readonly extraBody: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = errorType;
  }

  /** The JSON body for this error. */
  body(): Record<string, unknown> {
    return { Type: this.faultType, [this.messageKey]: this.message, ...this.extraBody };
  }
}

/** 400 InvalidParameterValueException (bad MaxItems, ARN, timestamp, marker or checkpoint token). */
export function invalidParameter(message: string): LocalServiceError {
  return new LocalServiceError(400, 'InvalidParameterValueException', message, 'message', 'User');
}

/** 404 ResourceNotFoundException (unknown execution or function). */
export function resourceNotFound(message: string): LocalServiceError {
  return new LocalServiceError(404, 'ResourceNotFoundException', message, 'Message', 'User');
}

/** 429 TooManyRequestsException with `Retry-After` in seconds and `Reason: CallerRateLimitExceeded`. */
export function tooManyRequests(retryAfterSeconds: number): LocalServiceError {
  return new LocalServiceError(
    429,
    'TooManyRequestsException',
    `Rate exceeded (local service throttle); retry after ${retryAfterSeconds} s`,
    'message',
    'User',
    { 'Retry-After': String(retryAfterSeconds) },
    { Reason: 'CallerRateLimitExceeded' },
  );
}

/** 500 ServiceException: the service failed on its own. */
export function serviceException(message: string): LocalServiceError {
  return new LocalServiceError(500, 'ServiceException', message, 'Message', 'Service');
}

/** 404 UnknownOperationException: no route matches the method and path. */
export function unknownRoute(method: string, path: string): LocalServiceError {
  return new LocalServiceError(
    404,
    'UnknownOperationException',
    `No route for ${method} ${path}. This local service serves only GET /2025-12-01/functions/{FunctionName}/durable-executions, ` +
      'GET /2025-12-01/durable-executions/{DurableExecutionArn}, .../history and .../state',
    'message',
    'User',
  );
}

/**
 * 403 AccessDeniedException: the caller's account has no grant on the resource (caller routing: a
 * function or execution of another account).
 */
export function accessDenied(message: string): LocalServiceError {
  return new LocalServiceError(403, 'AccessDeniedException', message, 'Message', 'User');
}

/** 403 ExpiredTokenException: the request was signed with temporary credentials that expired. */
export function expiredToken(): LocalServiceError {
  return new LocalServiceError(
    403,
    'ExpiredTokenException',
    'The security token included in the request is expired',
    'message',
    'User',
  );
}

/** 403 MissingAuthenticationTokenException: caller routing needs a SigV4 `Authorization` header. */
export function missingAuthentication(): LocalServiceError {
  return new LocalServiceError(
    403,
    'MissingAuthenticationTokenException',
    'Missing Authentication Token: caller routing reads the account and Region from the SigV4 Authorization header',
    'message',
    'User',
  );
}
