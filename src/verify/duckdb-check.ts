import { describeError } from '../errors.js';

/** Reads a Parquet file completely with DuckDB (every page of every column decoded). */
export interface DuckDbCheck {
  /** The file's row count as DuckDB reads it; throws DuckDB's error when it cannot. */
  rowsOf(path: string): Promise<number>;
  close(): void;
}

/**
 * Opens an in-memory DuckDB, or resolves `undefined` with the reason when `@duckdb/node-api` is not
 * installed (it is a development dependency: native binaries, ~50 MB). `count(*)` alone would be
 * answered from the footer; hashing every row forces DuckDB to decompress and decode every page.
 */
export async function openDuckDbCheck(): Promise<DuckDbCheck | { unavailable: string }> {
  let duckdb: typeof import('@duckdb/node-api');
  try {
    duckdb = await import('@duckdb/node-api');
  } catch (error) {
    return { unavailable: `@duckdb/node-api is not installed (${describeError(error)})` };
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    async rowsOf(path: string): Promise<number> {
      const file = path.replaceAll("'", "''");
      const result = await connection.runAndReadAll(
        `SELECT count(*) AS n, sum(hash(t)) AS h FROM read_parquet('${file}') t`,
      );
      return Number(result.getRowsJS()[0]?.[0] ?? -1);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
