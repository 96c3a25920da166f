import { LAMBDA_APIS, type RequestStats } from '../aws/rate-limiter.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import type { WorkItem } from './work-item.js';

/** One work item's run, as the summary of several names it. */
export interface WorkItemRun {
  item: number;
  function: string;
  startedAfter: string | null;
  startedBefore: string | null;
  executionsListed: number;
  executionsExported: number;
  executionsSkipped: number;
  executionsFailed: number;
  /** The item's job and manifest (each item is its own job: a re-run of it resumes). */
  jobId?: string;
  manifestKey?: string;
}

/** The summary of a run of work items: the items' summaries added up, and each item named. */
export interface WorkItemsSummary extends ExportSummary {
  /** The plan the items come from. */
  workItemsFrom: string;
  /** `--shard i/N`, when the items are a shard. */
  shard?: string;
  workItems: WorkItemRun[];
}

const COUNTS = [
  'executionsListed',
  'executionsExported',
  'executionsFailed',
  'executionsSkipped',
  'executionsUnfinished',
  'functionsFailed',
  'operations',
  'pages',
  'restarts',
  'warnings',
  'inputLinesSkipped',
  'executionsIncomplete',
  'contextsPruned',
  'bytesWritten',
  'durationMs',
] as const satisfies readonly (keyof ExportSummary)[];

/**
 * Adds up the summaries of the items run (in order; an interrupted run's last one included): the
 * counts, failures and files of all, `interrupted` if any was, the last item's `commit` (each item
 * names its own job and manifest in `workItems`).
 */
export function combineSummaries(
  runs: readonly { item: WorkItem; summary: ExportSummary }[],
  from: { location: string; shard?: string },
): WorkItemsSummary {
  const summaries = runs.map((r) => r.summary);
  const total = { source: summaries[0]?.source ?? 'history' } as ExportSummary;
  for (const key of COUNTS) total[key] = summaries.reduce((n, s) => n + s[key], 0);
  const last = summaries.at(-1);
  return {
    ...total,
    listingComplete: summaries.every((s) => s.listingComplete),
    interrupted: summaries.some((s) => s.interrupted),
    incompleteExecutions: summaries.flatMap((s) => s.incompleteExecutions),
    failures: summaries.flatMap((s) => s.failures),
    files: summaries.flatMap((s) => s.files),
    commit: last?.commit,
    requests: addRequests(summaries.map((s) => s.requests)),
    workItemsFrom: from.location,
    shard: from.shard,
    workItems: runs.map(({ item, summary }) => ({
      item: item.item,
      function: item.function,
      startedAfter: item.startedAfter,
      startedBefore: item.startedBefore,
      executionsListed: summary.executionsListed,
      executionsExported: summary.executionsExported,
      executionsSkipped: summary.executionsSkipped,
      executionsFailed: summary.executionsFailed,
      jobId: summary.commit?.jobId,
      manifestKey: summary.commit?.manifestKey,
    })),
  };
}

/** Each item had its own limiter: their attempts add up; each API's rate and limit are the last's. */
function addRequests(all: readonly RequestStats[]): RequestStats {
  const sum = (f: (r: RequestStats) => number | undefined) => all.reduce((n, r) => n + (f(r) ?? 0), 0);
  const last = all.at(-1);
  const apis = last?.apis
    ? Object.fromEntries(
        LAMBDA_APIS.map((api) => [
          api,
          {
            ...last.apis?.[api],
            requests: sum((r) => r.apis?.[api].requests),
            throttled: sum((r) => r.apis?.[api].throttled),
            slowdowns: sum((r) => r.apis?.[api].slowdowns),
          },
        ]),
      )
    : undefined;
  return {
    requests: sum((r) => r.requests),
    throttled: sum((r) => r.throttled),
    failedAttempts: sum((r) => r.failedAttempts),
    retries: sum((r) => r.retries),
    permanentErrors: sum((r) => r.permanentErrors),
    apis: apis as RequestStats['apis'],
  };
}
