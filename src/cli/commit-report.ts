import type { ExportSummary } from '../pipeline/run-export.js';

/** The summary lines about the commit: batches, the manifest, executions a resumed batch lost. */
export function commitLines(s: ExportSummary): string[] {
  const lines: string[] = [];
  const c = s.commit;
  if (!c) return lines;
  const resumed = c.batchesResumed ? `, ${c.batchesResumed} resumed from a stopped run` : '';
  const adopted = c.filesAdopted ? `, ${c.filesAdopted} files adopted` : '';
  const batches = `${c.batchesWritten} new batch${c.batchesWritten === 1 ? '' : 'es'}`;
  lines.push(`  job                   ${c.jobId} (${batches}${resumed}${adopted})`);
  lines.push(
    `  manifest              ${c.manifestKey}${c.manifestWritten ? '' : ' (unchanged: nothing new to commit)'}`,
  );
  if (c.indexEntriesWritten) {
    lines.push(
      `  export index          ${c.indexEntriesWritten} execution(s) recorded: other jobs skip them (docs/RELIABILITY.md 2.8)`,
    );
  }
  if (c.executionsNotFound.length > 0) {
    lines.push(
      `  not found again       ${c.executionsNotFound.length} execution(s) of a stopped run's batch were not returned this time; the next run retries them`,
    );
  }
  if (c.executionsPartial.length > 0) {
    lines.push(
      `  partly written        ${c.executionsPartial.length} execution(s) have operations but no executions row (see docs/RELIABILITY.md), e.g. ${c.executionsPartial[0]}`,
    );
  }
  return lines;
}
