import { ConfigError } from '../errors.js';
import type { PartialConfig } from './config-schema.js';

const PREFIX = 'DURABLE_EXPORT_';
const SECTIONS = ['lambda', 'sink', 's3', 'export', 'redaction'] as const;
/** Sections whose keys are column names (snake_case), not camelCase. */
const SNAKE_CASE_SECTIONS = new Set<string>(['redaction']);
/** Variables with the prefix that are not config keys: the redaction HMAC key (a secret, never echoed). */
const NOT_CONFIG = new Set(['DURABLE_EXPORT_REDACTION_KEY']);

/**
 * Reads `DURABLE_EXPORT_<SECTION>_<KEY>` variables, e.g. `DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND=20`,
 * `DURABLE_EXPORT_EXPORT_FUNCTIONS='["orders"]'`, `DURABLE_EXPORT_REDACTION_INPUT_PAYLOAD=drop`.
 * Values are parsed as JSON when they are JSON (numbers, booleans, lists), else kept as text. A variable
 * with the prefix that names no known section is an error naming the variable.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): PartialConfig {
  const out: Record<string, Record<string, unknown>> = {};
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
    out[section] = { ...out[section], [key]: parseValue(raw) };
  }
  return out as PartialConfig;
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
