export type { ColumnSpec, ColumnType, RowOf, TableSpec } from './column.js';
export { type ExecutionRow, executionsTable } from './executions-table.js';
export { type OperationRow, operationsTable } from './operations-table.js';
export { parquetSchemaOf } from './parquet-schema.js';

/** Bumped whenever a column is appended; written into every file's key-value metadata. */
export const SCHEMA_VERSION = 1;
