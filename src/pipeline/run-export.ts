import type { RequestStats } from '../aws/rate-limiter.js';
import { alreadyExportedReason } from '../commit/export-index.js';
import { newRunId } from '../commit/state-keys.js';
import type { TableName } from '../schema/index.js';
import type { ExecutionOutcome, ExecutionSource, ReadExecutionsOptions } from '../source/execution-source.js';
import { type ExecutionRows, executionRows } from '../transform/execution-rows.js';
import type { Provenance } from '../transform/provenance.js';
import type { Redaction } from '../transform/redaction.js';
import { type ExportFailure, failureOf } from './export-failure.js';
import { ExportInterrupted } from './export-interrupted.js';
import { type ExportSummary, emptySummary, type ProgressListener } from './export-summary.js';
import type { RowSink } from './row-sink.js';
import { deadlineOf } from './run-deadline.js';
import { countSkip, SAME_JOB_REASON } from './skip-groups.js';
import { StageClock, type StageTimings } from './stage-timings.js';

export type { ExportFailure } from './export-failure.js';
export type { ExportSummary, IncrementalCounts, ProgressListener } from './export-summary.js';
export type { SkipGroup } from './skip-groups.js';

export interface RunExportOptions {
  source: ExecutionSource;
  sink: RowSink;
  /** Column redaction, applied to every row as it is made: the sink never sees a redacted value. */
  redaction?: Redaction;
  /** The tables written (default all): the others get no rows (`export.tables`). */
  tables?: readonly TableName[];
  /** Request counters of the run's limiter, reported in the summary. */
  requests?: RequestStats;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  now?: () => number;
  /**
   * A time (ms since the epoch) at which the run stops taking executions from the source: reads in
   * flight are dropped, the executions accepted so far are committed (the sink closes as at the
   * end), and the summary says `complete: false` with `executionsRemaining`. Unlike an abort of
   * `signal`, this is a normal end; the next run of the same job goes on where this one stopped.
   */
  stopTakingNewAt?: number;
  /** Called with each execution's result as it is counted. */
  onResult?: (result: ExecutionResult) => void;
  /**
   * The run id stamped into every row (`export_run_id`, with `exported_at` the run's start); default:
   * a new one. A committing sink stamps each batch again with its intent's run id and time.
   */
  runId?: string;
  /**
   * The export index lookup (`ExportIndex.lookup`, mapped to the entry's run id): executions it
   * names are skipped before they are read. Absent (or `--force-reexport`): nothing is looked up.
   */
  exportedBy?: ReadExecutionsOptions['exportedBy'];
}

/** What happened to one execution, as `exportExecutions` yields it. */
export type ExecutionResult =
  | {
      kind: 'exported';
      executionArn: string;
      /** The execution's status as read (`RUNNING`, `SUCCEEDED`, ...). */
      status: string;
      dt: string;
      operations: number;
      complete: boolean;
    }
  | { kind: 'skipped'; executionArn: string; reason: string; runId?: string }
  | ({ kind: 'failed' } & ExportFailure);

/**
 * Source → transform → sink, as an async iterable of per-execution results whose return value is
 * the run summary. One execution at a time reaches the sink, and the next is pulled only when the
 * sink has accepted it and the consumer has taken the result, so memory is bounded by the
 * executions in flight in the source plus the sink's own bound (a committing sink: one batch).
 * Executions the sink reports as committed by an earlier run of the job are skipped, before they
 * are read where the source supports it. A failed execution is recorded and the run goes on; a
 * sink failure, or a consumer that stops early, aborts the sink (nothing half-written stays
 * visible; the next run resumes). An abort of `signal` throws `ExportInterrupted`, which carries
 * the summary so far.
 *
 * @example
 * const results = exportExecutions({ source, sink });
 * for await (const r of results) if (r.kind === 'failed') console.error(r.subject, r.message);
 */
export async function* exportExecutions(
  options: RunExportOptions,
): AsyncGenerator<ExecutionResult, ExportSummary, undefined> {
  const now = options.now ?? Date.now;
  const started = now();
  const summary = emptySummary(options.source.name, options.requests);
  const provenance = { runId: options.runId ?? newRunId('library'), exportedAt: new Date(started) };
  const committed = options.sink.isCommitted?.bind(options.sink);
  const skip = (arn: string): boolean => {
    if (!committed?.(arn)) return false;
    countSkip(summary, SAME_JOB_REASON);
    return true;
  };
  let finished = false;
  let reason: unknown = new Error('the consumer stopped iterating before the export finished');
  const deadline = deadlineOf(options.stopTakingNewAt, now);
  const sourceSignal = options.signal ? AbortSignal.any([options.signal, deadline.signal]) : deadline.signal;
  let writing = false;
  // Set when the deadline ended the run with executions not taken (not when it fired after the last).
  let stopped = false;
  const clock = new StageClock();
  let waitingSince = performance.now();
  try {
    try {
      const reading = { skip: committed ? skip : undefined, exportedBy: options.exportedBy };
      for await (const outcome of options.source.executions(sourceSignal, reading)) {
        clock.add('sourceMs', performance.now() - waitingSince);
        // An aborted run stops here: it commits nothing more (the next run resumes).
        options.signal?.throwIfAborted();
        // Past the deadline: what the source yields now (reads it dropped) is left for the next run.
        if (deadline.signal.aborted) {
          stopped = true;
          break;
        }
        writing = true;
        const result = await exportOne(
          outcome,
          options,
          provenance,
          summary,
          committed ? skip : undefined,
          clock,
        );
        writing = false;
        summary.durationMs = now() - started;
        summary.bytesWritten = options.sink.bytesWritten?.() ?? summary.bytesWritten;
        summary.executionsListed = options.source.progress?.listed ?? summary.executionsListed;
        summary.listingComplete = options.source.progress?.listingComplete ?? false;
        options.onProgress?.(summary);
        if (result) {
          options.onResult?.(result);
          yield result;
        }
        waitingSince = performance.now();
      }
    } catch (error) {
      // The listing stops by throwing the deadline's reason: a normal end of a cut-short run.
      if (writing || options.signal?.aborted || !deadline.signal.aborted) throw error;
      stopped = true;
    } finally {
      deadline.clear();
    }
    options.signal?.throwIfAborted();
    const { files, commit } = await clock.time('uploadMs', () => options.sink.close());
    summary.files = files;
    if (commit) summary.commit = commit;
    summary.bytesWritten = files.reduce((n, f) => n + f.bytes, 0);
    finished = true;
  } catch (error) {
    reason = error;
    if (!options.signal?.aborted) throw error;
    summary.interrupted = true;
    throw new ExportInterrupted(settled(summary, options, now() - started), options.signal.reason);
  } finally {
    // An error, or a consumer that stopped iterating: commit nothing of this run.
    if (!finished) await options.sink.abort(reason);
  }
  if (stopped) {
    summary.timings = timingsOf(clock, options.sink);
    summary.listingComplete = options.source.progress?.listingComplete ?? false;
    const result = settled(summary, options, now() - started);
    return { ...result, complete: false, executionsRemaining: result.executionsUnfinished };
  }
  summary.listingComplete = true;
  summary.timings = timingsOf(clock, options.sink);
  const result = settled(summary, options, now() - started);
  return options.stopTakingNewAt === undefined
    ? result
    : { ...result, complete: true, executionsRemaining: 0 };
}

/** The summary's final counts: every execution found has an outcome, or is unfinished (interrupted). */
function settled(summary: ExportSummary, options: RunExportOptions, durationMs: number): ExportSummary {
  const outcomes = summary.executionsExported + summary.executionsSkipped + summary.executionsFailed;
  summary.durationMs = durationMs;
  summary.executionsListed = Math.max(options.source.progress?.listed ?? outcomes, outcomes);
  summary.executionsUnfinished = summary.executionsListed - outcomes;
  if (summary.interrupted) summary.listingComplete = options.source.progress?.listingComplete ?? false;
  return summary;
}

/** The pipeline's stage times; a sink that times its own encoding and uploads (which its writes include) says so. */
function timingsOf(clock: StageClock, sink: RowSink): StageTimings {
  return { ...clock.rounded(), ...sink.timings?.() };
}

/** Runs `exportExecutions` to the end and returns its summary. */
export async function runExport(options: RunExportOptions): Promise<ExportSummary> {
  const results = exportExecutions(options);
  for (;;) {
    const next = await results.next();
    if (next.done) return next.value;
  }
}

/** Transforms and writes one outcome, counting it in the summary; returns what happened. */
async function exportOne(
  outcome: ExecutionOutcome,
  { sink, redaction, tables }: RunExportOptions,
  provenance: Provenance,
  summary: ExportSummary,
  skip: ((arn: string) => boolean) | undefined,
  clock: StageClock,
): Promise<ExecutionResult | undefined> {
  if (outcome.kind === 'skipped') {
    const reason = alreadyExportedReason(outcome.exportedBy);
    countSkip(summary, reason, outcome.exportedBy);
    return { kind: 'skipped', executionArn: outcome.executionArn, reason, runId: outcome.exportedBy };
  }
  // Sources skip committed executions before reading them; this catches those that cannot.
  const subject = outcome.kind === 'failed' ? outcome.subject : outcome.summary.arn;
  if (skip?.(subject)) return { kind: 'skipped', executionArn: subject, reason: SAME_JOB_REASON };
  if (outcome.kind === 'failed') {
    if (outcome.inputLine !== undefined) summary.inputLinesSkipped++;
    else if (outcome.listing) summary.functionsFailed++;
    else summary.executionsFailed++;
    return failed(summary, failureOf(subject, outcome.error, 'source', outcome));
  }
  let rows: ExecutionRows;
  try {
    rows = clock.timeSync('transformMs', () => executionRows(outcome, provenance, { redaction, tables }));
  } catch (error) {
    summary.executionsFailed++;
    return failed(summary, failureOf(subject, error, 'transform'));
  }
  await clock.time('encodeMs', () => sink.write(rows));
  summary.executionsExported++;
  summary.operations += rows.tables.operations.length;
  summary.pages += outcome.pages;
  summary.restarts += outcome.restarts;
  summary.warnings += outcome.warnings.length;
  summary.contextsPruned += outcome.contextsPruned ?? 0;
  if (outcome.complete === false) {
    summary.executionsIncomplete++;
    summary.incompleteExecutions.push({
      executionArn: subject,
      contextsPruned: outcome.contextsPruned ?? 0,
    });
  }
  return {
    kind: 'exported',
    executionArn: subject,
    status: outcome.summary.status,
    dt: rows.dt,
    operations: rows.tables.operations.length,
    complete: outcome.complete !== false,
  };
}

function failed(summary: ExportSummary, failure: ExportFailure): ExecutionResult {
  summary.failures.push(failure);
  return { kind: 'failed', ...failure };
}
