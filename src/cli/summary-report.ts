import type { ExportSummary, SkipGroup } from '../pipeline/run-export.js';
import type { WorkItemsSummary } from '../plan/combine-summaries.js';
import { printable } from '../safe-error-text.js';
import { targetLabel } from '../targets/target-list.js';
import type { TargetsSummary } from '../targets/targets-summary.js';
import { commitLines } from './commit-report.js';

/**
 * The human summary printed at the end of a run (or when a signal stopped it). The execution lines
 * add up: listed = exported + skipped + failed (+ unfinished, when interrupted).
 */
export function formatSummary(s: ExportSummary): string {
  const lines = [
    '',
    `durable-export: ${headline(s)}`,
    `  executions listed     ${s.executionsListed}${s.listingComplete ? '' : ' (listing not finished)'}`,
    `  executions exported   ${s.executionsExported}${s.interrupted ? ' (those in no completed batch are read again)' : ''}`,
    `  executions failed     ${s.executionsFailed}`,
    ...countLines(s),
    `  operations (rows)     ${s.operations}`,
    `  ${`${s.source} pages read`.padEnd(20)}  ${s.pages}${s.restarts ? ` (${s.restarts} re-read after an expired marker)` : ''}`,
    `  requests              ${s.requests.requests} (throttled ${s.requests.throttled}, failed attempts ${s.requests.failedAttempts}${s.requests.retries === undefined ? '' : `, retries ${s.requests.retries}`})`,
    `  files written         ${s.interrupted ? `${formatBytes(s.bytesWritten)} in completed batches` : `${s.files.length} (${formatBytes(s.bytesWritten)})`}`,
    `  fold warnings         ${s.warnings}`,
    `  duration              ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  lines.push(...commitLines(s), ...incrementalLines(s), ...workItemLines(s), ...targetLines(s));
  if (s.source === 'state') {
    lines.push(
      `  replay view           ${s.executionsExported} executions exported from the replay view with ${s.contextsPruned} pruned contexts` +
        (s.executionsIncomplete ? ` (${s.executionsIncomplete} executions incomplete)` : ''),
    );
  }
  if (s.failures.length > 0) {
    lines.push('  failures:');
    for (const f of s.failures.slice(0, 20)) lines.push(`    ${printable(`${f.subject}: ${f.message}`)}`);
    if (s.failures.length > 20) lines.push(`    ... and ${s.failures.length - 20} more (see --summary-json)`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The counts shown only when not zero: skipped, unfinished, failed listings, skipped input lines
 * (of a run's summary or of a `--dry-run` plan).
 */
export function countLines(
  s: Pick<
    ExportSummary,
    'executionsSkipped' | 'skipped' | 'functionsFailed' | 'inputLinesSkipped' | 'complete'
  > & {
    executionsUnfinished?: number;
  },
): string[] {
  const lines: string[] = [];
  if (s.executionsSkipped)
    lines.push(`  executions skipped    ${s.executionsSkipped} (${skipReasons(s.skipped)})`);
  if (s.executionsUnfinished && s.complete === false) {
    lines.push(
      `  executions remaining  ${s.executionsUnfinished} (time budget reached; the next run of the job reads them)`,
    );
  } else if (s.executionsUnfinished) {
    lines.push(
      `  executions unfinished ${s.executionsUnfinished} (interrupted; the same command reads them)`,
    );
  }
  if (s.functionsFailed) lines.push(`  functions failed      ${s.functionsFailed} (their listing failed)`);
  if (s.inputLinesSkipped) lines.push(`  input lines skipped   ${s.inputLinesSkipped}`);
  return lines;
}

/** `committed by an earlier run of this job`, or with several reasons `3 already exported by run R; ...`. */
function skipReasons(groups: readonly SkipGroup[]): string {
  if (groups.length === 1) return groups[0]?.reason ?? '';
  const shown = groups.slice(0, 3).map((g) => `${g.executions} ${g.reason}`);
  if (groups.length > 3) shown.push(`and ${groups.length - 3} more runs (see --summary-json)`);
  return shown.join('; ');
}

/** `--since-last-run`: new, re-checked, re-exported and still running executions. */
function incrementalLines(s: ExportSummary): string[] {
  const i = s.incremental;
  if (!i) return [];
  return [
    `  since last run        ${i.new} new, ${i.rechecked} re-checked, ${i.reexported} re-exported, ${i.stillRunning} still running`,
  ];
}

function headline(s: ExportSummary): string {
  if (s.interrupted) {
    return 'export interrupted; completed batches are kept, the same command resumes';
  }
  if (s.complete === false) return 'export stopped at its time budget; the next run goes on';
  const targetsFailed = 'targetsFailed' in s && Number(s.targetsFailed) > 0;
  if (s.executionsFailed > 0 || s.functionsFailed > 0 || s.inputLinesSkipped || targetsFailed) {
    return 'export finished with failures';
  }
  // An execution read from the replay view with pruned contexts is exported, but not complete.
  if (s.executionsIncomplete) return 'export finished; some executions are incomplete (replay view)';
  return 'export complete';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `--work-item` / `--shard`: the plan, and each item run with its outcome. */
function workItemLines(s: ExportSummary | WorkItemsSummary): string[] {
  if (!('workItems' in s)) return [];
  return [
    `  work items of ${s.workItemsFrom}${s.shard ? ` (shard ${s.shard})` : ''}: ${s.workItems.length}`,
    ...s.workItems.map(
      (w) =>
        `    item ${w.item}\t${w.function}\t[${w.startedAfter ?? '-'}, ${w.startedBefore ?? '-'})\t${w.executionsExported} exported, ${w.executionsSkipped} skipped, ${w.executionsFailed} failed`,
    ),
  ];
}

/** Several targets: each with its account, Region and role, and its outcome. */
function targetLines(s: ExportSummary | TargetsSummary): string[] {
  if (!('targets' in s)) return [];
  return [
    `  targets               ${s.targets.length}${s.targetsFailed ? ` (${s.targetsFailed} failed)` : ''}`,
    ...s.targets.map(
      (t) =>
        `    ${targetLabel(t)}\t${t.error ? `failed: ${printable(t.error)}` : `${t.executionsExported} exported, ${t.executionsSkipped} skipped, ${t.executionsFailed} failed`}`,
    ),
  ];
}
