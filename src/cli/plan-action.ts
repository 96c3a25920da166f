import type { AwsConnection } from '../aws/aws-connection.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { planWork, type WorkPlan } from '../plan/plan-work.js';
import type { WorkItem } from '../plan/work-item.js';
import { PLAN_S3_URL, planText, writePlan } from '../plan/write-plan.js';
import { targetLabel, targetsOfCommand, withTargets } from '../targets/target-list.js';
import {
  awsConnectionOfFlags,
  configFlagNames,
  type ExportFlags,
  flagsToConfig,
  targetFlagsOf,
} from './export-options.js';
import { checkOutputFile, STANDARD_OUTPUT } from './output-file.js';
import type { PlanFlags } from './plan-command.js';

/** `durable-export plan`: sizes the export the flags describe and writes its work items. */
export async function planAction(flags: PlanFlags): Promise<void> {
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
