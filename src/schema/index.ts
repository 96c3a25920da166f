import { TABLES } from './lake-tables.js';

export { athenaTypeOf } from './athena-type.js';
export type { ColumnSpec, ColumnType, RowOf, TableSpec } from './column.js';
export { BATCH_KEY, JOB_ID_KEY, RUN_ID_KEY, SCHEMA_VERSION_KEY, TABLE_KEY } from './file-metadata.js';
export {
  type EventRow,
  type ExecutionRow,
  type InvocationRow,
  LAKE_TABLES,
  type OperationRow,
  TABLE_NAMES,
  TABLES,
  type TableName,
  type TableRows,
  type Unstamped,
} from './lake-tables.js';
export {
  compareLatest,
  LATEST_KEYS,
  LATEST_ORDER,
  LATEST_ORDER_COLUMNS,
  latestRankSql,
  latestRowsSql,
  latestViewName,
  tablesWithLatestView,
} from './latest-row.js';
export { ORIGIN_COLUMNS, withOriginColumns } from './origin-columns.js';
export { parquetSchemaOf } from './parquet-schema.js';
export { PROVENANCE_COLUMNS, withProvenanceColumns } from './provenance-columns.js';

/** The `operations` table as the lake holds it: its own columns, then the provenance and origin columns. */
export const operationsTable = TABLES.operations;
/** The `executions` table as the lake holds it: its own columns, then the provenance and origin columns. */
export const executionsTable = TABLES.executions;
/** The `events` table as the lake holds it: its own columns, then the provenance and origin columns. */
export const eventsTable = TABLES.events;
/** The `invocations` table as the lake holds it: its own columns, then the provenance and origin columns. */
export const invocationsTable = TABLES.invocations;

/** Bumped whenever a column or a table is added; written into every file's key-value metadata. */
export const SCHEMA_VERSION = 4;

/**
 * The oldest schema version whose rows hold everything an export of `SCHEMA_VERSION` would write:
 * the versions after it only added columns derived from others (4: `account_id` and `region`, from
 * `execution_arn`; queries read them as NULL in older files and `compact` fills them). The export
 * index counts an entry of this version or later as covering an export, so an upgrade does not
 * read (and double in the plain tables) every execution already exported. Raise it to
 * `SCHEMA_VERSION` when a version adds a column with data of its own.
 */
export const COMPLETE_ROWS_SINCE_VERSION = 3;
