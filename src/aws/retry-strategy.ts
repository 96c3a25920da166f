import { StandardRetryStrategy } from '@smithy/core/retry';

type RetryToken = Awaited<ReturnType<StandardRetryStrategy['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>[1];

/** What the retry strategy decided, for the run summary. */
export interface RetryStats {
  /** Retries granted (attempts after the first), all kinds. */
  retries: number;
  /** Errors refused a retry because they are permanent (e.g. `KMSAccessDeniedException`). */
  permanentErrors: number;
}

export interface ExportRetryStrategyOptions {
  /** Attempts per request, the first one included. */
  maxAttempts: number;
  /** True for an error that no retry can cure; default `isPermanentLambdaError`. */
  isPermanent?: (error: { name?: string }) => boolean;
  /** Counters to update (shared with the run summary); default a fresh object. */
  stats?: RetryStats;
}

/**
 * Lambda's `KMS*Exception` family arrives as HTTP 502, which the SDK's standard strategy retries as
 * transient; it is permanent (the execution's KMS key is denied, disabled, missing or in a bad state),
 * so retrying only delays the failure and spends retry quota (docs/DURABLE-API.md §2.2, §2.3).
 */
export function isPermanentLambdaError(error: { name?: string }): boolean {
  return typeof error.name === 'string' && /^KMS[A-Za-z]*Exception$/.test(error.name);
}

/**
 * The SDK's own `StandardRetryStrategy` (full-jitter backoff, `Retry-After`, the client-wide retry
 * quota), with one refinement: an error `isPermanent` names is never retried.
 *
 * This is the supported seam: every SDK v3 client takes a `retryStrategy` (a `RetryStrategyV2`), and
 * its retry middleware calls `refreshRetryTokenForRetry(token, { error, errorType })` after each
 * failed attempt; rejecting there surfaces the original error at once. Classifying in a custom
 * middleware instead would mean rewriting the error's status code or `$retryable` trait before the
 * retry middleware sees it, which misreports the error.
 */
export class ExportRetryStrategy {
  readonly mode = 'standard';
  readonly stats: RetryStats;
  private readonly inner: StandardRetryStrategy;
  private readonly isPermanent: (error: { name?: string }) => boolean;

  constructor(options: ExportRetryStrategyOptions) {
    this.inner = new StandardRetryStrategy({ maxAttempts: options.maxAttempts });
    this.isPermanent = options.isPermanent ?? isPermanentLambdaError;
    this.stats = options.stats ?? { retries: 0, permanentErrors: 0 };
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.inner.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (errorInfo.error && this.isPermanent(errorInfo.error)) {
      this.stats.permanentErrors++;
      throw new Error(`${errorInfo.error.name} is permanent; not retried`);
    }
    const next = await this.inner.refreshRetryTokenForRetry(token, errorInfo);
    this.stats.retries++;
    return next;
  }

  recordSuccess(token: RetryToken): void {
    this.inner.recordSuccess(token);
  }

  /** Remaining client-wide retry quota (500 tokens at the start). */
  getCapacity(): number {
    return this.inner.getCapacity();
  }
}
