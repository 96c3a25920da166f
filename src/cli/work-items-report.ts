import type { ExportSummary } from '../pipeline/run-export.js';
import type { WorkItemsSummary } from '../plan/combine-summaries.js';

/** The lines naming the work items a run exported (none for a run without them). */
export function formatWorkItems(summary: ExportSummary | WorkItemsSummary): string {
  if (!('workItems' in summary)) return '';
  const lines = [
    `work items of ${summary.workItemsFrom}${summary.shard ? ` (shard ${summary.shard})` : ''}: ${summary.workItems.length}`,
  ];
  for (const w of summary.workItems) {
    lines.push(
      `  item ${w.item}\t${w.function}\t[${w.startedAfter ?? '-'}, ${w.startedBefore ?? '-'})\t${w.executionsExported} exported, ${w.executionsSkipped} skipped, ${w.executionsFailed} failed`,
    );
  }
  return `${lines.join('\n')}\n`;
}
