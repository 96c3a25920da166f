import type { Config, PartialConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';

/**
 * The configuration of a Lambda handler, read as the CLI reads it: the shipped defaults, then the
 * `DURABLE_EXPORT_<SECTION>_<KEY>` variables of `env` (`DURABLE_EXPORT_EXPORT_OUT`), then
 * `overrides` (the invocation event's fields), strictly: an unknown key or a wrong type is a
 * `ConfigError` that names it. A config file is read only when `DURABLE_EXPORT_CONFIG` names one
 * (or the default user file exists), as for the CLI.
 */
export async function loadHandlerConfig(env: NodeJS.ProcessEnv, overrides: PartialConfig): Promise<Config> {
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
