import type { ColumnType } from './column.js';

const ATHENA_TYPES: Record<ColumnType, string> = {
  string: 'string',
  timestamp: 'timestamp',
  bigint: 'bigint',
  int: 'int',
  boolean: 'boolean',
};

/** The Athena (Hive DDL) and Glue type of a logical column type: both spell them the same way. */
export function athenaTypeOf(type: ColumnType): string {
  return ATHENA_TYPES[type];
}
