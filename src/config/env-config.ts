import { ConfigError } from '../errors.js';
import { isListKey, type PartialConfig } from './config-schema.js';

const PREFIX = 'DURABLE_EXPORT_';
/** The variable naming a config file (`configFileOf`), not a config key. */
export const CONFIG_FILE_ENV = 'DURABLE_EXPORT_CONFIG';
const SECTIONS = ['lambda', 'sink', 's3', 'export', 'redaction'] as const;
/** Sections whose keys are column names (snake_case), not camelCase. */
const SNAKE_CASE_SECTIONS = new Set<string>(['redaction']);
/**
 * Variables with the prefix that are not config keys: the redaction HMAC key (a secret, never
 * echoed) and the config file's location.
 */
const NOT_CONFIG = new Set(['DURABLE_EXPORT_REDACTION_KEY', CONFIG_FILE_ENV]);

/** The configuration the environment sets, and for each `section.key` the variable that set it. */
export interface EnvConfig {
  value: PartialConfig;
  names: Record<string, string>;
}

/**
 * Reads `DURABLE_EXPORT_<SECTION>_<KEY>` variables, e.g. `DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND=20`,
 * `DURABLE_EXPORT_EXPORT_FUNCTIONS=orders,payments`, `DURABLE_EXPORT_REDACTION_INPUT_PAYLOAD=drop`.
 * A list key takes a JSON list (`["orders","payments"]`) or comma-separated values; other values
 * are parsed as JSON when they are JSON (numbers, booleans), else kept as text. A variable with the
 * prefix that names no known section is an error naming the variable.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): EnvConfig {
  const out: Record<string, Record<string, unknown>> = {};
  const names: Record<string, string> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(PREFIX) || raw === undefined || NOT_CONFIG.has(name)) continue;
    const rest = name.slice(PREFIX.length);
    const section = SECTIONS.find((s) => rest.startsWith(`${s.toUpperCase()}_`));
    if (!section) {
      throw new ConfigError(
        `unknown environment variable ${name}: expected ${PREFIX}<${SECTIONS.join('|').toUpperCase()}>_<KEY>`,
        { file: 'environment' },
      );
    }
    const rawKey = rest.slice(section.length + 1);
    const key = SNAKE_CASE_SECTIONS.has(section) ? rawKey.toLowerCase() : camelCase(rawKey);
    const value = isListKey(section, key) ? parseList(raw) : parseValue(raw);
    out[section] = { ...out[section], [key]: value };
    names[`${section}.${key}`] = name;
  }
  return { value: out as PartialConfig, names };
}

/** The variable that sets `section.key`: `lambda.requestsPerSecond` -> `DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND`. */
export function envNameOf(section: string, key: string): string {
  const snake = SNAKE_CASE_SECTIONS.has(section) ? key : key.replace(/[A-Z]/g, (c) => `_${c}`);
  return `${PREFIX}${section}_${snake}`.toUpperCase();
}

function camelCase(screaming: string): string {
  return screaming.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** `["a","b"]` as JSON, else `a,b` (or `a`) split at commas, spaces around each value trimmed. */
function parseList(raw: string): unknown {
  if (raw.trimStart().startsWith('[')) return parseValue(raw);
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
