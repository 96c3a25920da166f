import type { Config, PartialConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';

/**
 * The configuration of a Lambda handler, read as the CLI reads it: the shipped defaults, a file
 * named by `DURABLE_EXPORT_CONFIG` (or the default user file, as for the CLI), then the
 * `DURABLE_EXPORT_<SECTION>_<KEY>` variables of `env` (`DURABLE_EXPORT_EXPORT_OUT`,
 * `DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS`, ...), then `overrides` (a scheduled event's
 * fields), strictly: an unknown key or a wrong type is a `ConfigError` that names it. The AWS
 * connection is the standard one: `AWS_REGION`, the execution role, `AWS_ENDPOINT_URL_<SERVICE>`.
 */
export async function loadHandlerConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: PartialConfig = {},
): Promise<Config> {
  return loadConfig({ env, flags: overrides, flagNames: eventFieldNames(overrides) });
}

/** For each `section.key` the event sets, how messages name it: `event field export.out`. */
function eventFieldNames(overrides: PartialConfig): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [section, value] of Object.entries(overrides)) {
    if (typeof value !== 'object' || value === null) continue;
    for (const key of Object.keys(value)) names[`${section}.${key}`] = `event field ${section}.${key}`;
  }
  return names;
}

/** `config` exporting exactly `executionArns` (`export.executionArns`): one job for the set. */
export function withExecutions(config: Config, executionArns: string[]): Config {
  return { ...config, export: { ...config.export, executionArns } };
}
