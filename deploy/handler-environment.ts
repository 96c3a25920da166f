import { readFileSync } from 'node:fs';
import { type Config, configSchema } from '../src/config/config-schema.js';
import { defaultConfigPath } from '../src/config/default-config-path.js';
import { envNameOf } from '../src/config/env-config.js';

/**
 * The environment of the exporter Lambda functions: the same `DURABLE_EXPORT_<SECTION>_<KEY>`
 * variables the CLI reads (src/config/env-config.ts names them), so the handlers load their
 * configuration as the CLI does: shipped defaults, then these variables.
 */

export type RateLimits = Config['lambda']['rateLimits'];

export interface HandlerEnvironmentOptions {
  /** Function names or ARNs to export (`export.functions`). */
  readonly functions: readonly string[];
  /** `s3://BUCKET/PREFIX` (`export.out`); the bucket may be a CDK token. */
  readonly out: string;
  /** Per-API request rates (`lambda.rateLimits`); default: the shipped defaults stay in force. */
  readonly rateLimits?: RateLimits;
  /** KMS key ARN: every object is written with SSE-KMS under it (`s3.sse`, `s3.kmsKeyId`). */
  readonly kmsKeyArn?: string;
}

export function handlerEnvironment(options: HandlerEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {
    [envNameOf('export', 'out')]: options.out,
    [envNameOf('export', 'functions')]: options.functions.join(','),
    // Source maps of the bundle (scripts/bundle-lambda.ts) for readable stack traces in the logs.
    NODE_OPTIONS: '--enable-source-maps',
  };
  if (options.rateLimits) env[envNameOf('lambda', 'rateLimits')] = JSON.stringify(options.rateLimits);
  if (options.kmsKeyArn) {
    env[envNameOf('s3', 'sse')] = 'aws:kms';
    env[envNameOf('s3', 'kmsKeyId')] = options.kmsKeyArn;
  }
  return env;
}

/** `lambda.rateLimits` of the shipped config/default.json: AWS's quota per account and Region. */
export function shippedRateLimits(): RateLimits {
  const defaults = configSchema.parse(JSON.parse(readFileSync(defaultConfigPath(), 'utf8')));
  return defaults.lambda.rateLimits;
}

/**
 * The rates of one handler instance when up to `concurrency` instances run at once (the event
 * source mapping's maximum concurrency): each API's quota divided by it, so that together they
 * stay within the quota. Rounded down to a thousandth (the rates are per second; 15 / 1000 is
 * still 0.015).
 */
export function ratesPerInstance(quota: RateLimits, concurrency: number): RateLimits {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  const share = (rate: number) => Math.max(0.001, Math.floor((rate / concurrency) * 1000) / 1000);
  return Object.fromEntries(Object.entries(quota).map(([api, rate]) => [api, share(rate)])) as RateLimits;
}
