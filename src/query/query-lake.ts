import { openLakeSession } from './lake-session.js';
import { type LocalLakeOptions, localLakeOf } from './local-lake.js';
import { collectQuery, type QueryResult, type QueryStream } from './query-stream.js';

/**
 * Runs one query over the lake at `out` (a local directory or `s3://BUCKET/PREFIX`) and hands its
 * rows, as they stream from DuckDB, to `consume`: copies the files of an S3 lake that `sql` reads
 * to a temporary directory (`localLakeOf`), opens DuckDB with the views and the Trino shim, runs
 * `sql`, and cleans up once `consume` is done, also on failure.
 *
 * @example
 * const rows = await withLakeQuery('./lake', 'SELECT * FROM operations', async (stream) => {
 *   let n = 0;
 *   for await (const page of stream.pages()) n += page.text.length;
 *   return n;
 * });
 */
export async function withLakeQuery<T>(
  out: string,
  sql: string,
  consume: (stream: QueryStream) => Promise<T>,
  options: LocalLakeOptions = {},
): Promise<T> {
  const lake = await localLakeOf(out, sql, options);
  try {
    const session = await openLakeSession(lake.dir);
    try {
      return await consume(await session.stream(sql));
    } finally {
      session.close();
    }
  } finally {
    await lake.dispose();
  }
}

/**
 * Runs one query over the lake at `out`, as `withLakeQuery`, and returns every row at once.
 *
 * @example
 * const result = await queryLake('./lake', 'SELECT status, count(*) AS n FROM executions GROUP BY 1');
 */
export async function queryLake(
  out: string,
  sql: string,
  options: LocalLakeOptions = {},
): Promise<QueryResult> {
  return withLakeQuery(out, sql, collectQuery, options);
}
