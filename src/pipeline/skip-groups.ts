/**
 * Why executions were skipped, as a run's summary and a `--dry-run` plan report it: grouped by
 * reason (and the run an index skip names), so the report stays small however many are skipped.
 */

/** Skipped executions of one reason (and run). */
export interface SkipGroup {
  reason: string;
  /** The run that exported them, for `already exported by run <runId>`. */
  runId?: string;
  executions: number;
}

/** The reason of a skip by the job's own state (resume). */
export const SAME_JOB_REASON = 'committed by an earlier run of this job';

/** Counts one skipped execution under its reason (and run). */
export function countSkip(
  counts: { executionsSkipped: number; skipped: SkipGroup[] },
  reason: string,
  runId?: string,
): void {
  counts.executionsSkipped++;
  const group = counts.skipped.find((g) => g.reason === reason);
  if (group) group.executions++;
  else counts.skipped.push({ reason, runId, executions: 1 });
}

/** Groups of several runs' summaries as one list: the executions of the same reason added up. */
export function mergeSkipGroups(groups: readonly SkipGroup[]): SkipGroup[] {
  const merged = new Map<string, SkipGroup>();
  for (const g of groups) {
    const seen = merged.get(g.reason);
    if (seen) seen.executions += g.executions;
    else merged.set(g.reason, { ...g });
  }
  return [...merged.values()];
}
