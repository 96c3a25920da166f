import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { configKeysOf } from './config-schema.js';
import { envNameOf } from './env-config.js';

/** One layer of the configuration as the user wrote it, for messages that point at it. */
export interface ConfigLayer {
  /** Where it came from: a file's path, `command-line flags`, `environment (DURABLE_EXPORT_*)`. */
  readonly origin: string;
  /** The layer as parsed from its source, before checking. */
  readonly value: unknown;
  /** What the user typed for a `section.key`: a flag (`--max-concurrent`) or a variable. */
  readonly names?: Readonly<Record<string, string>>;
}

/**
 * A `ConfigError` for a layer that does not fit the schema. Each problem names what the user typed
 * (the flag, the variable, or the file and key) and the value given:
 * `invalid --requests-per-second: expected number, got "abc"`,
 * `invalid configuration in prod.json: key "lambda.pageSize": Too small: expected number to be >=1, got 0`.
 */
export function issuesToError(error: z.ZodError, layer: ConfigLayer): ConfigError {
  const named: string[] = [];
  const keyed: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const fullKey = [...path, key].join('.');
        const name = layer.names?.[fullKey];
        if (name) named.push(`unknown ${name}: no config key "${fullKey}"${hint(path[0], key, layer)}`);
        else keyed.push(`unknown key "${fullKey}"`);
      }
      continue;
    }
    // `export.functions.1` is typed as `--function`/`DURABLE_EXPORT_EXPORT_FUNCTIONS`.
    const name = layer.names?.[path.filter((p) => !/^\d+$/.test(p)).join('.')];
    const message = withValue(messageOf(issue), valueAt(layer.value, path));
    if (name) named.push(`invalid ${name}: ${message}`);
    else keyed.push(`key "${path.join('.')}": ${message}`);
  }
  const parts = [...named];
  if (keyed.length > 0) parts.push(`invalid configuration in ${layer.origin}: ${keyed.join('; ')}`);
  return new ConfigError(parts.join('; '), { file: layer.origin });
}

/** zod's message, without its "received string" (the value itself follows). */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  return issue.message;
}

function withValue(message: string, value: unknown): string {
  if (value === undefined) return message;
  let text = JSON.stringify(value) ?? String(value);
  if (message.includes(text)) return message;
  if (text.length > 80) text = `${text.slice(0, 77)}...`;
  return `${message}, got ${text}`;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** " (did you mean DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND?)" when a known key differs only in case and `_`. */
function hint(section: string | undefined, key: string, layer: ConfigLayer): string {
  const squash = (k: string) => k.toLowerCase().replaceAll('_', '');
  const known = configKeysOf(section ?? '').find((k) => squash(k) === squash(key));
  if (!known || !section) return '';
  const typed = layer.names?.[`${section}.${key}`] ?? '';
  const suggestion = typed.startsWith('DURABLE_EXPORT_')
    ? envNameOf(section, known)
    : `"${section}.${known}"`;
  return ` (did you mean ${suggestion}?)`;
}
