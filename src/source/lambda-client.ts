import { LambdaClient } from '@aws-sdk/client-lambda';
import type { RateLimiter } from './rate-limiter.js';
import { ExportRetryStrategy } from './retry-strategy.js';

export interface LambdaClientOptions {
  /** AWS region; default from the standard chain (`AWS_REGION`, profile). */
  region?: string;
  /** Endpoint override (`--endpoint-url-lambda`); `AWS_ENDPOINT_URL_LAMBDA` is honoured by the SDK itself. */
  endpoint?: string;
  maxAttempts: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  /** Every HTTP attempt of this client, retries included, goes through this limiter. */
  limiter?: RateLimiter;
  /** Retry strategy; default `ExportRetryStrategy` (standard, `KMS*Exception` never retried), counting into the limiter's stats. */
  retryStrategy?: ExportRetryStrategy;
}

/**
 * The real `LambdaClient` with the standard credential chain, the SDK's own retry strategy
 * (standard mode, full-jitter backoff, `Retry-After`; `KMS*Exception` 502s are not retried, see
 * `ExportRetryStrategy`), and one shared rate limiter under it.
 */
export function createLambdaClient(options: LambdaClientOptions): LambdaClient {
  const client = new LambdaClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts,
    retryStrategy:
      options.retryStrategy ??
      new ExportRetryStrategy({
        maxAttempts: options.maxAttempts,
        ...(options.limiter ? { stats: options.limiter.stats } : {}),
      }),
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting; a
      // stalled answer would hold an execution (and a limiter slot) forever. As an error it is a
      // TimeoutError, which the retry strategy retries.
      throwOnRequestTimeout: true,
    },
  });
  options.limiter?.attachTo(client);
  return client;
}
