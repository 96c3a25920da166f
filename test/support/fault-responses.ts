/**
 * The canned faults the fault proxy injects, shaped exactly as AWS sends them (docs/DURABLE-API.md §2,
 * S3's REST XML errors), and the seeded draw that picks them.
 */
import { createHash, randomUUID } from 'node:crypto';

/** What a test-only override or an injected fault answers with. */
export interface RawResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/**
 * Lambda side: `throttle` 429 TooManyRequestsException with Retry-After; `serverError` 500
 * ServiceException; `reset` destroys the socket; `slow` delays the answer by `slowMs`; `expiredMarker`
 * answers a history page that carries a Marker with 400 "Marker expired".
 * S3 side (PUT: PutObject and UploadPart): `s3InternalError` 500 and `s3SlowDown` 503, XML bodies.
 */
export const LAMBDA_FAULTS = ['throttle', 'serverError', 'reset', 'slow', 'expiredMarker'] as const;
export const S3_FAULTS = ['s3InternalError', 's3SlowDown'] as const;
export type FaultKind = (typeof LAMBDA_FAULTS)[number] | (typeof S3_FAULTS)[number];

/**
 * A number in [0, 1) from the seed and the request's identity. The draw depends on what is asked
 * (method, path, attempt number, how often that request was seen), not on arrival order, so
 * concurrent requests get the same faults from run to run.
 */
export function seededDraw(seed: number, identity: string): number {
  return createHash('sha256').update(`${seed}\n${identity}`).digest().readUInt32BE(0) / 2 ** 32;
}

function json(status: number, errorType: string, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-ErrorType': errorType,
      'x-amzn-RequestId': randomUUID(),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function throttled(retryAfterSeconds: number): RawResponse {
  return json(
    429,
    'TooManyRequestsException',
    { Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function serviceException(): RawResponse {
  return json(500, 'ServiceException', { Type: 'Service', Message: 'injected internal failure' });
}

export function expiredMarker(): RawResponse {
  return json(400, 'InvalidParameterValueException', {
    Type: 'User',
    message: 'Marker expired: start the listing again without a Marker',
  });
}

/** 502 `KMS*Exception`, as Lambda answers when the execution's KMS key cannot be used. */
export function kmsException(name = 'KMSAccessDeniedException'): RawResponse {
  return json(502, name, {
    Type: 'User',
    Message: 'Lambda was unable to decrypt the durable execution data: access to the KMS key was denied',
  });
}

/** An S3 REST error: `<Error><Code>…</Code><Message>…</Message></Error>` with its status. */
export function s3Error(status: number, code: string, message: string): RawResponse {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}

export function s3InternalError(): RawResponse {
  return s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
}

export function s3SlowDown(): RawResponse {
  return s3Error(503, 'SlowDown', 'Please reduce your request rate.');
}

/** The attempt number the SDK's retry middleware writes into `amz-sdk-request: attempt=N; max=M`. */
export function attemptOf(header: string | string[] | undefined): number {
  const match = /attempt=(\d+)/.exec(Array.isArray(header) ? (header[0] ?? '') : (header ?? ''));
  return match ? Number(match[1]) : 1;
}
