import { DuckDBInstance } from '@duckdb/node-api';

export interface LakeTable {
  /** column name -> DuckDB type, from DESCRIBE (includes the hive partition column `dt`). */
  types: Record<string, string>;
  rows: Record<string, unknown>[];
}

/**
 * Reads one table of a lake directory (`<dir>/<table>/dt=*\/*.parquet`) the way Athena sees it:
 * every file, with `dt` from the path. Timestamps come back as JS Dates (UTC), BIGINT as bigint.
 * `withoutProvenance` leaves out `exported_at` and `export_run_id`, to compare the rows of two
 * exports of the same data.
 */
export async function readLakeTable(
  dir: string,
  table: string,
  options: { withoutProvenance?: boolean } = {},
): Promise<LakeTable> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run("SET TimeZone = 'UTC'");
    const from = `read_parquet('${dir}/${table}/*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})`;
    const described = await db.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    const types: Record<string, string> = {};
    for (const [name, type] of described.getRowsJS()) types[String(name)] = String(type);
    const columns = options.withoutProvenance ? '* EXCLUDE (exported_at, export_run_id)' : '*';
    const result = await db.runAndReadAll(`SELECT ${columns} FROM ${from}`);
    return { types, rows: result.getRowObjectsJS() as Record<string, unknown>[] };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
