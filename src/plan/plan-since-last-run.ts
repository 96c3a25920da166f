import { awsConnectionOf } from '../aws/aws-connection.js';
import { resolveAwsConnection } from '../aws/resolve-connection.js';
import type { Config } from '../config/config-schema.js';
import { exportRequestOf } from '../config/export-request.js';
import { ConfigError } from '../errors.js';
import { readWatermark, watermarkKey } from '../incremental/watermark.js';
import { windowOf } from '../incremental/window.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { type DiscoveredFunction, selectFunctions } from '../source/discover-functions.js';
import { awsServicesOf, type OpenSourceOptions } from '../source/open-source.js';
import { refuseTargets } from '../targets/target-list.js';
import { planWork } from './plan-work.js';
import type { WorkItem } from './work-item.js';

export interface PlanSinceLastRunOptions extends OpenSourceOptions {
  /** The plan's time (ms since the epoch): the end of a new window; default now. */
  now?: () => number;
}

/** A `--since-last-run` plan: one item per function. */
export interface SinceLastRunPlan {
  items: WorkItem[];
  /** `allFunctions`: the functions discovery found. */
  functionsDiscovered?: DiscoveredFunction[];
}

/**
 * The plan of a scheduled fleet run (`export --since-last-run` split into work items): one item per
 * function (discovered with `allFunctions`), whose window is the one that function's next
 * incremental run takes (`windowOf`): a pending window as it is, else [watermark, now), else
 * [`export.startedAfter`, now) for a function with no watermark yet. The window is not sliced: it
 * belongs to the function's watermark, which only that function's incremental run advances. Each
 * item's executions are counted by listing them (`planWork`), so items carry their size.
 *
 * The item is a description: the work-item handler runs it as an incremental export of its
 * function (`runWorkItems` with `sinceLastRun`), which reads the watermark again and takes its
 * window from it, so a watermark that moved since the plan was made is never stepped over.
 * It reads the watermarks of one account and Region: a config with `export.targets` is refused
 * rather than planned from the wrong watermarks (the scheduled handler runs targets).
 */
export async function planSinceLastRun(
  given: Config,
  options: PlanSinceLastRunOptions = {},
): Promise<SinceLastRunPlan> {
  refuseTargets(given, 'a --since-last-run plan (the scheduled fleet)');
  const { config, discovered } = await selectFunctions(given, options);
  const request = exportRequestOf(config);
  if (config.export?.startedBefore !== undefined) {
    throw new ConfigError('--since-last-run sets the window itself: drop --started-before');
  }
  const connection = await resolveAwsConnection(awsConnectionOf(options), awsServicesOf(request));
  const lake = openLake(parseOutputLocation(request.out), connection);
  const now = new Date((options.now ?? Date.now)());
  const items: WorkItem[] = [];
  try {
    for (const name of request.functions) {
      const key = watermarkKey(lake.prefix, name, connection.region);
      const stored = await readWatermark(lake.conditional, key, options.signal);
      const { pending } = windowOf([name], [stored], config.export?.startedAfter, now);
      const one = await planWork(
        {
          ...config,
          export: {
            ...config.export,
            allFunctions: undefined,
            functionPrefix: undefined,
            functionTags: undefined,
            functions: [name],
            startedAfter: pending.startedAfter,
            startedBefore: pending.startedBefore,
          },
        },
        // One slice: the whole window is one item.
        { ...options, ...connection, targetExecutionsPerItem: Number.MAX_SAFE_INTEGER },
      );
      for (const item of one.items) items.push({ ...item, item: items.length });
    }
  } finally {
    lake.close();
  }
  return { items, functionsDiscovered: discovered };
}
