import { createHmac } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * The payload columns that may be redacted; each exists in `operations`, most in `executions` too. In
 * `events`, the same rules also cover `payload` and `details_json` (`redactedEventRow`).
 */
export const REDACTABLE_COLUMNS = [
  'input_payload',
  'result',
  'error_data',
  'error_message',
  'error_stack_trace',
] as const;
export type RedactableColumn = (typeof REDACTABLE_COLUMNS)[number];

/** As written in the config: `drop`, `hash` or `truncate:N`. */
export type RedactionSpec = string;
export type RedactionConfig = Partial<Record<RedactableColumn, RedactionSpec>>;

/** The pattern the config schema checks each value against. */
export const REDACTION_SPEC = /^(drop|hash|truncate:(0|[1-9]\d{0,8}))$/;

/** The environment variable holding the HMAC key of `hash`. */
export const REDACTION_KEY_ENV = 'DURABLE_EXPORT_REDACTION_KEY';

type Rule = (value: string) => string | null;

/**
 * Column redaction, applied to every row before it is encoded:
 *
 * - `drop`: the column is written as NULL;
 * - `hash`: HMAC-SHA-256 of the UTF-8 value with the key in `DURABLE_EXPORT_REDACTION_KEY`, as 64
 *   lower-case hex digits: equal values stay joinable and countable, the text is gone, and without
 *   the key nobody can confirm a guessed value;
 * - `truncate:N`: the first N characters (Unicode code points, so a character is never cut in half).
 *
 * NULL stays NULL. A column a table does not have is left alone.
 */
export class Redaction {
  private constructor(private readonly rules: ReadonlyMap<string, Rule>) {}

  /**
   * The redaction `config` asks for, or undefined when it asks for none.
   * @throws ConfigError for an unknown column or value, or `hash` without the key in `env`.
   */
  static of(
    config: RedactionConfig | undefined,
    env: NodeJS.ProcessEnv = process.env,
  ): Redaction | undefined {
    const entries = Object.entries(config ?? {});
    if (entries.length === 0) return undefined;
    const rules = new Map<string, Rule>();
    for (const [column, spec] of entries) {
      if (!(REDACTABLE_COLUMNS as readonly string[]).includes(column)) {
        throw new ConfigError(
          `redaction.${column}: not a redactable column; expected one of ${REDACTABLE_COLUMNS.join(', ')}`,
        );
      }
      if (typeof spec !== 'string' || !REDACTION_SPEC.test(spec)) {
        throw new ConfigError(`redaction.${column}: expected "drop", "hash" or "truncate:N"`);
      }
      rules.set(column, ruleOf(column, spec, env));
    }
    return new Redaction(rules);
  }

  /** The redacted columns and their rules, for reports: `{ result: 'hash', ... }`. */
  get columns(): string[] {
    return [...this.rules.keys()];
  }

  /** `value` as column `column` holds it after redaction (unchanged when the column has no rule). */
  value(column: RedactableColumn, value: string): string | null {
    const rule = this.rules.get(column);
    return rule ? rule(value) : value;
  }

  /** A copy of `row` with the redacted columns replaced. */
  apply<T extends object>(row: T): T {
    const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    for (const [column, rule] of this.rules) {
      const value = out[column];
      if (typeof value === 'string') out[column] = rule(value);
    }
    return out as T;
  }
}

function ruleOf(column: string, spec: string, env: NodeJS.ProcessEnv): Rule {
  if (spec === 'drop') return () => null;
  if (spec === 'hash') {
    const key = env[REDACTION_KEY_ENV];
    if (!key) {
      throw new ConfigError(
        `redaction.${column} is "hash", which needs the HMAC key in the environment variable ${REDACTION_KEY_ENV} (it is not set)`,
      );
    }
    return (value) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }
  const chars = Number(spec.slice('truncate:'.length));
  return (value) => firstCodePoints(value, chars);
}

/** The first `n` code points of `text`. */
export function firstCodePoints(text: string, n: number): string {
  if (text.length <= n) return text; // n UTF-16 units hold at most n code points
  let end = 0;
  for (let count = 0; count < n && end < text.length; count++) {
    const code = text.charCodeAt(end);
    const pair = code >= 0xd800 && code <= 0xdbff && end + 1 < text.length;
    const next = pair ? text.charCodeAt(end + 1) : 0;
    end += pair && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return text.slice(0, end);
}
