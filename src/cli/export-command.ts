import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { PartialConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { runExportJob } from '../export-job.js';
import { EXIT } from './exit-codes.js';
import { ProgressLine } from './progress-line.js';
import { formatSummary } from './summary-report.js';

interface ExportFlags {
  function?: string[];
  startedAfter?: string;
  startedBefore?: string;
  status?: string[];
  out?: string;
  config?: string;
  region?: string;
  endpointUrlLambda?: string;
  endpointUrlS3?: string;
  requestsPerSecond?: number;
  maxConcurrent?: number;
  summaryJson?: string;
  progress: boolean;
}

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Export the executions of one or more durable functions (history source) to Parquet.')
    .option(
      '-f, --function <name>',
      'function name or ARN; repeat for several (config: export.functions)',
      collect,
    )
    .option('--started-after <iso>', 'only executions started after this time, e.g. 2026-01-01T00:00:00Z')
    .option('--started-before <iso>', 'only executions started before this time')
    .addOption(new Option('--status <status...>', 'only executions with these statuses').choices(STATUSES))
    .option('-o, --out <location>', 's3://BUCKET/PREFIX or a local directory, e.g. ./lake')
    .option('-c, --config <file>', 'JSON config file (see config/default.json for the keys)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--endpoint-url-lambda <url>', 'Lambda endpoint (default: AWS_ENDPOINT_URL_LAMBDA or AWS)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)')
    .option('--requests-per-second <n>', 'Lambda API rate limit (config: lambda.requestsPerSecond)', Number)
    .option('--max-concurrent <n>', 'Lambda requests in flight (config: lambda.maxConcurrent)', Number)
    .option('--summary-json <file>', 'also write the run summary as JSON to this file')
    .option('--no-progress', 'do not print the progress line')
    .addHelpText(
      'after',
      '\nExamples:\n  durable-export export --function orders --out s3://my-lake/durable --started-after 2026-01-01T00:00:00Z\n  durable-export export -f orders -f payments --status FAILED --out ./lake\n',
    )
    .action(async (flags: ExportFlags) => {
      process.exitCode = await exportAction(flags);
    });
}

async function exportAction(flags: ExportFlags): Promise<number> {
  const config = await loadConfig({
    ...(flags.config ? { file: flags.config } : {}),
    env: process.env,
    flags: flagsToConfig(flags),
  });
  const progress =
    flags.progress && process.stderr.isTTY
      ? new ProgressLine(process.stderr, { requestsPerSecond: config.lambda.requestsPerSecond })
      : undefined;
  const summary = await runExportJob(config, {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.endpointUrlLambda ? { endpointUrlLambda: flags.endpointUrlLambda } : {}),
    ...(flags.endpointUrlS3 ? { endpointUrlS3: flags.endpointUrlS3 } : {}),
    ...(progress ? { onProgress: (s) => progress.update(s) } : {}),
  });
  progress?.end();
  process.stdout.write(formatSummary(summary));
  if (flags.summaryJson) await writeFile(flags.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  return summary.executionsFailed > 0 ? EXIT.partial : EXIT.ok;
}

function flagsToConfig(flags: ExportFlags): PartialConfig {
  const lambda: NonNullable<PartialConfig['lambda']> = {};
  if (flags.requestsPerSecond !== undefined) lambda.requestsPerSecond = flags.requestsPerSecond;
  if (flags.maxConcurrent !== undefined) lambda.maxConcurrent = flags.maxConcurrent;
  const exp: NonNullable<PartialConfig['export']> = {};
  if (flags.function) exp.functions = flags.function;
  if (flags.startedAfter) exp.startedAfter = flags.startedAfter;
  if (flags.startedBefore) exp.startedBefore = flags.startedBefore;
  if (flags.status) exp.statuses = flags.status;
  if (flags.out) exp.out = flags.out;
  return { lambda, export: exp };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
