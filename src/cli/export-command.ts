import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { PartialConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { runExportJob } from '../export-job.js';
import { EXIT } from './exit-codes.js';
import { exitCodeOf } from './exit-status.js';
import { type GlueFlags, glueStepOf, runGlueStep } from './glue-export-step.js';
import { ProgressLine } from './progress-line.js';
import { formatSummary } from './summary-report.js';

interface ExportFlags extends GlueFlags {
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
  source?: 'history' | 'state';
  manifest?: string;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  expectedBucketOwner?: string;
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
    .addOption(
      new Option(
        '--source <source>',
        'history (default): list and read histories; state: GetDurableExecutionState for the executions in --manifest',
      ).choices(['history', 'state']),
    )
    .option(
      '--manifest <file>',
      'with --source state: JSON Lines of {"durableExecutionArn","checkpointToken"}, a path or s3://BUCKET/KEY',
    )
    .addOption(
      new Option('--sse <mode>', 'S3 server-side encryption of the objects (config: s3.sse)').choices([
        'AES256',
        'aws:kms',
      ]),
    )
    .option('--kms-key-id <key>', 'KMS key id, ARN or alias for --sse aws:kms (config: s3.kmsKeyId)')
    .option(
      '--expected-bucket-owner <account>',
      'fail unless this account owns the bucket; sent on every S3 request (config: s3.expectedBucketOwner)',
    )
    .option('--no-progress', 'do not print the progress line')
    .option(
      '--register-glue',
      'after the export, create or update the Athena tables in the Glue Data Catalog',
    )
    .option(
      '--glue-database <name>',
      'Glue database for --register-glue (default durable_export; created if missing)',
    )
    .option('--glue-table-prefix <prefix>', 'prefix for the Glue table names, e.g. prod_')
    .option('--endpoint-url-glue <url>', 'Glue endpoint (default: AWS_ENDPOINT_URL_GLUE or AWS)')
    .addHelpText(
      'after',
      '\nExamples:\n  durable-export export --function orders --out s3://my-lake/durable --started-after 2026-01-01T00:00:00Z\n  durable-export export -f orders -f payments --status FAILED --out ./lake\n  durable-export export --source state --manifest tokens.jsonl --out ./lake\n',
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
  const glue = glueStepOf(flags, config.export?.out);
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
  // Skipped manifest lines make a run partial (1) even when every listed execution was exported.
  const code = Math.max(exitCodeOf(summary), summary.inputLinesSkipped ? EXIT.partial : EXIT.ok);
  // --register-glue: only when something was exported; a failure makes the run partial.
  return glue && code < EXIT.fatal ? Math.max(code, await runGlueStep(glue, flags.region)) : code;
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
  if (flags.source) exp.source = flags.source;
  if (flags.manifest) exp.manifest = flags.manifest;
  const s3: NonNullable<PartialConfig['s3']> = {};
  if (flags.sse) s3.sse = flags.sse;
  if (flags.kmsKeyId) s3.kmsKeyId = flags.kmsKeyId;
  if (flags.expectedBucketOwner) s3.expectedBucketOwner = flags.expectedBucketOwner;
  return { lambda, export: exp, ...(Object.keys(s3).length > 0 ? { s3 } : {}) };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
