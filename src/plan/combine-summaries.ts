import { addSummaries } from '../pipeline/add-summaries.js';
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

/**
 * Adds up the summaries of the items run (in order; an interrupted run's last one included,
 * `addSummaries`), each item naming its own job and manifest in `workItems`.
 */
export function combineSummaries(
  runs: readonly { item: WorkItem; summary: ExportSummary }[],
  from: { location: string; shard?: string },
): WorkItemsSummary {
  return {
    ...addSummaries(runs.map((r) => r.summary)),
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
