import { type Command, InvalidArgumentError, Option } from 'commander';
import { COOKBOOK } from '../athena/cookbook.js';
import { MAX_CELL_WIDTH, type QueryOutputFormat } from '../query/format-query-result.js';
import { DEFAULT_MAX_DOWNLOAD_MB } from '../query/max-download.js';
import { TABLE_NAMES } from '../schema/index.js';

export interface QueryFlags {
  out: string;
  format: QueryOutputFormat;
  fullWidth?: boolean;
  cookbook?: string;
  param?: string[];
  region?: string;
  endpointUrlS3?: string;
  maxDownloadMb: number;
}

export function registerQueryCommand(program: Command): void {
  program
    .command('query')
    .description(
      `Run Athena (Trino) SQL locally with DuckDB over an exported lake: views ${TABLE_NAMES.join(', ')}, partition column dt.`,
    )
    .argument('[sql]', 'the query, e.g. "SELECT status, count(*) FROM executions GROUP BY 1"')
    .requiredOption(
      '-o, --out <location>',
      'the lake: a local directory, or s3://BUCKET/PREFIX (the files the query reads are copied to a temp dir)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output format: table for people, csv or json for tools (all streamed row by row)',
      )
        .choices(['table', 'csv', 'json'])
        .default('table'),
    )
    .option(
      '--full-width',
      `table: show whole cells (by default a cell is cut at ${MAX_CELL_WIDTH} characters, ending in …)`,
    )
    .option('--cookbook <id>', 'run the docs/QUERIES.md query with this id instead of SQL (listed below)')
    .option(
      '--param <name=value>',
      'set a parameter of the --cookbook query (repeatable; listed below with their defaults)',
      (pair: string, pairs: string[] = []) => [...pairs, pair],
    )
    .option(
      '--max-download-mb <mb>',
      's3:// lake: refuse a query whose files (the tables it names, the dt partitions its WHERE selects) exceed this',
      toMegabytes,
      DEFAULT_MAX_DOWNLOAD_MB,
    )
    .option('--region <region>', 'AWS region of an s3:// lake (default: AWS_REGION or the profile)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)')
    .addHelpText(
      'after',
      `\nCookbook queries (--cookbook <id>):\n${cookbookLines()}\nExamples:\n  durable-export query --out /tmp/durable-lake "SELECT type, count(*) AS n FROM operations GROUP BY 1 ORDER BY n DESC"\n  durable-export query --out s3://my-lake/durable --cookbook step-failure-rate-by-day --format csv\n  durable-export query --out /tmp/durable-lake --cookbook failures-since-version --param version=3\n`,
    )
    .action(async (sql: string | undefined, flags: QueryFlags) => {
      // Loaded here so that `--help` and the other commands never load the query's modules.
      const { queryAction } = await import('./query-action.js');
      process.exitCode = await queryAction(sql, flags);
    });
}

function toMegabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive number of megabytes.');
  return n;
}

/** One line per cookbook query, its id and title, and one more per parameter. */
function cookbookLines(): string {
  const width = Math.max(...COOKBOOK.map((q) => q.id.length));
  const indent = ' '.repeat(width + 4);
  return COOKBOOK.map(
    (q) =>
      `  ${q.id.padEnd(width)}  ${q.title}\n${q.params
        .map((p) => `${indent}--param ${p.name}=${p.default}  (${p.type}) ${p.description}\n`)
        .join('')}`,
  ).join('');
}
