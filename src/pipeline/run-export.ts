import { describeError } from '../errors.js';
import type { ExecutionSource } from '../source/execution-source.js';
import type { RequestStats } from '../source/rate-limiter.js';
import { executionRows } from '../transform/execution-rows.js';
import type { RowSink, WrittenFile } from './row-sink.js';

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
  operations: number;
  pages: number;
  /** Executions read again from their first page after an expired marker. */
  restarts: number;
  warnings: number;
  failures: ExportFailure[];
  files: WrittenFile[];
  bytesWritten: number;
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
 * source plus the sink's open row groups. A failed execution is recorded and the run goes on;
 * a sink failure aborts the run (nothing half-written stays visible).
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
    operations: 0,
    pages: 0,
    restarts: 0,
    warnings: 0,
    failures: [],
    files: [],
    bytesWritten: 0,
    requests: options.requests ?? { requests: 0, throttled: 0, failedAttempts: 0 },
    durationMs: 0,
  };
  try {
    for await (const outcome of options.source.executions(options.signal)) {
      if (outcome.kind === 'failed') {
        summary.executionsFailed++;
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
        await options.sink.write('operations', rows.dt, rows.operations);
        await options.sink.write('executions', rows.dt, [rows.execution]);
        summary.executionsExported++;
        summary.operations += rows.operations.length;
        summary.pages += outcome.pages;
        summary.restarts += outcome.restarts;
        summary.warnings += outcome.warnings.length;
      }
      summary.durationMs = now() - started;
      summary.executionsListed = options.source.progress?.listed ?? summary.executionsListed;
      summary.listingComplete = options.source.progress?.listingComplete ?? false;
      options.onProgress?.(summary);
    }
    const { files } = await options.sink.close();
    summary.files = files;
    summary.bytesWritten = files.reduce((n, f) => n + f.bytes, 0);
  } catch (error) {
    await options.sink.abort(error);
    throw error;
  }
  summary.durationMs = now() - started;
  summary.executionsListed = options.source.progress?.listed ?? summary.executionsExported + summary.executionsFailed;
  summary.listingComplete = true;
  return summary;
}
