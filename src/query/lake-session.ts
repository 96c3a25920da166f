import { join } from 'node:path';
import { readCompactionLedger } from '../compact/pending-compactions.js';
import { describeError, ExportError } from '../errors.js';
import { LocalObjectReader } from '../lake/local-object-reader.js';
import {
  LAKE_TABLES,
  latestRowsSql,
  latestViewName,
  type TableSpec,
  tablesWithLatestView,
} from '../schema/index.js';
import { createViewSql, tableFiles } from './lake-views.js';
import { collectQuery, type QueryResult, type QueryStream, streamQuery } from './query-stream.js';
import { shimStatements } from './trino-shim.js';

/**
 * DuckDB over one local lake directory, with a view per lake table (empty for a table without files),
 * the latest views (`operations_latest`, `executions_latest`) and the Trino shim. The views skip the
 * files `compact` superseded or has not committed yet.
 */
export interface LakeSession {
  readonly dir: string;
  /** Data files found per table. */
  readonly files: Readonly<Record<string, number>>;
  /** Runs SQL; a failing query throws a ConfigError with DuckDB's message (the SQL is the user's). */
  query(sql: string): Promise<QueryResult>;
  /** Runs SQL and streams its rows page by page (bounded memory); failures as for `query`. */
  stream(sql: string): Promise<QueryStream>;
  close(): void;
}

export interface OpenLakeSessionOptions {
  /** Table specs for the views (default the lake's tables); only used for tables without files. */
  readonly tables?: readonly TableSpec[];
}

/**
 * Opens an in-memory DuckDB over the lake at `dir` (the layout `export --out ./DIR` writes): session
 * time zone UTC, the macros of `trino-shim.ts`, one view per table and one latest view per table.
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
    // Files a compaction superseded, or wrote without committing yet, hold rows other files hold.
    const ledger = await readCompactionLedger(new LocalObjectReader(dir), '');
    // Manifests name keys under the lake's prefix (an S3 lake copied here has it stripped): match
    // on the last three segments, `<table>/dt=<day>/<file>`, which is where data files live.
    const hidden = new Set([...ledger.hidden].map((key) => join(dir, ...key.split('/').slice(-3))));
    for (const table of options.tables ?? LAKE_TABLES) {
      const found = (await tableFiles(dir, table.name)).filter((file) => !hidden.has(file));
      files[table.name] = found.length;
      await connection.run(createViewSql(table, found));
    }
    // The latest version of each row (src/schema/latest-row.ts), as the Athena views define it.
    for (const table of tablesWithLatestView(options.tables ?? LAKE_TABLES)) {
      const sql = latestRowsSql(table, `"${table.name}"`);
      await connection.run(`CREATE VIEW "${latestViewName(table.name)}" AS ${sql}`);
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
      return collectQuery(await streamQuery(connection, sql, dir));
    },
    stream: (sql: string): Promise<QueryStream> => streamQuery(connection, sql, dir),
  };
}

/** The rows of a result as objects keyed by column name (later duplicates win). */
export function rowObjects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}
