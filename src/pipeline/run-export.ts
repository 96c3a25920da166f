import { describeError } from '../errors.js';
import type { ExecutionSource } from '../source/execution-source.js';
import type { RequestStats } from '../source/rate-limiter.js';
import { executionRows } from '../transform/execution-rows.js';
import type { CommitSummary, RowSink, WrittenFile } from './row-sink.js';

export interface ExportFailure {
  /** Execution ARN, or function name when its listing failed. */
  subject: string;
  message: string;
}

export interface ExportSummary {
  source: string;
  /** Executions found by the source so far (listed or from a manifest). */
  executionsListed: number;
  /** True once the source knows every execution of the run. */
  listingComplete: boolean;
  executionsExported: number;
  executionsFailed: number;
  /**
   * Executions an earlier run of the same job committed: not read again, not written again.
   * Always set by runExport; optional so summaries built elsewhere stay valid.
   */
  executionsSkipped?: number;
  operations: number;
  pages: number;
  /** Executions read again from their first page after an expired marker. */
  restarts: number;
  warnings: number;
  // The next four are always set by runExport; optional only so summaries built elsewhere stay valid.
  /** Lines of the input manifest skipped as invalid (listed in `failures` by line); not executions. */
  inputLinesSkipped?: number;
  /** State source: executions exported from the replay view with pruned contexts (`complete: false`). */
  executionsIncomplete?: number;
  /** State source: completed contexts whose children the replay view withheld, over all executions. */
  contextsPruned?: number;
  /** State source: each execution exported with pruned contexts, and how many. */
  incompleteExecutions?: { executionArn: string; contextsPruned: number }[];
  failures: ExportFailure[];
  files: WrittenFile[];
  bytesWritten: number;
  /** Set by a committing sink: the job, its batches and the manifest (docs/RELIABILITY.md). */
  commit?: CommitSummary;
  requests: RequestStats;
  durationMs: number;
}

export type ProgressListener = (summary: Readonly<ExportSummary>) => void;

export interface RunExportOptions {
  source: ExecutionSource;
  sink: RowSink;
  /** Request counters of the run's limiter, reported in the summary. */
  requests?: RequestStats;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  now?: () => number;
}

/**
 * Source → transform → sink. One execution at a time reaches the sink, and the next is pulled
 * only when the sink has accepted it, so memory is bounded by the executions in flight in the
 * source plus the sink's own bound (a committing sink: one batch). Executions the sink reports as
 * committed by an earlier run of the job are skipped, before they are read where the source
 * supports it. A failed execution is recorded and the run goes on; a sink failure aborts the run
 * (nothing half-written stays visible; the next run resumes).
 */
export async function runExport(options: RunExportOptions): Promise<ExportSummary> {
  const now = options.now ?? Date.now;
  const started = now();
  const summary: ExportSummary = {
    source: options.source.name,
    executionsListed: 0,
    listingComplete: false,
    executionsExported: 0,
    executionsFailed: 0,
    executionsSkipped: 0,
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
    requests: options.requests ?? { requests: 0, throttled: 0, failedAttempts: 0 },
    durationMs: 0,
  };
  const committed = options.sink.isCommitted?.bind(options.sink);
  const skip = (arn: string): boolean => {
    if (!committed?.(arn)) return false;
    summary.executionsSkipped = (summary.executionsSkipped ?? 0) + 1;
    return true;
  };
  try {
    for await (const outcome of options.source.executions(options.signal, committed ? { skip } : {})) {
      // Sources skip committed executions before reading them; this catches those that cannot.
      if (committed && skip(outcome.kind === 'failed' ? outcome.subject : outcome.summary.arn)) continue;
      if (outcome.kind === 'failed') {
        if (outcome.inputLine !== undefined) summary.inputLinesSkipped = (summary.inputLinesSkipped ?? 0) + 1;
        else summary.executionsFailed++;
        summary.failures.push({ subject: outcome.subject, message: describeError(outcome.error) });
      } else {
        let rows: ReturnType<typeof executionRows>;
        try {
          rows = executionRows(outcome);
        } catch (error) {
          summary.executionsFailed++;
          summary.failures.push({ subject: outcome.summary.arn, message: describeError(error) });
          continue;
        }
        await options.sink.write(rows);
        summary.executionsExported++;
        summary.operations += rows.operations.length;
        summary.pages += outcome.pages;
        summary.restarts += outcome.restarts;
        summary.warnings += outcome.warnings.length;
        summary.contextsPruned = (summary.contextsPruned ?? 0) + (outcome.contextsPruned ?? 0);
        if (outcome.complete === false) {
          summary.executionsIncomplete = (summary.executionsIncomplete ?? 0) + 1;
          summary.incompleteExecutions?.push({
            executionArn: outcome.summary.arn,
            contextsPruned: outcome.contextsPruned ?? 0,
          });
        }
      }
      summary.durationMs = now() - started;
      summary.executionsListed = options.source.progress?.listed ?? summary.executionsListed;
      summary.listingComplete = options.source.progress?.listingComplete ?? false;
      options.onProgress?.(summary);
    }
    const { files, commit } = await options.sink.close();
    summary.files = files;
    if (commit) summary.commit = commit;
    summary.bytesWritten = files.reduce((n, f) => n + f.bytes, 0);
  } catch (error) {
    await options.sink.abort(error);
    throw error;
  }
  summary.durationMs = now() - started;
  summary.executionsListed =
    options.source.progress?.listed ?? summary.executionsExported + summary.executionsFailed;
  summary.listingComplete = true;
  return summary;
}
