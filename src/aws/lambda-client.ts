import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientOptions } from './aws-connection.js';
import { awsClientConfig } from './client-config.js';
import type { RateLimiter } from './rate-limiter.js';
import { ExportRetryStrategy } from './retry-strategy.js';

export interface LambdaClientOptions extends AwsClientOptions {
  /** Attempts per request, the first included (`lambda.maxAttempts`). */
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Every HTTP attempt of this client, retries included, goes through this limiter. */
  readonly limiter?: RateLimiter;
  /** Retry strategy; default `ExportRetryStrategy` (standard, `KMS*Exception` never retried), counting into the limiter's stats. */
  readonly retryStrategy?: ExportRetryStrategy;
}

/**
 * The real `LambdaClient` with the shared endpoint, region and timeout rules (`awsClientConfig`),
 * the SDK's own retry strategy (standard mode, full-jitter backoff, `Retry-After`; `KMS*Exception`
 * 502s are not retried, see `ExportRetryStrategy`), and one shared rate limiter under it.
 */
export function createLambdaClient(options: LambdaClientOptions): LambdaClient {
  const client = new LambdaClient({
    ...awsClientConfig('lambda', options),
    retryStrategy:
      options.retryStrategy ??
      new ExportRetryStrategy({ maxAttempts: options.maxAttempts, stats: options.limiter?.stats }),
  });
  options.limiter?.attachTo(client);
  return client;
}
