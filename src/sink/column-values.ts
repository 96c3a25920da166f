import type { ColumnSource } from 'hyparquet-writer';
import type { ColumnSpec, ColumnType } from '../schema/index.js';
import { SinkError } from './sink-error.js';

/**
 * Row objects to hyparquet column arrays, validated against the column specs, in the physical
 * representation the explicit Parquet schema wants: timestamps and bigints as `bigint`
 * (epoch milliseconds for timestamps), ints as 32-bit numbers, strings as JS strings (UTF-8
 * encoded by hyparquet-writer), booleans as booleans, `null` for absent optional values.
 *
 * Validating here, once, turns a type slip in a transform into an error naming the table, column,
 * row and value instead of a corrupt or unreadable file.
 */

/** A table row as the sink sees it: one property per column name. */
export type RowRecord = Readonly<Record<string, unknown>>;

type Physical = string | bigint | number | boolean;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function show(value: unknown): string {
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (typeof value === 'string') return `string(${value.length})`;
  if (typeof value === 'bigint') return `${value}n`;
  return value === null ? 'null' : `${typeof value} ${String(value)}`;
}

/** The physical value of one non-null value, or a description of what was wrong with it. */
function toPhysical(type: ColumnType, value: unknown): Physical | { problem: string } {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : { problem: 'expected a string' };
    case 'timestamp':
      if (!(value instanceof Date)) return { problem: 'expected a Date' };
      return Number.isNaN(value.getTime()) ? { problem: 'expected a valid Date' } : BigInt(value.getTime());
    case 'bigint':
      if (typeof value === 'bigint') return value;
      return Number.isSafeInteger(value) ? BigInt(value as number) : { problem: 'expected a safe integer' };
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX
        ? (value as number)
        : { problem: 'expected a 32-bit integer' };
    case 'boolean':
      return typeof value === 'boolean' ? value : { problem: 'expected a boolean' };
  }
}

/** Values every row of a file holds in these columns, whatever its row objects say (the batch's provenance). */
export type ConstantColumns = Readonly<Record<string, unknown>>;

/** The physical value of `value` in `column` of row `row`, or an error naming the table, column, row and value. */
function physicalOf(
  table: string,
  column: ColumnSpec,
  value: unknown,
  row: number,
  key: string,
): Physical | null {
  if (value === null || value === undefined) {
    if (column.required) {
      throw new SinkError(
        `${table}.${column.name} is required but row ${row} has ${value === null ? 'null' : 'no value'}`,
        { errorType: 'invalid_row', key },
      );
    }
    return null;
  }
  const physical = toPhysical(column.type, value);
  if (typeof physical === 'object') {
    throw new SinkError(
      `${table}.${column.name} (${column.type}) row ${row}: ${physical.problem}, got ${show(value)}`,
      { errorType: 'invalid_row', key },
    );
  }
  return physical;
}

/**
 * Transposes `rows` into one `ColumnSource` per column, in column order.
 * `undefined` counts as `null`; `null` in a required column is an error. A column of `constants`
 * takes its value from there for every row (converted once), not from the rows. A column whose
 * spec says `statistics: false` (a payload) is written without statistics.
 *
 * @param table table name, for error messages
 * @param key object key being written, for error context
 * @param firstRow index of `rows[0]` within the file, for error messages
 */
export function columnsOf(
  table: string,
  columns: readonly ColumnSpec[],
  rows: readonly RowRecord[],
  key: string,
  firstRow = 0,
  constants: ConstantColumns = {},
): ColumnSource[] {
  return columns.map((column): ColumnSource => {
    if (Object.hasOwn(constants, column.name)) {
      const physical = physicalOf(table, column, constants[column.name], firstRow, key);
      return { name: column.name, data: new Array<Physical | null>(rows.length).fill(physical) };
    }
    const data: (Physical | null)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      data[i] = physicalOf(table, column, (rows[i] as RowRecord)[column.name], firstRow + i, key);
    }
    return { name: column.name, data, statistics: column.statistics ?? true };
  });
}
