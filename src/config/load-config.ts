import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { type Config, configSchema, type PartialConfig, partialConfigSchema } from './config-schema.js';
import { defaultConfigPath } from './default-config-path.js';
import { configFromEnv } from './env-config.js';

export interface LoadConfigOptions {
  /** A user config file (`--config`). */
  file?: string;
  /** The process environment; `DURABLE_EXPORT_*` variables override files. */
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; they override everything. */
  flags?: PartialConfig;
}

/**
 * Parses the configuration once, strictly: shipped defaults, then the user file, then
 * environment, then flags. Unknown keys and wrong types are errors that name the key and
 * where it came from.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const layers: { origin: string; value: PartialConfig }[] = [];
  const defaultsPath = defaultConfigPath();
  layers.push({ origin: defaultsPath, value: await readConfigFile(defaultsPath) });
  if (options.file) layers.push({ origin: options.file, value: await readConfigFile(options.file) });
  layers.push({
    origin: 'environment',
    value: checked(configFromEnv(options.env ?? {}), 'environment (DURABLE_EXPORT_*)'),
  });
  if (options.flags)
    layers.push({ origin: 'command-line flags', value: checked(options.flags, 'command-line flags') });
  const merged = layers.reduce<PartialConfig>((acc, layer) => mergeConfig(acc, layer.value), {});
  const result = configSchema.safeParse(merged);
  if (!result.success) throw issuesToError(result.error, 'the merged configuration');
  return result.data;
}

async function readConfigFile(path: string): Promise<PartialConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read config file ${path}`, { file: path }, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(
      `config file ${path} is not valid JSON: ${(cause as Error).message}`,
      { file: path },
      { cause },
    );
  }
  return checked(json, path);
}

function checked(value: unknown, origin: string): PartialConfig {
  const result = partialConfigSchema.safeParse(value);
  if (!result.success) throw issuesToError(result.error, origin);
  return result.data;
}

function issuesToError(error: z.ZodError, origin: string): ConfigError {
  const lines = error.issues.map((issue) => {
    const path = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return `unknown key ${keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `key "${path}": ${issue.message}`;
  });
  return new ConfigError(`invalid configuration in ${origin}: ${lines.join('; ')}`, { file: origin });
}

function mergeConfig(base: PartialConfig, over: PartialConfig): PartialConfig {
  return {
    ...base,
    ...over,
    lambda: { ...base.lambda, ...over.lambda },
    sink: { ...base.sink, ...over.sink },
    export: { ...base.export, ...over.export },
  };
}
