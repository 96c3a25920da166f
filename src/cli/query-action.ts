import { cookbookQuery, cookbookSql } from '../athena/cookbook.js';
import { paramValues } from '../athena/cookbook-params.js';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { ConfigError } from '../errors.js';
import { MAX_CELL_WIDTH } from '../query/format-query-result.js';
import { EXIT } from './exit-codes.js';
import type { QueryFlags } from './query-command.js';
import { queryFetchProgress } from './query-fetch-progress.js';

/** `durable-export query`: runs the SQL or cookbook query over the lake; resolves to the exit code. */
export async function queryAction(sql: string | undefined, flags: QueryFlags): Promise<number> {
  if ((sql === undefined) === (flags.cookbook === undefined)) {
    throw new ConfigError('give either SQL or --cookbook <id> (see docs/QUERIES.md), not both or neither');
  }
  if (flags.param && flags.cookbook === undefined) {
    throw new ConfigError('--param sets a parameter of a --cookbook query; write values into your own SQL');
  }
  const values = paramValues(flags.param ?? []);
  const text = sql ?? cookbookSql(cookbookQuery(flags.cookbook as string), values);
  // Loaded here so that other commands never load DuckDB's native module.
  const { withLakeQuery } = await import('../query/query-lake.js');
  const { writeQueryResult } = await import('../query/write-query-result.js');
  await withLakeQuery(
    flags.out,
    text,
    (stream) =>
      writeQueryResult(stream, flags.format, process.stdout, {
        maxCellWidth: flags.fullWidth ? Number.POSITIVE_INFINITY : MAX_CELL_WIDTH,
      }),
    {
      ...awsConnectionOf(flags),
      maxDownloadMb: flags.maxDownloadMb,
      onProgress: queryFetchProgress(flags.out),
    },
  );
  return EXIT.ok;
}
