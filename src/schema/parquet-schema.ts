import type { SchemaElement } from 'hyparquet-writer';
import type { ColumnSpec, ColumnType } from './column.js';

/**
 * Parquet element per logical type. Timestamps are INT64 milliseconds adjusted to UTC, with the
 * legacy converted type as well so old and new readers (Athena, DuckDB, Spark) agree.
 */
const elementFor: Record<ColumnType, Omit<SchemaElement, 'name' | 'repetition_type'>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  timestamp: {
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
  bigint: { type: 'INT64' },
  int: { type: 'INT32' },
  boolean: { type: 'BOOLEAN' },
};

/** The flat Parquet schema (root plus one leaf per column) for a table's columns. */
export function parquetSchemaOf(columns: readonly ColumnSpec[]): SchemaElement[] {
  return [
    { name: 'root', num_children: columns.length },
    ...columns.map(
      (c): SchemaElement => ({
        name: c.name,
        ...elementFor[c.type],
        repetition_type: c.required ? 'REQUIRED' : 'OPTIONAL',
      }),
    ),
  ];
}
