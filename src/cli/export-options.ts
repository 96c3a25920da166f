import { type Command, Option } from 'commander';
import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import { flagOf } from '../aws/connection-settings.js';
import type { PartialConfig } from '../config/config-schema.js';
import { EXECUTION_STATUSES } from '../config/execution-statuses.js';
import { TABLE_NAMES, type TableName } from '../schema/index.js';
import type { TargetFlags } from '../targets/target-list.js';
import type { GlueFlags } from './glue-export-step.js';
import type { LogFormat, LogLevel } from './run-logger.js';

/** The flags of `durable-export export`, as commander parses them. */
export interface ExportFlags extends GlueFlags {
  function?: string[];
  allFunctions?: boolean;
  functionPrefix?: string;
  functionTag?: string[];
  startedAfter?: string;
  startedBefore?: string;
  status?: (typeof EXECUTION_STATUSES)[number][];
  out?: string;
  config?: string;
  /** `--region`, repeatable: more than one reads each Region (a target per Region). */
  region?: string[];
  roleArn?: string[];
  externalId?: string;
  targetsFile?: string;
  profile?: string;
  endpointUrlLambda?: string;
  endpointUrlS3?: string;
  endpointUrlSts?: string;
  /** A number, or the text typed when it is not one (the config check names both). */
  requestsPerSecond?: number | string;
  maxConcurrent?: number | string;
  rateLimitList?: number | string;
  rateLimitHistory?: number | string;
  rateLimitGetExecution?: number | string;
  rateLimitState?: number | string;
  limiter?: string;
  workers?: number | string;
  summaryJson?: string;
  progress: boolean;
  dryRun?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  logLevel: LogLevel;
  logFormat?: LogFormat;
  source?: 'history' | 'state';
  manifest?: string;
  sse?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  expectedBucketOwner?: string;
  tables?: TableName[];
  forceReexport?: boolean;
  sinceLastRun?: boolean;
  executionArn?: string[];
  workItem?: string;
  plan?: string;
  shard?: string;
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
      '--all-functions',
      'every function with durable execution enabled (ListFunctions; not with --function; config: export.allFunctions)',
    )
    .option(
      '--function-prefix <prefix>',
      'with --all-functions: only functions whose name starts with this (config: export.functionPrefix)',
    )
    .option(
      '--function-tag <key=value>',
      'with --all-functions: only functions with this tag; repeat for several, all must match (config: export.functionTags)',
      collect,
    )
    .option(
      '--started-after <iso>',
      'only executions started at or after this date (UTC) or time, e.g. 2026-01-01 or 2026-01-01T09:30Z',
    )
    .option(
      '--since-last-run',
      "export what started since the function's watermark in --out (the first run needs --started-after) and re-check executions RUNNING at the last run",
    )
    .option(
      '--started-before <iso>',
      'only executions started before this date (UTC) or time, e.g. 2026-02-01T00:00:00Z',
    )
    .addOption(
      new Option('--status <status...>', 'only executions with these statuses').choices(EXECUTION_STATUSES),
    )
    .option(
      '-o, --out <location>',
      'where the lake goes: s3://BUCKET/PREFIX or a local directory, e.g. ./lake',
    )
    .option(
      '-c, --config <file>',
      'JSON config file over config/default.json (default: DURABLE_EXPORT_CONFIG, else ~/.config/durable-export/config.json if present)',
    )
    .addOption(
      new Option('--source <source>', 'history: list and read histories; state: GetDurableExecutionState')
        .choices(['history', 'state'])
        .default(undefined, 'history'),
    )
    .option(
      '--manifest <file>',
      'with --source state: JSON Lines {"durableExecutionArn","checkpointToken"}, path or s3://',
    )
    .option(
      '--execution-arn <arn>',
      'export exactly this durable execution instead of listing functions; repeat for several (config: export.executionArns)',
      collect,
    )
    .option(
      '--region <region>',
      "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, or the profile), e.g. eu-west-1; repeat to read several Regions (the first is the lake's)",
      collect,
    )
    .option(
      '--role-arn <arn>',
      'read the account of this IAM role (sts:AssumeRole) in each --region; repeatable (config: export.targets)',
      collect,
    )
    .option('--external-id <id>', 'the external id sent with every --role-arn')
    .option(
      '--targets-file <file>',
      'JSON Lines of {"region","roleArn"?,"externalId"?}, a path or s3://BUCKET/KEY: the targets to read (config: export.targets)',
    )
    .option(
      '--endpoint-url-sts <url>',
      'STS endpoint for --role-arn (default: AWS_ENDPOINT_URL_STS, else AWS)',
    )
    .option('--profile <name>', 'AWS named profile for credentials and Region (default: AWS_PROFILE)')
    .option('--endpoint-url-lambda <url>', 'Lambda endpoint (default: AWS_ENDPOINT_URL_LAMBDA, else AWS)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3, else AWS)')
    .option(
      '--requests-per-second <n>',
      'overall cap on Lambda requests/s, every API together (config: lambda.requestsPerSecond, default: none)',
      numberOrText,
    )
    .option(
      '--max-concurrent <n>',
      'Lambda requests in flight, per API (config: lambda.maxConcurrent, default 4)',
      numberOrText,
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
      new Option(
        '-q, --quiet',
        'print only errors: no progress line, no log lines below error, the summary only when something failed',
      ).conflicts(['verbose', 'logLevel']),
    )
    .addOption(
      new Option(
        '-v, --verbose',
        'log lines at debug level (the Region and endpoints in use, ...), also on a terminal',
      ).conflicts('logLevel'),
    )
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
    )
    .option(
      '--force-reexport',
      'export executions another run already exported in the same final status (config: export.forceReexport)',
    )
    .option(
      '--work-item <file#n>',
      'run item N of a plan (durable-export plan), or all its items without #N; a path or s3://BUCKET/KEY',
    )
    .option('--plan <file>', 'with --shard: the plan (JSON Lines from durable-export plan), a path or s3://')
    .option('--shard <i/N>', 'run the items of --plan whose number is i modulo N, e.g. 0/3, 1/3, 2/3')
    .option(
      '--rate-limit-list <n>',
      'ListDurableExecutionsByFunction requests/s (config: lambda.rateLimits.list, default 15)',
      numberOrText,
    )
    .option(
      '--rate-limit-history <n>',
      'GetDurableExecutionHistory requests/s (config: lambda.rateLimits.history, default 15)',
      numberOrText,
    )
    .option(
      '--rate-limit-get-execution <n>',
      'GetDurableExecution requests/s (config: lambda.rateLimits.getExecution, default 30)',
      numberOrText,
    )
    .option(
      '--rate-limit-state <n>',
      'GetDurableExecutionState requests/s (config: lambda.rateLimits.state, default 10000)',
      numberOrText,
    )
    .option(
      '--limiter <url>',
      'local, or redis://HOST:PORT[/db] to share each API limit with every worker using it (config: lambda.limiter, default local)',
    )
    .option(
      '--workers <n>',
      'workers sharing the limits; if Redis fails each goes on at limit/n (config: lambda.workers, default 1)',
      numberOrText,
    );
}

/**
 * The flags that set config keys: `section.key` and the flag's attribute. The one list both
 * `flagsToConfig` and the messages naming a bad flag (`configFlagNames`) read.
 */
const CONFIG_FLAGS = [
  ['lambda.requestsPerSecond', 'requestsPerSecond'],
  ['lambda.maxConcurrent', 'maxConcurrent'],
  ['lambda.rateLimits.list', 'rateLimitList'],
  ['lambda.rateLimits.history', 'rateLimitHistory'],
  ['lambda.rateLimits.getExecution', 'rateLimitGetExecution'],
  ['lambda.rateLimits.state', 'rateLimitState'],
  ['lambda.limiter', 'limiter'],
  ['lambda.workers', 'workers'],
  ['export.functions', 'function'],
  ['export.allFunctions', 'allFunctions'],
  ['export.functionPrefix', 'functionPrefix'],
  ['export.functionTags', 'functionTag'],
  ['export.startedAfter', 'startedAfter'],
  ['export.startedBefore', 'startedBefore'],
  ['export.statuses', 'status'],
  ['export.out', 'out'],
  ['export.source', 'source'],
  ['export.manifest', 'manifest'],
  ['export.tables', 'tables'],
  ['export.forceReexport', 'forceReexport'],
  ['export.executionArns', 'executionArn'],
  ['s3.sse', 'sse'],
  ['s3.kmsKeyId', 'kmsKeyId'],
  ['s3.expectedBucketOwner', 'expectedBucketOwner'],
] as const satisfies readonly (readonly [string, keyof ExportFlags])[];

/** The configuration the flags set; they override config files and environment. */
export function flagsToConfig(flags: ExportFlags): PartialConfig {
  const config: Record<string, unknown> = {};
  for (const [path, attribute] of CONFIG_FLAGS) {
    const value = flags[attribute];
    if (value === undefined) continue;
    const keys = path.split('.');
    const last = keys.pop() as string;
    let at = config;
    for (const key of keys) {
      at[key] = { ...(at[key] as Record<string, unknown> | undefined) };
      at = at[key] as Record<string, unknown>;
    }
    at[last] = value;
  }
  return config as PartialConfig;
}

/** For each config key a flag sets, the flag: `lambda.maxConcurrent` -> `--max-concurrent`. */
export function configFlagNames(): Record<string, string> {
  return Object.fromEntries(CONFIG_FLAGS.map(([path, attribute]) => [path, flagOf(attribute)]));
}

/** A number flag's value: the number, or the text as typed when it is none (`abc`, not NaN). */
function numberOrText(value: string): number | string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/**
 * The connection the flags name: the first `--region` (the lake's, and the only one for a single
 * target), the profile, the endpoints.
 */
export function awsConnectionOfFlags(flags: Omit<ExportFlags, 'progress' | 'logLevel'>): AwsConnection {
  return awsConnectionOf({ ...flags, region: flags.region?.[0] });
}

/** The target flags (`--region`, `--role-arn`, `--external-id`, `--targets-file`) for `targetsOfCommand`. */
export function targetFlagsOf(
  flags: Pick<ExportFlags, 'region' | 'roleArn' | 'externalId' | 'targetsFile'>,
): TargetFlags {
  return {
    regions: flags.region,
    roleArns: flags.roleArn,
    externalId: flags.externalId,
    targetsFile: flags.targetsFile,
  };
}

/** A repeatable option's values, in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
