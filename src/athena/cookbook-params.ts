import { ConfigError } from '../errors.js';

/**
 * Parameters of cookbook queries: a query's SQL template names each as `{{name}}`, and a value is
 * validated by its type and put in as a SQL literal (never as raw text), so `--param` cannot change
 * what a query does beyond the value it sets.
 */

/** `integer`: a whole number 0..2^53-1, a bare literal; `date`: `YYYY-MM-DD`, a string literal. */
export type CookbookParamType = 'integer' | 'date';

export interface CookbookParam {
  /** lower_snake_case; `{{name}}` in the template, `--param name=value` on the command line. */
  readonly name: string;
  readonly type: CookbookParamType;
  /** The value the doc's SQL shows and a run without `--param` uses. */
  readonly default: string;
  /** What the value means, one phrase. */
  readonly description: string;
}

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const TYPE_TEXT: Record<CookbookParamType, string> = {
  integer: 'a whole number, 0 or more',
  date: 'a day YYYY-MM-DD',
};

/** The SQL literal of `value`, or undefined when `value` is not of the type. */
function literalOf(type: CookbookParamType, value: string): string | undefined {
  if (type === 'integer') {
    return /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? String(Number(value)) : undefined;
  }
  const [, y, m, d] = DATE.exec(value) ?? [];
  const day = new Date(`${y}-${m}-${d}T00:00:00Z`);
  // Rejects 2026-02-30 too: Date rolls it over to another day.
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value ? `'${value}'` : undefined;
}

/** The names `{{name}}` in a template, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** `version (integer, default 1): the first deploy version counted` */
export function describeParam(param: CookbookParam): string {
  return `${param.name} (${param.type}, default ${param.default}): ${param.description}`;
}

/**
 * `template` with every `{{name}}` replaced by the literal of its value: `values[name]`, else the
 * parameter's default.
 *
 * @throws ConfigError (a usage error) naming the query, the parameter and the value, for a name the
 *   query does not take or a value not of its type.
 */
export function renderTemplate(
  queryId: string,
  template: string,
  params: readonly CookbookParam[],
  values: Readonly<Record<string, string>> = {},
): string {
  const byName = new Map(params.map((p) => [p.name, p]));
  for (const name of Object.keys(values)) {
    if (!byName.has(name)) {
      const takes =
        params.length > 0 ? `it takes ${params.map((p) => p.name).join(', ')}` : 'it takes no parameters';
      throw new ConfigError(`cookbook query ${queryId} has no parameter ${JSON.stringify(name)}: ${takes}`);
    }
  }
  const literals = new Map<string, string>();
  for (const param of params) {
    const value = Object.hasOwn(values, param.name) ? (values[param.name] as string) : param.default;
    const literal = literalOf(param.type, value);
    if (literal === undefined) {
      throw new ConfigError(
        `--param ${param.name}=${value}: ${param.name} of cookbook query ${queryId} is ${TYPE_TEXT[param.type]}, not ${JSON.stringify(value)}`,
      );
    }
    literals.set(param.name, literal);
  }
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const literal = literals.get(name);
    if (literal === undefined)
      throw new Error(`cookbook query ${queryId} uses ${whole} but declares no ${name}`);
    return literal;
  });
}

/**
 * `--param NAME=VALUE` flags as a record.
 *
 * @throws ConfigError for a flag without `=` or a name given twice.
 */
export function paramValues(flags: readonly string[]): Record<string, string> {
  const values = new Map<string, string>();
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new ConfigError(`--param ${flag}: expected NAME=VALUE, for example --param version=3`);
    const name = flag.slice(0, at);
    if (values.has(name)) throw new ConfigError(`--param ${name} is given twice`);
    values.set(name, flag.slice(at + 1));
  }
  return Object.fromEntries(values);
}
