import type { ColumnType } from './column.js';

const ATHENA_TYPES: Record<ColumnType, string> = {
  string: 'string',
  timestamp: 'timestamp',
  bigint: 'bigint',
  int: 'int',
  boolean: 'boolean',
};

/** The Athena (Hive DDL) type of a logical column type. */
export function athenaTypeOf(type: ColumnType): string {
  return ATHENA_TYPES[type];
}
