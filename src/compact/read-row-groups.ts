import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import type { TableSpec } from '../schema/index.js';
import type { RowRecord } from '../sink/column-values.js';
import { originOf } from '../transform/origin.js';

/**
 * The rows of a Parquet data file of the lake, one row group at a time (so memory holds one decoded
 * row group besides the file's bytes), as the row objects the file writer takes: `Date` timestamps,
 * `number` integers, `null` for a column the file does not have (an older schema version), except
 * the origin columns (`account_id`, `region`, schema version 4), which are filled from
 * `execution_arn` by the rule the export fills them with: every rewritten row has them.
 */
export async function* rowGroupsOf(bytes: Uint8Array, table: TableSpec): AsyncGenerator<RowRecord[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd });
    yield rows.map((row) => rowOf(table, row));
    rowStart = rowEnd;
  }
}

function rowOf(table: TableSpec, raw: Record<string, unknown>): RowRecord {
  const row: Record<string, unknown> = {};
  for (const column of table.columns) {
    const value = raw[column.name];
    if (value === undefined || value === null) row[column.name] = null;
    else if (column.type === 'timestamp' && !(value instanceof Date))
      row[column.name] = new Date(Number(value));
    else if ((column.type === 'bigint' || column.type === 'int') && typeof value === 'bigint')
      row[column.name] = Number(value);
    else row[column.name] = value;
  }
  if (row.account_id === null && 'account_id' in row && typeof row.execution_arn === 'string') {
    Object.assign(row, originOf(row.execution_arn));
  }
  return row;
}
