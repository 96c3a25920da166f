import { describeError, ExportError } from '../errors.js';

interface SdkErrorLike {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * The service's answer to a missing, malformed or superseded checkpoint token:
 * `InvalidParameterValueException` "Invalid checkpoint token" (docs/DURABLE-API.md §3.1). Matched on the
 * message, also when a service spells the error type so that the SDK names it `Unknown` (a 400 whose
 * type only sits in the body's `Type`, as AWS's Python emulator sends it, §2.2).
 */
export function isInvalidCheckpointToken(error: unknown): boolean {
  const e = error as SdkErrorLike;
  const badRequest = e?.name === 'InvalidParameterValueException' || e?.$metadata?.httpStatusCode === 400;
  return badRequest && /checkpoint token/i.test(e.message ?? '');
}

/** The exception name when `error` is one of the `KMS*Exception` family (502, permanent), else undefined. */
export function kmsErrorName(error: unknown): string | undefined {
  const name = (error as SdkErrorLike)?.name;
  return typeof name === 'string' && /^KMS\w*Exception$/.test(name) ? name : undefined;
}

/** Where a state read failed, for the error message and context. */
export interface StateReadPosition {
  executionArn: string;
  /** 1-based page of this read attempt; absent for a single call. */
  page?: number;
  marker?: string;
  /** What was being called, e.g. `GetDurableExecutionState` or `GetDurableExecution`. */
  api: string;
}

/**
 * The `ExportError` for a failed state read, with a reason a person can act on: a rejected token
 * (invalid, or superseded by a later checkpoint), a permanent KMS error (named), or the SDK error as is.
 * The SDK's own retries have already run; nothing here retries again.
 */
export function stateReadError(cause: unknown, at: StateReadPosition): ExportError {
  const where = `${at.api}${at.page ? ` page ${at.page}` : ''}${at.marker ? ` (marker ${at.marker})` : ''}`;
  const kms = kmsErrorName(cause);
  let reason: string;
  if (isInvalidCheckpointToken(cause)) {
    reason =
      'checkpoint token rejected: it is invalid or was superseded by a later checkpoint ' +
      `(a token is valid only until the execution's next checkpoint; ${describeError(cause)})`;
  } else if (kms) {
    reason = `permanent KMS error ${kms} (the execution's data key cannot be used; not retried further): ${describeError(cause)}`;
  } else {
    reason = describeError(cause);
  }
  return new ExportError(
    `reading state of ${at.executionArn} failed on ${where}: ${reason}`,
    { stage: 'source', executionArn: at.executionArn, marker: at.marker || undefined },
    { cause },
  );
}
