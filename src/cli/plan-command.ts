import { type Command, InvalidArgumentError } from 'commander';
import type { AwsConnection } from '../aws/aws-connection.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { planWork, type WorkPlan } from '../plan/plan-work.js';
import type { WorkItem } from '../plan/work-item.js';
import { PLAN_S3_URL, planText, writePlan } from '../plan/write-plan.js';
import { targetLabel, targetsOfCommand, withTargets } from '../targets/target-list.js';
import {
  awsConnectionOfFlags,
  collect,
  configFlagNames,
  type ExportFlags,
  flagsToConfig,
  targetFlagsOf,
} from './export-options.js';
import { checkOutputFile, STANDARD_OUTPUT } from './output-file.js';

/** The flags of `plan`: the export's that choose what to list, and where the plan goes. */
type PlanFlags = Pick<
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
      if (flags.planOut !== STANDARD_OUTPUT && !flags.planOut.startsWith('s3://')) {
        await checkOutputFile(flags.planOut, '--plan-out');
      }
      if (flags.planOut.startsWith('s3://') && !PLAN_S3_URL.test(flags.planOut)) {
        throw new ConfigError(`--plan-out ${flags.planOut}: expected s3://BUCKET/KEY`);
      }
      const aws = awsConnectionOfFlags(flags);
      const loaded = await loadConfig({
        file: flags.config,
        env: process.env,
        flags: flagsToConfig({ ...flags, progress: false, logLevel: 'info' } satisfies ExportFlags),
        flagNames: configFlagNames(),
      });
      // Several Regions or roles: items per target, each naming its account, Region and role.
      const config = withTargets(loaded, await targetsOfCommand(targetFlagsOf(flags), aws));
      const plan = await planWork(config, { ...aws, targetExecutionsPerItem: flags.targetExecutionsPerItem });
      await writePlanOut(flags.planOut, planText(plan.items), aws);
      const report = flags.planOut === STANDARD_OUTPUT ? process.stderr : process.stdout;
      report.write(formatWorkPlan(plan, flags.planOut));
    });
}

/** Writes the plan to a file, `s3://BUCKET/KEY` or standard output. */
async function writePlanOut(location: string, text: string, aws: AwsConnection) {
  if (location === STANDARD_OUTPUT) {
    process.stdout.write(text);
    return;
  }
  await writePlan(location, text, aws);
}

/** What `plan` prints: the items, one a line, and the totals. */
function formatWorkPlan(plan: WorkPlan, location: string): string {
  // Several targets: each item names its account, Region and role.
  const placeOf = (i: WorkItem) => `${targetLabel({ ...i, region: i.region ?? '-' })}\t`;
  const places = new Set(plan.items.map(placeOf));
  const targeted = places.size > 1 || plan.items.some((i) => i.roleArn !== null);
  const where = (i: WorkItem) => (targeted ? placeOf(i) : '');
  const lines = plan.items.map(
    (i) =>
      `${i.item}\t${where(i)}${i.function}\t[${i.startedAfter ?? '-'}, ${i.startedBefore ?? '-'})\t${i.executions}`,
  );
  const functions = new Set(plan.items.map((i) => `${where(i)}${i.function}`)).size;
  const executions = plan.items.reduce((n, i) => n + i.executions, 0);
  lines.push(
    '',
    `durable-export: plan of ${plan.items.length} work items over ${functions} functions, ${executions} executions listed (${plan.requests.requests} requests)`,
    `  written to            ${location}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--target-executions-per-item`: an integer of at least 1. */
function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}
