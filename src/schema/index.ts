export { athenaTypeOf } from './athena-type.js';
export type { ColumnSpec, ColumnType, RowOf, TableSpec } from './column.js';
export { type EventRow, eventsTable } from './events-table.js';
export { type ExecutionRow, executionsTable } from './executions-table.js';
export { BATCH_KEY, JOB_ID_KEY, RUN_ID_KEY, SCHEMA_VERSION_KEY, TABLE_KEY } from './file-metadata.js';
export { type InvocationRow, invocationsTable } from './invocations-table.js';
export { LAKE_TABLES, TABLE_NAMES, TABLES, type TableName, type TableRows } from './lake-tables.js';
export { type OperationRow, operationsTable } from './operations-table.js';
export { parquetSchemaOf } from './parquet-schema.js';

/** Bumped whenever a column or a table is added; written into every file's key-value metadata. */
export const SCHEMA_VERSION = 2;
