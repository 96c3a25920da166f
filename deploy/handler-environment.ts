import { readFileSync } from 'node:fs';
import { type Config, configSchema } from '../src/config/config-schema.js';
import { defaultConfigPath } from '../src/config/default-config-path.js';
import { envNameOf } from '../src/config/env-config.js';
import type { ExportTarget } from '../src/config/target-schema.js';
import type { FunctionSelectionProps } from './function-scope.js';

/**
 * The environment of the exporter Lambda functions: the same `DURABLE_EXPORT_<SECTION>_<KEY>`
 * variables the CLI reads (src/config/env-config.ts names them), so the handlers load their
 * configuration as the CLI does: shipped defaults, then these variables.
 */

export type RateLimits = Config['lambda']['rateLimits'];

export interface HandlerEnvironmentOptions {
  /**
   * Which functions to export (`export.functions`, or `export.allFunctions` with its prefix and
   * tags: `FunctionScope.selection`); none for the work-item function, whose items name them, and
   * the events function, whose messages name the executions.
   */
  readonly selection?: FunctionSelectionProps;
  /** Where the first scheduled run of a function with no watermark starts (`export.startedAfter`). */
  readonly startedAfter?: string;
  /** The accounts and Regions to read (`export.targets`); for the scheduled and plan functions. */
  readonly targets?: readonly ExportTarget[];
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
  const selection = options.selection ?? {};
  if (selection.functions) env[envNameOf('export', 'functions')] = selection.functions.join(',');
  if (selection.allFunctions) env[envNameOf('export', 'allFunctions')] = 'true';
  // As JSON: a prefix of digits stays a string, a tag value may hold a comma (src/config/env-config.ts).
  if (selection.functionPrefix !== undefined) {
    env[envNameOf('export', 'functionPrefix')] = JSON.stringify(selection.functionPrefix);
  }
  if (selection.functionTags?.length) {
    env[envNameOf('export', 'functionTags')] = JSON.stringify(selection.functionTags);
  }
  if (options.targets) env[envNameOf('export', 'targets')] = JSON.stringify(options.targets);
  if (options.startedAfter !== undefined) env[envNameOf('export', 'startedAfter')] = options.startedAfter;
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
