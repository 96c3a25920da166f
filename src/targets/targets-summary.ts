import { addSummaries } from '../pipeline/add-summaries.js';
import { failureOf } from '../pipeline/export-failure.js';
import { type ExportSummary, emptySummary } from '../pipeline/export-summary.js';

/** Where one target reads: its account (the role's; null for the run's own), Region and role. */
export interface TargetPlace {
  account: string | null;
  region: string;
  roleArn: string | null;
}

/** One target's run, as the summary of several names it. */
export interface TargetRun extends TargetPlace {
  executionsListed: number;
  executionsExported: number;
  executionsSkipped: number;
  executionsFailed: number;
  functionsFailed: number;
  /** Set when the whole target failed (role not assumable, discovery or every listing denied). */
  error?: string;
}

/** The summary of a run over several targets: their summaries added up, and each target named. */
export interface TargetsSummary extends ExportSummary {
  targets: TargetRun[];
  /** Targets that failed as a whole (each also in `failures`, its subject the target). */
  targetsFailed: number;
}

/** A target's outcome: its summary, or the error that stopped it before one. */
export type TargetOutcome = TargetPlace & ({ summary: ExportSummary; error?: never } | { error: Error });

/**
 * Adds up the targets' summaries (`addSummaries`: counts, skips, failures, files, requests); a
 * target that failed before it had a summary adds its error to `failures`, with the target as the
 * subject. A target whose every listing failed (nothing listed) also counts as failed.
 */
export function combineTargetOutcomes(outcomes: readonly TargetOutcome[], label: (p: TargetPlace) => string) {
  const summaries = outcomes.map((o) => {
    if (o.error === undefined) return o.summary;
    const failed = emptySummary('history', undefined);
    failed.failures.push(failureOf(label(o), o.error, 'source'));
    return failed;
  });
  const targets: TargetRun[] = outcomes.map((o, i) => {
    const s = summaries[i] as ExportSummary;
    const listingFailed = s.functionsFailed > 0 && s.executionsListed === 0;
    return {
      account: o.account,
      region: o.region,
      roleArn: o.roleArn,
      executionsListed: s.executionsListed,
      executionsExported: s.executionsExported,
      executionsSkipped: s.executionsSkipped,
      executionsFailed: s.executionsFailed,
      functionsFailed: s.functionsFailed,
      error: o.error ? o.error.message : listingFailed ? 'every function listing failed' : undefined,
    };
  });
  const summary: TargetsSummary = {
    ...addSummaries(summaries),
    targets,
    targetsFailed: targets.filter((t) => t.error !== undefined).length,
  };
  return summary;
}
