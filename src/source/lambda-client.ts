import { LambdaClient } from '@aws-sdk/client-lambda';
import type { RateLimiter } from './rate-limiter.js';

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
}

/**
 * The real `LambdaClient` with the standard credential chain, the SDK's own retry strategy
 * (standard mode, full-jitter backoff, `Retry-After`), and one shared rate limiter under it.
 */
export function createLambdaClient(options: LambdaClientOptions): LambdaClient {
  const client = new LambdaClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
    },
  });
  options.limiter?.attachTo(client);
  return client;
}
