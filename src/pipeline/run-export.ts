import type { RequestStats } from '../aws/rate-limiter.js';
import { newRunId } from '../commit/state-keys.js';
import type { TableName } from '../schema/index.js';
import type { ExecutionOutcome, ExecutionSource } from '../source/execution-source.js';
import { type ExecutionRows, executionRows } from '../transform/execution-rows.js';
import type { Provenance } from '../transform/provenance.js';
import type { Redaction } from '../transform/redaction.js';
import { type ExportFailure, failureOf } from './export-failure.js';
import { ExportInterrupted } from './export-interrupted.js';
import type { CommitSummary, RowSink, WrittenFile } from './row-sink.js';
import { StageClock, type StageTimings } from './stage-timings.js';

export type { ExportFailure } from './export-failure.js';

/**
 * What a run did. Every execution found ends in one outcome, so at the end of a run
 * `executionsListed = executionsExported + executionsSkipped + executionsFailed`; in an
 * `interrupted` run, `executionsUnfinished` more. Failed function listings and skipped input lines
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
  /** Executions an earlier run of the same job committed: not read again, not written again. */
  executionsSkipped: number;
  /** Executions found but without an outcome when the run was interrupted; 0 when it was not. */
  executionsUnfinished: number;
  /** Functions whose listing failed (each in `failures`, with `listing: true`); not executions. */
  functionsFailed: number;
  /** True when the run was stopped by its abort signal (SIGINT, SIGTERM): see `ExportInterrupted`. */
  interrupted: boolean;
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
   * The run id stamped into every row (`export_run_id`, with `exported_at` the run's start); default:
   * a new one. A committing sink stamps each batch again with its intent's run id and time.
   */
  runId?: string;
}

/** What happened to one execution, as `exportExecutions` yields it. */
export type ExecutionResult =
  | { kind: 'exported'; executionArn: string; dt: string; operations: number; complete: boolean }
  | { kind: 'skipped'; executionArn: string; reason: 'committed by an earlier run of this job' }
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
  const summary = emptySummary(options);
  const provenance = { runId: options.runId ?? newRunId('library'), exportedAt: new Date(started) };
  const committed = options.sink.isCommitted?.bind(options.sink);
  const skip = (arn: string): boolean => {
    if (!committed?.(arn)) return false;
    summary.executionsSkipped++;
    return true;
  };
  let finished = false;
  let reason: unknown = new Error('the consumer stopped iterating before the export finished');
  const clock = new StageClock();
  let waitingSince = performance.now();
  try {
    for await (const outcome of options.source.executions(options.signal, committed ? { skip } : {})) {
      clock.add('sourceMs', performance.now() - waitingSince);
      // An aborted run stops here: it commits nothing more (the next run resumes).
      options.signal?.throwIfAborted();
      const result = await exportOne(
        outcome,
        options,
        provenance,
        summary,
        committed ? skip : undefined,
        clock,
      );
      summary.durationMs = now() - started;
      summary.bytesWritten = options.sink.bytesWritten?.() ?? summary.bytesWritten;
      summary.executionsListed = options.source.progress?.listed ?? summary.executionsListed;
      summary.listingComplete = options.source.progress?.listingComplete ?? false;
      options.onProgress?.(summary);
      if (result) yield result;
      waitingSince = performance.now();
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
    summary.timings = timingsOf(clock, options.sink);
    throw new ExportInterrupted(settled(summary, options, now() - started), options.signal.reason);
  } finally {
    // An error, or a consumer that stopped iterating: commit nothing of this run.
    if (!finished) await options.sink.abort(reason);
  }
  summary.listingComplete = true;
  summary.timings = timingsOf(clock, options.sink);
  return settled(summary, options, now() - started);
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
  // Sources skip committed executions before reading them; this catches those that cannot.
  const subject = outcome.kind === 'failed' ? outcome.subject : outcome.summary.arn;
  if (skip?.(subject)) {
    return { kind: 'skipped', executionArn: subject, reason: 'committed by an earlier run of this job' };
  }
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
    dt: rows.dt,
    operations: rows.tables.operations.length,
    complete: outcome.complete !== false,
  };
}

function failed(summary: ExportSummary, failure: ExportFailure): ExecutionResult {
  summary.failures.push(failure);
  return { kind: 'failed', ...failure };
}

function emptySummary(options: RunExportOptions): ExportSummary {
  return {
    source: options.source.name,
    executionsListed: 0,
    listingComplete: false,
    executionsExported: 0,
    executionsFailed: 0,
    executionsSkipped: 0,
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
    requests: options.requests ?? { requests: 0, throttled: 0, failedAttempts: 0 },
    durationMs: 0,
  };
}
