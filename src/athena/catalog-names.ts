import { ConfigError } from '../errors.js';

/**
 * Names and literals of the Athena/Glue catalog: which database and table names we accept, and how
 * identifiers and strings are quoted. Column types are spelled by `athenaTypeOf` in src/schema/.
 */

/** Database the `ddl` command and `--register-glue` use unless told otherwise. */
export const DEFAULT_DATABASE = 'durable_export';

/**
 * First day of the `dt` projection range unless told otherwise: the date of the durable-execution
 * API version (2025-12-01), so no durable execution can be older. Days before it return no rows.
 */
export const DEFAULT_PROJECTION_START = '2025-12-01';

/** Glue and Athena: lower-case letters, digits and `_` only (Athena lower-cases names anyway). */
const CATALOG_NAME = /^[a-z0-9_]{1,255}$/;
const TABLE_PREFIX = /^[a-z0-9_]{0,64}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Returns `name` if it is a valid database name, else a usage error naming `flag`. */
export function checkDatabaseName(name: string, flag = '--database'): string {
  if (!CATALOG_NAME.test(name)) {
    throw new ConfigError(
      `invalid ${flag} ${JSON.stringify(name)}: expected 1-255 lower-case letters, digits or _ (Glue and Athena names)`,
    );
  }
  return name;
}

/** Returns `prefix` if it can start a table name (may be empty), else a usage error naming `flag`. */
export function checkTablePrefix(prefix: string, flag = '--table-prefix'): string {
  if (!TABLE_PREFIX.test(prefix)) {
    throw new ConfigError(
      `invalid ${flag} ${JSON.stringify(prefix)}: expected at most 64 lower-case letters, digits or _`,
    );
  }
  return prefix;
}

/** Returns `day` if it is a calendar date `YYYY-MM-DD`, else a usage error naming `flag`. */
export function checkProjectionStart(day: string, flag = '--projection-start'): string {
  const m = DAY.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new ConfigError(`invalid ${flag} ${JSON.stringify(day)}: expected a calendar date YYYY-MM-DD`);
  }
  return day;
}

/** A DDL identifier in backticks; every name is backticked because many are reserved words in DDL. */
export function ddlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/**
 * A Hive DDL string literal: single quotes, with `\` and `'` escaped by a backslash (Athena parses
 * DDL with Hive's grammar, where `''` is not an escape). Line breaks become spaces.
 */
export function ddlString(text: string): string {
  const escaped = text
    .replace(/\r?\n|\r/g, ' ')
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'");
  return `'${escaped}'`;
}
