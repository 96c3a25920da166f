import type { TableSpec } from './column.js';
import { executionsTable } from './executions-table.js';
import { operationsTable } from './operations-table.js';

/**
 * Which row is "the latest version" of an operation or execution, when the lake holds several
 * (an execution exported while RUNNING and again after it ended, overlapping jobs, re-exports):
 * the ONE rule that the `*_latest` views (Athena `ddl`, Glue, DuckDB `query`) and compaction use.
 *
 * Per key (`LATEST_KEYS`), rows are ranked by `LATEST_ORDER` and rank 1 is the latest: the newest
 * `exported_at`; rows without one (files written before schema version 3) rank last; ties broken
 * deterministically by the run id, then a finished row before an unfinished one, then the status.
 * Standard SQL that Athena (Trino) and DuckDB run alike.
 */

/**
 * The columns that identify one operation or execution, per table (the window's PARTITION BY).
 * `dt` (the execution's start day) adds nothing to the identity, as every row of an execution has
 * the same day; it is there so a filter on `dt` over a view reaches the table scan (Trino pushes
 * predicates on PARTITION BY columns through the window) and Athena still prunes partitions.
 */
export const LATEST_KEYS: Readonly<Record<string, readonly string[]>> = {
  // Each table's own key (its spec's `key`, the identity `compact` also keeps one version of).
  operations: ['dt', ...(operationsTable.key ?? [])],
  executions: ['dt', ...(executionsTable.key ?? [])],
};

/** The ranking, newest first: each column and its direction. NULLs rank last in every term. */
const LATEST_ORDER_TERMS: readonly { readonly column: string; readonly descending: boolean }[] = [
  { column: 'exported_at', descending: true },
  { column: 'export_run_id', descending: true },
  { column: 'end_timestamp', descending: true },
  // ASC puts NULLs last by default in Trino and DuckDB alike.
  { column: 'status', descending: false },
];

/** The columns the rule reads: what compaction keeps of a row to rank it. */
export const LATEST_ORDER_COLUMNS: readonly string[] = LATEST_ORDER_TERMS.map((t) => t.column);

/** The window's ORDER BY: the first row is the latest version. */
export const LATEST_ORDER = LATEST_ORDER_TERMS.map((t) =>
  t.descending ? `${t.column} DESC NULLS LAST` : `${t.column} ASC`,
).join(', ');

/**
 * The same rule in code, for rows read from Parquet (`Date` timestamps, strings): negative when `a`
 * ranks before `b` (is the later version), positive when after, 0 when the rule cannot tell them
 * apart. `compact` keeps by it, so compaction and the latest views always agree.
 */
export function compareLatest(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
): number {
  for (const { column, descending } of LATEST_ORDER_TERMS) {
    const x = comparable(a[column]);
    const y = comparable(b[column]);
    if (x === y) continue;
    if (x === undefined) return 1;
    if (y === undefined) return -1;
    const order = x < y ? -1 : 1;
    return descending ? -order : order;
  }
  return 0;
}

/** A value as SQL compares it: timestamps by time, strings by code point (ASCII here); null as undefined. */
function comparable(value: unknown): number | string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : String(value);
}

/** The tables that have a latest view: those with a key in `LATEST_KEYS`. */
export function tablesWithLatestView<T extends TableSpec>(tables: readonly T[]): T[] {
  return tables.filter((table) => LATEST_KEYS[table.name] !== undefined);
}

/** The name of the view holding the latest version of each row of `table`. */
export const latestViewName = (tableName: string): string => `${tableName}_latest`;

/** `ROW_NUMBER() OVER (...)` of the latest rule for `table`: 1 for the latest version of each key. */
export function latestRankSql(table: TableSpec): string {
  const keys = LATEST_KEYS[table.name];
  if (!keys) throw new RangeError(`no latest-row key is defined for table ${table.name}`);
  return `ROW_NUMBER() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${LATEST_ORDER})`;
}

/**
 * The SELECT of the latest view of `table` over `from` (a quoted table reference): every column of
 * the table and the partition column `dt`, one row per key. `"` quotes identifiers in both engines.
 */
export function latestRowsSql(table: TableSpec, from: string): string {
  const columns = [...table.columns.map((c) => `"${c.name}"`), '"dt"'].join(', ');
  return [
    `SELECT ${columns}`,
    `FROM (SELECT *, ${latestRankSql(table)} AS latest_rank FROM ${from}) AS ranked`,
    'WHERE latest_rank = 1',
  ].join('\n');
}
