/** Reads a benchmark output back with DuckDB: row count, column sums and the timestamp type. */
import { DuckDBInstance } from '@duckdb/node-api';
import type { RowsChecksum } from './operation-rows.js';

export interface ReadBackCheck {
  /** Every checksum field equal to the generator's. */
  readonly ok: boolean;
  readonly mismatches: string[];
  /** start_timestamp's type as DuckDB reports it. */
  readonly timestampType: string;
}

export async function checkWithDuckDB(path: string, expected: RowsChecksum): Promise<ReadBackCheck> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const source = `read_parquet('${path.replaceAll("'", "''")}', hive_partitioning = false)`;
    const [sums] = (
      await connection.runAndReadAll(
        `SELECT count(*)::VARCHAR AS rows,
                coalesce(sum(epoch_ms(start_timestamp)), 0)::VARCHAR AS "startMsSum",
                coalesce(sum(depth), 0)::VARCHAR AS "depthSum",
                coalesce(sum(length(result)), 0)::VARCHAR AS "resultChars",
                count(end_timestamp)::VARCHAR AS ended,
                count_if(is_error)::VARCHAR AS errors
         FROM ${source}`,
      )
    ).getRowObjectsJS();
    const described = (
      await connection.runAndReadAll(`DESCRIBE SELECT start_timestamp FROM ${source}`)
    ).getRowObjectsJS();
    const mismatches = Object.entries(expected)
      .filter(([name, value]) => String(sums?.[name] ?? '0') !== String(value))
      .map(([name, value]) => `${name}: expected ${value}, read ${String(sums?.[name])}`);
    return { ok: mismatches.length === 0, mismatches, timestampType: String(described[0]?.column_type) };
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}
