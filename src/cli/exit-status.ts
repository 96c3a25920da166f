import type { ExportSummary } from '../pipeline/run-export.js';
import { EXIT, INTERRUPTED_EXIT, type InterruptSignal } from './exit-codes.js';

/** The outcome counts of a finished run that decide its exit code. */
export type OutcomeCounts = Pick<
  ExportSummary,
  'executionsExported' | 'executionsFailed' | 'executionsSkipped' | 'functionsFailed' | 'inputLinesSkipped'
> & {
  /** Set by the committing sink: executions a resumed batch expected but could not complete. */
  commit?: { executionsNotFound: readonly string[]; executionsPartial: readonly string[] };
  /** True when a signal stopped the run before it finished. */
  interrupted?: boolean;
  /** Several targets: those that failed as a whole (role not assumable, access denied). */
  targetsFailed?: number;
};

/** How `--register-glue` ended, when it ran. */
export type GlueOutcome = 'registered' | 'failed';

/**
 * The exit code of a run that finished or was interrupted (a run that threw is fatal, 3, or a usage
 * error, 2), and of `--dry-run` for the same counts; the one place that decides it:
 *
 * - **0** full success: nothing failed (also when there was nothing to export);
 * - **1** partial success: some executions, function listings or targets failed, and at least one execution
 *   was exported or skipped, so the lake holds a usable, committed part of the request;
 * - **1** also when input-manifest lines were skipped as invalid, when a resumed batch could not
 *   complete an execution it had started, or when `--register-glue` failed after the export;
 * - **3** failure: everything asked for failed (for example the only function does not exist, or
 *   every execution's KMS key is denied); nothing was exported;
 * - **130** / **143** the run was interrupted by SIGINT / SIGTERM (`INTERRUPTED_EXIT`); without the
 *   signal's name (an abort in code), 3.
 */
export function exitCodeOf(counts: OutcomeCounts, glue?: GlueOutcome, signal?: InterruptSignal): number {
  if (counts.interrupted) return signal ? INTERRUPTED_EXIT[signal] : EXIT.fatal;
  if (nothingExported(counts)) return EXIT.fatal;
  // An execution a resumed batch lost (no longer listed) or left half-written is not "exported".
  const incomplete =
    (counts.commit?.executionsNotFound.length ?? 0) + (counts.commit?.executionsPartial.length ?? 0);
  const partial =
    counts.executionsFailed > 0 ||
    counts.functionsFailed > 0 ||
    counts.inputLinesSkipped > 0 ||
    (counts.targetsFailed ?? 0) > 0 ||
    incomplete > 0 ||
    glue === 'failed';
  return partial ? EXIT.partial : EXIT.ok;
}

/**
 * True when executions, function listings or targets failed and no execution was exported or skipped: the
 * run is fatal (exit 3).
 */
export function nothingExported(counts: OutcomeCounts): boolean {
  const failed = counts.executionsFailed + counts.functionsFailed + (counts.targetsFailed ?? 0);
  return failed > 0 && counts.executionsExported + counts.executionsSkipped === 0;
}
