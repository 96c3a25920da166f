import { EXIT } from './exit-codes.js';

/** The outcome counts of a finished run that decide its exit code. */
export interface OutcomeCounts {
  executionsExported: number;
  executionsFailed: number;
  /** Executions deliberately not exported (with a reason), if the pipeline reports them. */
  executionsSkipped?: number;
  /** Set by the committing sink: executions a resumed batch expected but could not complete. */
  commit?: { executionsNotFound: readonly string[]; executionsPartial: readonly string[] };
}

/**
 * The exit code of a run that finished (a run that threw is fatal, 3, or a usage error, 2):
 *
 * - **0** full success: nothing failed (also when there was nothing to export);
 * - **1** also when a resumed batch could not complete an execution it had started;
 * - **1** partial success: some executions or function listings failed, and at least one execution
 *   was exported or skipped, so the lake holds a usable, committed part of the request;
 * - **3** failure: everything asked for failed (for example the only function does not exist, or
 *   every execution's KMS key is denied); nothing was exported.
 */
export function exitCodeOf(counts: OutcomeCounts): number {
  // An execution a resumed batch lost (no longer listed) or left half-written is not "exported".
  const incomplete =
    (counts.commit?.executionsNotFound.length ?? 0) + (counts.commit?.executionsPartial.length ?? 0);
  if (counts.executionsFailed === 0) return incomplete > 0 ? EXIT.partial : EXIT.ok;
  const done = counts.executionsExported + (counts.executionsSkipped ?? 0);
  return done > 0 ? EXIT.partial : EXIT.fatal;
}
