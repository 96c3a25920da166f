import { parseFunctionArn } from '../aws/lambda-arn.js';
import type { RequestStats } from '../aws/rate-limiter.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { ConfigError, ExportError } from '../errors.js';
import { addRequestStats } from '../pipeline/add-summaries.js';
import { type DiscoveredFunction, selectFunctions } from '../source/discover-functions.js';
import { listExecutions } from '../source/list-executions.js';
import { type OpenSourceOptions, openSource } from '../source/open-source.js';
import { forEachTarget, noFunctionsAs } from '../targets/run-targets.js';
import { targetLabel } from '../targets/target-list.js';
import { sliceWindow } from './slice-window.js';
import type { WorkItem } from './work-item.js';

export interface PlanWorkOptions extends OpenSourceOptions {
  /** The executions an item should hold; busy functions are split into several items. */
  targetExecutionsPerItem: number;
}

/** A plan of work: its items, and what making it took. */
export interface WorkPlan {
  items: WorkItem[];
  /** `--all-functions`: the functions discovery found. */
  functionsDiscovered?: DiscoveredFunction[];
  /** Listing requests (one per page of executions, plus discovery's). */
  requests: RequestStats;
}

/**
 * `durable-export plan`: lists each function's executions in the request's window (one request per
 * page of `lambda.pageSize`, at most 1000, executions; no history is read) and cuts the window into
 * items of about `targetExecutionsPerItem` executions each (`sliceWindow`), numbered from 0 over all
 * functions. The items of one function partition its window exactly, so running every item equals
 * one export of the whole request. Account and Region come from the function's ARN (else the
 * connection's Region).
 */
export async function planWork(given: Config, options: PlanWorkOptions): Promise<WorkPlan> {
  if (given.export?.targets) return planTargetsWork(given, options);
  const { config, discovered } = await selectFunctions(given, options);
  const request = exportRequestOf(config);
  if (request.source === 'state') {
    throw new ConfigError(
      'plan lists executions by function: it needs the history source, not --source state',
    );
  }
  const { client, limiter, connection, close } = await openSource(config, request, options);
  const items: WorkItem[] = [];
  const window = { after: request.startedAfter?.getTime(), before: request.startedBefore?.getTime() };
  try {
    for (const name of request.functions) {
      const starts: number[] = [];
      let functionArn = discovered?.find((f) => f.name === name)?.arn;
      const listing = listExecutions(client, name, request, config.lambda.pageSize, options.signal);
      for await (const e of listing) {
        starts.push(e.startTimestamp.getTime());
        functionArn ??= e.functionArn;
      }
      const where = placeOf(functionArn);
      for (const slice of sliceWindow(starts, window, options.targetExecutionsPerItem)) {
        items.push({
          item: items.length,
          account: where.account,
          region: where.region ?? connection.region ?? null,
          roleArn: null,
          function: name,
          startedAfter: isoOf(slice.after),
          startedBefore: isoOf(slice.before),
          executions: slice.executions,
        });
      }
    }
  } finally {
    await close();
  }
  return { items, functionsDiscovered: discovered, requests: limiter.stats };
}

/**
 * A plan over several targets (`export.targets`): each target planned under its connection
 * (`forEachTarget`), its items naming its account, Region, role and external id, numbered from 0
 * over all targets. A target that fails fails the plan (naming each failed target): a plan that
 * silently left out an account would export less than asked.
 */
async function planTargetsWork(config: Config, options: PlanWorkOptions): Promise<WorkPlan> {
  const externalIds = new Map(config.export?.targets?.map((t) => [`${t.region} ${t.roleArn}`, t.externalId]));
  const none: WorkPlan = { items: [], requests: { requests: 0, throttled: 0, failedAttempts: 0 } };
  const outcomes = await forEachTarget(config, options, (single, connection) =>
    noFunctionsAs(planWork(single, { ...options, ...connection }), none),
  );
  const failed = outcomes.flatMap((o) => (o.error ? [`${targetLabel(o)}: ${o.error.message}`] : []));
  if (failed.length > 0) {
    throw new ExportError(`plan: ${failed.length} target(s) failed: ${failed.join('; ')}`, {
      stage: 'source',
    });
  }
  const items: WorkItem[] = [];
  const plans = outcomes.flatMap((o) => (o.error ? [] : [{ place: o, plan: o.value }]));
  for (const { place, plan } of plans) {
    for (const item of plan.items) {
      items.push({
        ...item,
        item: items.length,
        account: place.account ?? item.account,
        region: place.region,
        roleArn: place.roleArn,
        externalId: externalIds.get(`${place.region} ${place.roleArn}`) ?? null,
      });
    }
  }
  return {
    items,
    functionsDiscovered: plans.flatMap((p) => p.plan.functionsDiscovered ?? []),
    requests: addRequestStats(plans.map((p) => p.plan.requests)),
  };
}

/** Account and Region of a function ARN (src/aws/lambda-arn.ts). */
function placeOf(functionArn: string | undefined): { account: string | null; region?: string } {
  const place = functionArn === undefined ? undefined : parseFunctionArn(functionArn);
  return place ? { account: place.accountId, region: place.region } : { account: null };
}

function isoOf(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
