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
  return (await loadConfigWithOrigins(options)).config;
}

/** The effective configuration and, for every `section.key`, where its value came from. */
export interface ConfigWithOrigins {
  config: Config;
  origins: Record<string, string>;
}

export async function loadConfigWithOrigins(options: LoadConfigOptions = {}): Promise<ConfigWithOrigins> {
  const layers: { origin: string; value: PartialConfig }[] = [];
  const defaultsPath = defaultConfigPath();
  layers.push({ origin: 'defaults (config/default.json)', value: await readConfigFile(defaultsPath) });
  if (options.file) layers.push({ origin: options.file, value: await readConfigFile(options.file) });
  layers.push({
    origin: 'environment',
    value: checked(configFromEnv(options.env ?? {}), 'environment (DURABLE_EXPORT_*)'),
  });
  if (options.flags)
    layers.push({ origin: 'command-line flags', value: checked(options.flags, 'command-line flags') });
  const merged: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (const layer of layers) mergeLayer(merged, origins, layer.value, layer.origin);
  const result = configSchema.safeParse(merged);
  if (!result.success) throw issuesToError(result.error, 'the merged configuration');
  return { config: result.data, origins };
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

/** Sections merge key by key (a later layer overrides single keys, not whole sections). */
function mergeLayer(
  into: Record<string, unknown>,
  origins: Record<string, string>,
  layer: PartialConfig,
  origin: string,
): void {
  for (const [section, value] of Object.entries(layer)) {
    if (value === undefined || section === '$schema') continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      into[section] = value;
      origins[section] = origin;
      continue;
    }
    const target = { ...(into[section] as Record<string, unknown> | undefined) };
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      target[key] = v;
      origins[`${section}.${key}`] = origin;
    }
    into[section] = target;
  }
}
