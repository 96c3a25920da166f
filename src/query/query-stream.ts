import type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBResult,
  DuckDBValueConverter,
  JS,
} from '@duckdb/node-api';
import { ConfigError } from '../errors.js';

/**
 * A query's result as DuckDB streams it: the columns first, then pages of rows (DuckDB's chunks,
 * up to 2048 rows each), so a result of any size passes through in bounded memory.
 */

export interface QueryColumn {
  readonly name: string;
  /** DuckDB type, e.g. VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE. */
  readonly type: string;
}

/** Rows, twice: as JS values and as DuckDB prints them. */
export interface QueryPage {
  /** Values as JS: strings, numbers, bigint (BIGINT, HUGEINT), Date (timestamps), arrays, objects, null. */
  readonly rows: readonly (readonly unknown[])[];
  /** The same values as DuckDB prints them (timestamps `2026-01-01 10:00:00.123+00`), null as null. */
  readonly text: readonly (readonly (string | null)[])[];
}

/** A query's result, materialized: every row in one page. */
export interface QueryResult extends QueryPage {
  readonly columns: readonly QueryColumn[];
}

/** A running query: its columns, and its rows page by page (read them once). */
export interface QueryStream {
  readonly columns: readonly QueryColumn[];
  pages(): AsyncIterable<QueryPage>;
}

/**
 * Starts `sql` on `connection` as a streaming query. A failing query, also one that fails after
 * some pages, throws a ConfigError with DuckDB's message (the SQL is the user's); `dir` is the lake.
 */
export async function streamQuery(
  connection: DuckDBConnection,
  sql: string,
  dir: string,
): Promise<QueryStream> {
  const failed = (error: unknown): ConfigError => {
    // node-api wraps parser errors in "Failed to extract statements: "; DuckDB's own message follows.
    const message = (error instanceof Error ? error.message : String(error)).replace(
      /^Failed to extract statements: /,
      '',
    );
    return new ConfigError(`query failed: ${message}`, { file: dir }, { cause: error });
  };
  let result: DuckDBResult;
  try {
    result = await connection.stream(sql);
  } catch (error) {
    throw failed(error);
  }
  // Loaded here, not imported, so that importing the library never loads DuckDB's native module.
  const { JSDuckDBValueConverter } = await import('@duckdb/node-api');
  const names = result.columnNames();
  const types = result.columnTypes();
  return {
    columns: names.map((name, i) => ({ name, type: String(types[i]) })),
    async *pages(): AsyncIterable<QueryPage> {
      for (;;) {
        let chunk: DuckDBDataChunk | null;
        try {
          chunk = await result.fetchChunk();
        } catch (error) {
          throw failed(error);
        }
        if (!chunk || chunk.rowCount === 0) return;
        yield pageOf(chunk, JSDuckDBValueConverter);
      }
    },
  };
}

/** One chunk as a page; its JS values are converted only when read (JSON output, `query`). */
function pageOf(chunk: DuckDBDataChunk, converter: DuckDBValueConverter<JS>): QueryPage {
  let rows: (JS | null)[][] | undefined;
  return {
    get rows() {
      rows ??= chunk.convertRows(converter);
      return rows;
    },
    text: chunk.getRows().map((row) => row.map((value) => (value === null ? null : String(value)))),
  };
}

/** Every page of `stream` in one result. */
export async function collectQuery(stream: QueryStream): Promise<QueryResult> {
  const rows: (readonly unknown[])[] = [];
  const text: (readonly (string | null)[])[] = [];
  for await (const page of stream.pages()) {
    for (const row of page.rows) rows.push(row);
    for (const row of page.text) text.push(row);
  }
  return { columns: stream.columns, rows, text };
}
