import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { type ConfigLayer, issuesToError } from './config-issues.js';
import { type Config, configSchema, type PartialConfig, partialConfigSchema } from './config-schema.js';
import { defaultConfigPath } from './default-config-path.js';
import { configFromEnv } from './env-config.js';
import { type UserConfigFile, userConfigFileOf } from './user-config-path.js';

export interface LoadConfigOptions {
  /** A user config file (`--config`); default: `DURABLE_EXPORT_CONFIG`, else the default location. */
  file?: string;
  /**
   * The process environment; `DURABLE_EXPORT_*` variables override files, `DURABLE_EXPORT_CONFIG`
   * names the user file, and `HOME`/`XDG_CONFIG_HOME` its default location (`userConfigFileOf`).
   */
  env?: NodeJS.ProcessEnv;
  /** Values from command-line flags; they override everything. */
  flags?: PartialConfig;
  /** The flag that sets each `section.key` of `flags` (`lambda.maxConcurrent`: `--max-concurrent`), for messages. */
  flagNames?: Readonly<Record<string, string>>;
}

/**
 * Parses the configuration once, strictly: shipped defaults, then the user file, then
 * environment, then flags. Unknown keys and wrong types are errors that name what the user typed
 * (the flag, the variable, or the file and key) and the value.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  return (await loadConfigWithOrigins(options)).config;
}

/** The effective configuration and, for every `section.key`, where its value came from. */
export interface ConfigWithOrigins {
  config: Config;
  /** For every `section.key`: `defaults (config/default.json)`, the file, the variable or the flag. */
  origins: Record<string, string>;
  /** The user config file, when one was read. */
  file?: UserConfigFile;
}

export async function loadConfigWithOrigins(options: LoadConfigOptions = {}): Promise<ConfigWithOrigins> {
  const env = options.env ?? {};
  const layers: { origin: string; value: PartialConfig; names?: Readonly<Record<string, string>> }[] = [];
  const defaultsPath = defaultConfigPath();
  layers.push({ origin: 'defaults (config/default.json)', value: await readConfigFile(defaultsPath) });
  const file = userConfigFileOf(options.file, env);
  if (file) layers.push({ origin: file.path, value: await readConfigFile(file.path, file.foundBy) });
  const fromEnv = configFromEnv(env);
  const envLayer = { origin: 'environment (DURABLE_EXPORT_*)', value: fromEnv.value, names: fromEnv.names };
  layers.push({ ...envLayer, value: checked(envLayer) });
  if (options.flags) {
    const flagLayer = { origin: 'command-line flags', value: options.flags, names: options.flagNames };
    layers.push({ ...flagLayer, value: checked(flagLayer) });
  }
  const merged: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  for (const layer of layers) mergeLayer(merged, origins, layer);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw issuesToError(result.error, { origin: 'the merged configuration', value: merged });
  }
  return { config: result.data, origins, file };
}

async function readConfigFile(path: string, foundBy?: string): Promise<PartialConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const by = foundBy && foundBy !== '--config' ? ` (named by ${foundBy})` : '';
    throw new ConfigError(`cannot read config file ${path}${by}`, { file: path }, { cause });
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
  return checked({ origin: path, value: json });
}

function checked(layer: ConfigLayer): PartialConfig {
  const result = partialConfigSchema.safeParse(layer.value);
  if (!result.success) throw issuesToError(result.error, layer);
  return result.data;
}

/**
 * Sections merge key by key (a later layer overrides single keys, not whole sections), and so do
 * objects within them (`lambda.rateLimits`). A key's origin is the flag or variable that set it,
 * else the layer (a file's path, the defaults).
 */
function mergeLayer(
  into: Record<string, unknown>,
  origins: Record<string, string>,
  layer: { origin: string; value: PartialConfig; names?: Readonly<Record<string, string>> },
): void {
  for (const [section, value] of Object.entries(layer.value)) {
    if (value === undefined || section === '$schema') continue;
    if (!isPlainObject(value)) {
      into[section] = value;
      origins[section] = layer.origin;
      continue;
    }
    into[section] = mergeObject(into[section], value, section, origins, layer);
  }
}

function mergeObject(
  base: unknown,
  value: Record<string, unknown>,
  path: string,
  origins: Record<string, string>,
  layer: { origin: string; names?: Readonly<Record<string, string>> },
): Record<string, unknown> {
  const target = { ...(isPlainObject(base) ? base : undefined) };
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const keyPath = `${path}.${key}`;
    if (isPlainObject(v)) {
      target[key] = mergeObject(target[key], v, keyPath, origins, layer);
      continue;
    }
    target[key] = v;
    origins[keyPath] = layer.names?.[keyPath] ?? layer.origin;
  }
  return target;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
