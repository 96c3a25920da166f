import type { Config } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';

/**
 * The configuration of a Lambda handler, read as the CLI reads it without flags: the shipped
 * defaults, a file named by `DURABLE_EXPORT_CONFIG` (bundled with the function), then the
 * `DURABLE_EXPORT_<SECTION>_<KEY>` variables of the function (`DURABLE_EXPORT_EXPORT_OUT`,
 * `DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS`, ...). The AWS connection is the standard one:
 * `AWS_REGION`, the execution role, `AWS_ENDPOINT_URL_<SERVICE>`.
 */
export function loadHandlerConfig(env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  return loadConfig({ env });
}

/** `config` exporting exactly `executionArns` (`export.executionArns`): one job for the set. */
export function withExecutions(config: Config, executionArns: string[]): Config {
  return { ...config, export: { ...config.export, executionArns } };
}
