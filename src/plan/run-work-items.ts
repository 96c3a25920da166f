import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import { targetConnection } from '../aws/target-connection.js';
import type { Config } from '../config/config-schema.js';
import { ConfigError, describeError, ExportError } from '../errors.js';
import { type ExportJobOptions, runExportJob } from '../export-job.js';
import { runIncrementalExport } from '../incremental/incremental-export.js';
import { ExportInterrupted } from '../pipeline/export-interrupted.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { awsServicesOf } from '../source/open-source.js';
import { combineSummaries, type WorkItemsSummary } from './combine-summaries.js';
import type { SelectedWorkItems } from './read-work-items.js';
import type { WorkItem } from './work-item.js';

/**
 * The config of one work item: the export's config with the item's function and window. A function
 * or window set otherwise would be silently replaced, so it is a usage error (`checkWorkItemConfig`).
 */
export function configOfItem(config: Config, item: WorkItem): Config {
  return {
    ...config,
    export: {
      ...config.export,
      functions: [item.function],
      startedAfter: item.startedAfter ?? undefined,
      startedBefore: item.startedBefore ?? undefined,
    },
  };
}

/**
 * The config of one item of a `--since-last-run` plan (`planSinceLastRun`): its function, and its
 * window's start for a function with no watermark yet; the watermark sets the window otherwise.
 */
export function incrementalConfigOfItem(config: Config, item: WorkItem): Config {
  return {
    ...config,
    export: { ...config.export, functions: [item.function], startedAfter: item.startedAfter ?? undefined },
  };
}

/** The work item sets the function and the window: the export's own config must not. */
export function checkWorkItemConfig(config: Config): void {
  const e = config.export ?? {};
  const set = [
    e.functions?.length ? '--function' : undefined,
    e.allFunctions ? '--all-functions' : undefined,
    e.functionPrefix !== undefined ? '--function-prefix' : undefined,
    e.functionTags?.length ? '--function-tag' : undefined,
    e.startedAfter !== undefined ? '--started-after' : undefined,
    e.startedBefore !== undefined ? '--started-before' : undefined,
  ].filter((flag) => flag !== undefined);
  if (set.length > 0) {
    throw new ConfigError(
      `a work item sets the function and the time window: drop ${set.join(', ')} (or export.functions, export.startedAfter, ... in the config)`,
    );
  }
}

/** How `runWorkItems` runs the items. */
export interface RunWorkItemsOptions extends ExportJobOptions {
  onItem?: (item: WorkItem) => void;
  /**
   * The items are a `--since-last-run` plan's (`planSinceLastRun`): each runs as an incremental
   * export of its function (`runIncrementalExport`), which takes its window from the function's
   * watermark and advances it after its manifest.
   */
  sinceLastRun?: boolean;
}

/**
 * Runs the selected items one after the other, each a normal export (`runExportJob`) of its
 * function and window into the same lake (or, with `sinceLastRun`, an incremental export of its
 * function), each under its target's connection (account, Region, role), and so its own job: a re-run
 * of the same items resumes each. The summary adds them up and names each item. An interruption
 * stops after the current item (`ExportInterrupted` with the summary so far); an error names the
 * item that failed.
 */
export async function runWorkItems(
  config: Config,
  selected: SelectedWorkItems,
  options: RunWorkItemsOptions = {},
): Promise<WorkItemsSummary> {
  checkWorkItemConfig(config);
  const runs: { item: WorkItem; summary: ExportSummary }[] = [];
  const from = { location: selected.location, shard: selected.shard };
  const connectionOf = itemConnections(config, options);
  for (const item of selected.items) {
    options.onItem?.(item);
    try {
      const itemOptions = { ...options, ...(await connectionOf(item)) };
      const summary = options.sinceLastRun
        ? await runIncrementalExport(incrementalConfigOfItem(config, item), itemOptions)
        : await runExportJob(configOfItem(config, item), itemOptions);
      runs.push({ item, summary });
    } catch (error) {
      if (error instanceof ExportInterrupted) {
        runs.push({ item, summary: error.summary });
        throw new ExportInterrupted(combineSummaries(runs, from), error.cause);
      }
      throw itemError(error, item, selected.location);
    }
  }
  return combineSummaries(runs, from);
}

/**
 * The connection each item runs under: the run's own, unless the item names a role (another
 * account) or another Region than the run's; then that target's (`targetConnection`: its Region,
 * the role assumed with the item's external id), so an item of a multi-account plan reads where
 * the plan listed it. Items of one Region without a role run exactly as before.
 */
function itemConnections(
  config: Config,
  options: ExportJobOptions,
): (item: WorkItem) => Promise<AwsConnection> {
  let resolved: Promise<AwsConnection> | undefined;
  const targets = new Map<string, AwsConnection>();
  return async (item) => {
    if (item.region === null || (item.roleArn === null && item.region === options.region)) return {};
    resolved ??= resolveAwsConnection(awsConnectionOf(options), awsServicesOf(config.export ?? {}));
    const base = await resolved;
    if (item.roleArn === null && item.region === base.region) return {};
    const key = `${item.region} ${item.roleArn} ${item.externalId}`;
    const target = {
      region: item.region,
      roleArn: item.roleArn ?? undefined,
      externalId: item.externalId ?? undefined,
    };
    const connection = targets.get(key) ?? targetConnection(base, target);
    targets.set(key, connection);
    return connection;
  };
}

/** The error of an item, naming it; a usage error stays one. */
function itemError(error: unknown, item: WorkItem, location: string): Error {
  const message = `work item ${item.item} of ${location} (function ${item.function}): ${describeError(error)}`;
  if (error instanceof ConfigError) return new ConfigError(message, error.context, { cause: error });
  const context = error instanceof ExportError ? error.context : { stage: 'source' as const };
  return new ExportError(message, { ...context, functionName: item.function }, { cause: error });
}
