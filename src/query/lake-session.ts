import { ConfigError, describeError, ExportError } from '../errors.js';
import { LAKE_TABLES, type TableSpec } from '../schema/index.js';
import { createViewSql, tableFiles } from './lake-views.js';
import { shimStatements } from './trino-shim.js';

export interface QueryColumn {
  readonly name: string;
  /** DuckDB type, e.g. VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE. */
  readonly type: string;
}

/** A query's result, materialized. */
export interface QueryResult {
  readonly columns: readonly QueryColumn[];
  /** Values as JS: strings, numbers, bigint (BIGINT, HUGEINT), Date (timestamps), arrays, objects, null. */
  readonly rows: readonly (readonly unknown[])[];
  /** The same values as DuckDB prints them (timestamps `2026-01-01 10:00:00.123+00`), null as null. */
  readonly text: readonly (readonly (string | null)[])[];
}

/** DuckDB over one local lake directory, with a view per lake table (`operations`, `executions`) and the Trino shim. */
export interface LakeSession {
  readonly dir: string;
  /** Data files found per table. */
  readonly files: Readonly<Record<string, number>>;
  /** Runs SQL; a failing query throws a ConfigError with DuckDB's message (the SQL is the user's). */
  query(sql: string): Promise<QueryResult>;
  close(): void;
}

export interface OpenLakeSessionOptions {
  /** Table specs for the views (default the lake's tables); only used for tables without files. */
  readonly tables?: readonly TableSpec[];
}

/**
 * Opens an in-memory DuckDB over the lake at `dir` (the layout `export --out ./DIR` writes): session
 * time zone UTC, the macros of `trino-shim.ts`, and one view per table.
 *
 * @example
 * const lake = await openLakeSession('./lake');
 * const { rows } = await lake.query("SELECT count(*) FROM operations WHERE type = 'STEP'");
 * lake.close();
 */
export async function openLakeSession(
  dir: string,
  options: OpenLakeSessionOptions = {},
): Promise<LakeSession> {
  // Loaded on first use, so importing the library (or running `export`) never loads DuckDB's native module.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = (): void => {
    connection.closeSync();
    instance.closeSync();
  };
  const files: Record<string, number> = {};
  try {
    for (const statement of shimStatements()) await connection.run(statement);
    for (const table of options.tables ?? LAKE_TABLES) {
      const found = await tableFiles(dir, table.name);
      files[table.name] = found.length;
      await connection.run(createViewSql(table, found));
    }
  } catch (error) {
    close();
    throw new ExportError(
      `opening the lake at ${dir} failed: ${describeError(error)}`,
      { stage: 'sink', file: dir },
      { cause: error },
    );
  }
  return {
    dir,
    files,
    close,
    async query(sql: string): Promise<QueryResult> {
      let reader: Awaited<ReturnType<typeof connection.runAndReadAll>>;
      try {
        reader = await connection.runAndReadAll(sql);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ConfigError(`query failed: ${message}`, { file: dir }, { cause: error });
      }
      const names = reader.columnNames();
      const types = reader.columnTypes();
      return {
        columns: names.map((name, i) => ({ name, type: String(types[i]) })),
        rows: reader.getRowsJS(),
        text: reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value)))),
      };
    },
  };
}

/** The rows of a result as objects keyed by column name (later duplicates win). */
export function rowObjects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}
