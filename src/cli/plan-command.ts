import { type Command, InvalidArgumentError } from 'commander';
import { collect, type ExportFlags } from './export-options.js';

/** The flags of `plan`: the export's that choose what to list, and where the plan goes. */
export type PlanFlags = Pick<
  ExportFlags,
  | 'function'
  | 'allFunctions'
  | 'functionPrefix'
  | 'functionTag'
  | 'startedAfter'
  | 'startedBefore'
  | 'out'
  | 'config'
  | 'region'
  | 'roleArn'
  | 'externalId'
  | 'targetsFile'
  | 'profile'
  | 'endpointUrlLambda'
  | 'endpointUrlS3'
  | 'endpointUrlSts'
> & {
  planOut: string;
  targetExecutionsPerItem: number;
};

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'Split an export into work items of similar size (JSON Lines), for `export --work-item` or `--shard` in separate processes.',
    )
    .option('-f, --function <name>', 'function name or ARN; repeat for several', collect)
    .option('--all-functions', 'every function with durable execution enabled (ListFunctions)')
    .option('--function-prefix <prefix>', 'with --all-functions: only functions whose name starts with this')
    .option(
      '--function-tag <key=value>',
      'with --all-functions: only functions with this tag; repeatable',
      collect,
    )
    .option('--started-after <iso>', 'only executions started at or after this date (UTC) or time')
    .option('--started-before <iso>', 'only executions started before this date (UTC) or time')
    .option('-o, --out <location>', 'the lake the items will be exported into (checked as export checks it)')
    .requiredOption('--plan-out <file>', 'where the plan goes: a path, s3://BUCKET/KEY, or - for stdout')
    .option(
      '--target-executions-per-item <n>',
      'executions per item; a busier function is split into time slices',
      positiveInt,
      10_000,
    )
    .option('-c, --config <file>', 'JSON config file over config/default.json')
    .option('--region <region>', 'AWS region; repeat to plan several Regions', collect)
    .option('--role-arn <arn>', 'plan the account of this IAM role in each --region; repeatable', collect)
    .option('--external-id <id>', 'the external id sent with every --role-arn (written into its items)')
    .option('--targets-file <file>', 'JSON Lines of {"region","roleArn"?,"externalId"?}: the targets to plan')
    .option(
      '--endpoint-url-sts <url>',
      'STS endpoint for --role-arn (default: AWS_ENDPOINT_URL_STS, else AWS)',
    )
    .option('--profile <name>', 'AWS named profile')
    .option('--endpoint-url-lambda <url>', 'Lambda endpoint (default: AWS_ENDPOINT_URL_LAMBDA, else AWS)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint for an s3:// --plan-out')
    .addHelpText(
      'after',
      `
Sizing lists each function's executions (one request per page of 1000; no history is read).
An item is one function and one half-open time slice [startedAfter, startedBefore), cut at
execution start times: the items of a function partition its window, so the items together
export exactly what one export of the same request would.

Exit codes: 0 written; 2 usage or configuration error; 3 a listing or the write failed.

Examples:
  durable-export plan --all-functions --started-after 2026-01-01 --started-before 2026-02-01 \\
    --out s3://my-lake/durable --plan-out s3://my-lake/plans/jan.jsonl
  durable-export export --plan s3://my-lake/plans/jan.jsonl --shard 0/3 --out s3://my-lake/durable
  durable-export export --work-item plan.jsonl#4 --out ./lake
`,
    )
    .action(async (flags: PlanFlags) => {
      // Loaded here so that `--help` and the other commands never load the planner's modules.
      const { planAction } = await import('./plan-action.js');
      await planAction(flags);
    });
}

/** `--target-executions-per-item`: an integer of at least 1. */
function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}
