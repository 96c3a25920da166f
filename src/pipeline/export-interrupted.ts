import type { ExportSummary } from './run-export.js';

/**
 * A run stopped by its abort signal (the CLI's SIGINT or SIGTERM): nothing more was committed, and
 * the same job resumes. `summary` is the run so far, marked `interrupted`: its `executionsUnfinished`
 * were found but had no outcome yet. Executions counted as exported whose batch was not committed
 * yet are read again by the next run. The message and `cause` are the abort's reason.
 *
 * Not an `ExportError`: an interruption happens at no stage and carries no execution, page or key.
 */
export class ExportInterrupted extends Error {
  override readonly name = 'ExportInterrupted';

  constructor(
    readonly summary: ExportSummary,
    reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : `interrupted: ${String(reason)}`, { cause: reason });
  }
}
