import type { RequestStats } from '../aws/rate-limiter.js';
import type { ExportFailure } from './export-failure.js';
import type { CommitSummary, WrittenFile } from './row-sink.js';
import type { SkipGroup } from './skip-groups.js';
import type { StageTimings } from './stage-timings.js';

/** The counts of an incremental run (`--since-last-run`). */
export interface IncrementalCounts {
  /** Executions started in the run's window (since the watermark) that the run exported. */
  new: number;
  /** Executions that were RUNNING at the last run, checked again with GetDurableExecution. */
  rechecked: number;
  /** Of those, executions whose status changed and that were exported again. */
  reexported: number;
  /** Executions left RUNNING in the lake, re-checked by the next run (the watermark's list). */
  stillRunning: number;
}

/**
 * What a run did. Every execution found ends in one outcome, so at the end of a run
 * `executionsListed = executionsExported + executionsSkipped + executionsFailed`; in an
 * `interrupted` run (or one stopped by its time budget, `complete: false`), `executionsUnfinished` more. Failed function listings and skipped input lines
 * are not executions: they are counted on their own (`functionsFailed`, `inputLinesSkipped`).
 */
export interface ExportSummary {
  source: string;
  /** Executions found by the source so far (listed or from a manifest), skipped ones included. */
  executionsListed: number;
  /** True once the source knows every execution of the run. */
  listingComplete: boolean;
  executionsExported: number;
  /** Executions that could not be read or transformed (each in `failures`). */
  executionsFailed: number;
  /**
   * Executions not read and not written: committed by an earlier run of the same job, or already
   * exported by another run in the same terminal status (the export index). Each reason and run in
   * `skipped`.
   */
  executionsSkipped: number;
  /** Why executions were skipped, grouped: the reason, the run named (index skips) and how many. */
  skipped: SkipGroup[];
  /** Executions found but without an outcome when the run was interrupted; 0 when it was not. */
  executionsUnfinished: number;
  /** Functions whose listing failed (each in `failures`, with `listing: true`); not executions. */
  functionsFailed: number;
  /** True when the run was stopped by its abort signal (SIGINT, SIGTERM): see `ExportInterrupted`. */
  interrupted: boolean;
  /**
   * With `stopTakingNewAt`: false when the run stopped taking executions at that time, committed
   * what it had and left `executionsRemaining` (at least; the listing may not have finished) to
   * the next run of the same job. Absent without a deadline.
   */
  complete?: boolean;
  /** With `stopTakingNewAt`: executions found but left for the next run (0 when complete). */
  executionsRemaining?: number;
  /** `--since-last-run` only: what the incremental run did (src/incremental/). */
  incremental?: IncrementalCounts;
  operations: number;
  pages: number;
  /** Executions read again from their first page after an expired marker. */
  restarts: number;
  warnings: number;
  /** Lines of the input manifest skipped as invalid (listed in `failures` by line); not executions. */
  inputLinesSkipped: number;
  /** State source: executions exported from the replay view with pruned contexts (`complete: false`). */
  executionsIncomplete: number;
  /** State source: completed contexts whose children the replay view withheld, over all executions. */
  contextsPruned: number;
  /** State source: each execution exported with pruned contexts, and how many. */
  incompleteExecutions: { executionArn: string; contextsPruned: number }[];
  /** Each failed execution, function listing or input line, with the stage and context of its error. */
  failures: ExportFailure[];
  files: WrittenFile[];
  bytesWritten: number;
  /** Set by a committing sink: the job, its batches and the manifest (docs/RELIABILITY.md). */
  commit?: CommitSummary;
  requests: RequestStats;
  durationMs: number;
  /** Where the time went, by stage (`stage-timings.ts`). */
  timings?: StageTimings;
}

export type ProgressListener = (summary: Readonly<ExportSummary>) => void;

/** A summary with nothing counted yet, of a run reading `source` whose limiter counts `requests`. */
export function emptySummary(source: string, requests: RequestStats | undefined): ExportSummary {
  return {
    source,
    executionsListed: 0,
    listingComplete: false,
    executionsExported: 0,
    executionsFailed: 0,
    executionsSkipped: 0,
    skipped: [],
    executionsUnfinished: 0,
    functionsFailed: 0,
    interrupted: false,
    operations: 0,
    pages: 0,
    restarts: 0,
    warnings: 0,
    inputLinesSkipped: 0,
    executionsIncomplete: 0,
    contextsPruned: 0,
    incompleteExecutions: [],
    failures: [],
    files: [],
    bytesWritten: 0,
    requests: requests ?? { requests: 0, throttled: 0, failedAttempts: 0 },
    durationMs: 0,
  };
}
