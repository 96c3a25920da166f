import { openLakeSession, type QueryResult } from './lake-session.js';
import { type LocalLakeOptions, localLakeOf } from './local-lake.js';

/**
 * Runs one query over the lake at `out` (a local directory or `s3://BUCKET/PREFIX`): copies an S3
 * lake to a temporary directory, opens DuckDB with the views and the Trino shim, runs `sql`, and
 * cleans up, also on failure.
 *
 * @example
 * const result = await queryLake('./lake', 'SELECT status, count(*) AS n FROM executions GROUP BY 1');
 */
export async function queryLake(
  out: string,
  sql: string,
  options: LocalLakeOptions = {},
): Promise<QueryResult> {
  const lake = await localLakeOf(out, options);
  try {
    const session = await openLakeSession(lake.dir);
    try {
      return await session.query(sql);
    } finally {
      session.close();
    }
  } finally {
    await lake.dispose();
  }
}
