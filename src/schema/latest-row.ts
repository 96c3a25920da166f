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

/** The window's ORDER BY: the first row is the latest version. */
export const LATEST_ORDER =
  'exported_at DESC NULLS LAST, export_run_id DESC NULLS LAST, end_timestamp DESC NULLS LAST, status ASC';

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
