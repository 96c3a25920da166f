import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnType, TableSpec } from '../schema/index.js';

/**
 * The SQL views of the lake tables (`operations`, `executions`, ...) over a local lake directory, as Athena sees them:
 * every data file of the table, `dt` from the Hive path as VARCHAR, and files of older and newer
 * schema versions read together by column name (a column missing from older files is NULL).
 */

/** A data file's path relative to its table folder: exactly `dt=<day>/<name>.parquet`. */
const PART = /^dt=[^/]+\/[^/]+\.parquet$/;

const DUCKDB_TYPE: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  bigint: 'BIGINT',
  int: 'INTEGER',
  boolean: 'BOOLEAN',
};

/**
 * Whether `path`, relative to a table folder (`/`-separated), is one of the table's data files:
 * `dt=<day>/<name>.parquet`, with no file or folder whose name starts with `_` or `.` (Athena skips
 * those: temporary files, manifests, markers).
 */
export function isTableDataFile(path: string): boolean {
  return PART.test(path) && !path.split('/').some((s) => s.startsWith('_') || s.startsWith('.'));
}

/** The partition value of a data file's path relative to its table folder (`dt=<day>/...`). */
export function partitionOf(path: string): string {
  return path.slice('dt='.length, path.indexOf('/'));
}

/**
 * The Parquet files of one table (`<dir>/<table>/dt=*\/*.parquet`), sorted: only files in `dt=`
 * partition folders, and no file or folder whose name starts with `_` or `.` (Athena skips those:
 * temporary files, manifests, markers). A missing table folder has no files.
 */
export async function tableFiles(dir: string, table: string): Promise<string[]> {
  const root = join(dir, table);
  let entries: string[];
  try {
    entries = await readdir(root, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .map((entry) => entry.split(/[\\/]/).join('/'))
    .filter(isTableDataFile)
    .sort()
    .map((entry) => join(root, ...entry.split('/')));
}

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const identifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * `CREATE VIEW <table>` over `files`; with no files, an empty view with the table's columns (from
 * the schema) and `dt`, so queries over a lake without that table still run and return no rows.
 */
export function createViewSql(table: TableSpec, files: readonly string[]): string {
  const name = identifier(table.name);
  if (files.length === 0) {
    const columns = table.columns.map((c) => `CAST(NULL AS ${DUCKDB_TYPE[c.type]}) AS ${identifier(c.name)}`);
    return `CREATE VIEW ${name} AS SELECT ${[...columns, 'CAST(NULL AS VARCHAR) AS dt'].join(', ')} WHERE false`;
  }
  const list = `[${files.map(literal).join(', ')}]`;
  return `CREATE VIEW ${name} AS SELECT * FROM read_parquet(${list}, hive_partitioning = true, hive_types = {'dt': VARCHAR}, union_by_name = true)`;
}
