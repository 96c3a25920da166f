import { type Command, Option } from 'commander';
import { EXECUTION_STATUSES, type PartialConfig } from '../config/config-schema.js';
import { TABLE_NAMES, type TableName } from '../schema/index.js';
import type { GlueFlags } from './glue-export-step.js';
import type { LogFormat, LogLevel } from './run-logger.js';

/** The flags of `durable-export export`, as commander parses them. */
export interface ExportFlags extends GlueFlags {
  function?: string[];
  startedAfter?: string;
  startedBefore?: string;
  status?: (typeof EXECUTION_STATUSES)[number][];
  out?: string;
  config?: string;
  region?: string;
  endpointUrlLambda?: string;
  endpointUrlS3?: string;
  requestsPerSecond?: number;
  maxConcurrent?: number;
  summaryJson?: string;
  progress: boolean;
  dryRun?: boolean;
  logLevel: LogLevel;
  logFormat?: LogFormat;
  source?: 'history' | 'state';
  manifest?: string;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  expectedBucketOwner?: string;
  tables?: TableName[];
}

/** Declares every option of `export`, each with its config key or default and an example. */
export function addExportOptions(command: Command): Command {
  return command
    .option(
      '-f, --function <name>',
      'function name or ARN; repeat for several (config: export.functions)',
      collect,
    )
    .option(
      '--started-after <iso>',
      'only executions started at or after this time, e.g. 2026-01-01T00:00:00Z',
    )
    .option('--started-before <iso>', 'only executions started before this time, e.g. 2026-02-01T00:00:00Z')
    .addOption(
      new Option('--status <status...>', 'only executions with these statuses').choices(EXECUTION_STATUSES),
    )
    .option(
      '-o, --out <location>',
      'where the lake goes: s3://BUCKET/PREFIX or a local directory, e.g. ./lake',
    )
    .option('-c, --config <file>', 'JSON config file over config/default.json, e.g. config/prod.json')
    .addOption(
      new Option('--source <source>', 'history: list and read histories; state: GetDurableExecutionState')
        .choices(['history', 'state'])
        .default(undefined, 'history'),
    )
    .option(
      '--manifest <file>',
      'with --source state: JSON Lines {"durableExecutionArn","checkpointToken"}, path or s3://',
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile), e.g. eu-west-1')
    .option('--endpoint-url-lambda <url>', 'Lambda endpoint (default: AWS_ENDPOINT_URL_LAMBDA, else AWS)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3, else AWS)')
    .option(
      '--requests-per-second <n>',
      'Lambda API rate limit for the run (config: lambda.requestsPerSecond, default 10)',
      Number,
    )
    .option(
      '--max-concurrent <n>',
      'Lambda requests in flight (config: lambda.maxConcurrent, default 4)',
      Number,
    )
    .addOption(
      new Option('--sse <mode>', 'S3 server-side encryption (config: s3.sse)').choices(['AES256', 'aws:kms']),
    )
    .option('--kms-key-id <key>', 'KMS key id, ARN or alias for --sse aws:kms (config: s3.kmsKeyId)')
    .option(
      '--expected-bucket-owner <account>',
      'fail unless this account owns the bucket (config: s3.expectedBucketOwner)',
    )
    .option(
      '--register-glue',
      'after the export, create or update the Athena tables in the Glue Data Catalog',
    )
    .option('--glue-database <name>', 'Glue database for --register-glue (default durable_export)')
    .option('--glue-table-prefix <prefix>', 'prefix for the Glue table names, e.g. prod_')
    .option('--endpoint-url-glue <url>', 'Glue endpoint (default: AWS_ENDPOINT_URL_GLUE, else AWS)')
    .option(
      '--dry-run',
      'list the executions that would be exported and estimate requests and time; write nothing',
    )
    .option('--summary-json <file>', 'also write the run summary as JSON, e.g. for a scheduler')
    .option('--no-progress', 'no live progress line on a terminal')
    .addOption(
      new Option('--log-level <level>', 'log lines at or above this level')
        .choices(['debug', 'info', 'warn', 'error'])
        .default('info'),
    )
    .addOption(
      new Option(
        '--log-format <format>',
        'log lines as JSON or text (default: json when stderr is not a terminal)',
      ).choices(['json', 'text']),
    )
    .addOption(
      new Option(
        '--tables <table...>',
        'tables to write, executions among them (config: export.tables, default all)',
      ).choices(TABLE_NAMES),
    );
}

/** The configuration the flags set; they override config files and environment. */
export function flagsToConfig(flags: ExportFlags): PartialConfig {
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
  if (flags.tables) exp.tables = flags.tables;
  const s3: NonNullable<PartialConfig['s3']> = {};
  if (flags.sse) s3.sse = flags.sse;
  if (flags.kmsKeyId) s3.kmsKeyId = flags.kmsKeyId;
  if (flags.expectedBucketOwner) s3.expectedBucketOwner = flags.expectedBucketOwner;
  return { lambda, export: exp, s3: Object.keys(s3).length > 0 ? s3 : undefined };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
