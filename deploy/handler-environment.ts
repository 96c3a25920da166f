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
  /** Function names or ARNs to export (`export.functions`); none for the work-item function, whose items name them. */
  readonly functions?: readonly string[];
  /** `s3://BUCKET/PREFIX` (`export.out`); the bucket may be a CDK token. */
  readonly out: string;
  /**
   * Instances that run at once (the event source mapping's or the Map's maximum concurrency):
   * `lambda.concurrentExporters`, by which each instance divides every quota (`rateShareOf`).
   */
  readonly concurrentExporters?: number;
  /** KMS key ARN: every object is written with SSE-KMS under it (`s3.sse`, `s3.kmsKeyId`). */
  readonly kmsKeyArn?: string;
}

export function handlerEnvironment(options: HandlerEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {
    [envNameOf('export', 'out')]: options.out,
    // Source maps of the bundle (scripts/bundle-lambda.ts) for readable stack traces in the logs.
    NODE_OPTIONS: '--enable-source-maps',
  };
  if (options.functions) env[envNameOf('export', 'functions')] = options.functions.join(',');
  if (options.concurrentExporters !== undefined) {
    env[envNameOf('lambda', 'concurrentExporters')] = String(options.concurrentExporters);
  }
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
