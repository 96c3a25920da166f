import type { ExecutionRows } from '../transform/execution-rows.js';
import type { SinkTimings } from './stage-timings.js';

/** A file the sink has completed (written by this run, or adopted from a stopped one). */
export interface WrittenFile {
  key: string;
  table: string;
  dt: string;
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the object (committing sinks). */
  sha256?: string;
  /** True when an earlier, stopped run had completed the file and this run checked and kept it. */
  adopted?: boolean;
}

/** What a committing sink did at the end of a run. */
export interface CommitSummary {
  jobId: string;
  runId: string;
  /** The job's manifest after this run: written by it, or the existing one when nothing changed. */
  manifestKey: string;
  manifestWritten: boolean;
  /** New batches written by this run. */
  batchesWritten: number;
  /** Batches a stopped run had started, re-done by this run. */
  batchesResumed: number;
  filesAdopted: number;
  /** Executions a stopped run's batch listed that this run did not get; the next run retries them. */
  executionsNotFound: string[];
  /**
   * Executions only partly in the lake: a stopped run completed some of their files, and this run
   * could not read them again to write the rest. Rare; `verify` reports them too.
   */
  executionsPartial: string[];
  /** Entries this run wrote to the export index (after its manifest; docs/RELIABILITY.md 2.8). */
  indexEntriesWritten?: number;
}

/**
 * Where rows go, one whole execution at a time. `write` resolves when the rows are accepted
 * (buffered within the sink's bound, or written); the pipeline awaits it before it pulls the next
 * execution.
 */
export interface RowSink {
  /** Every row of one execution (its operations and its executions row), in one call. */
  write(rows: ExecutionRows): Promise<void>;
  /** True when an earlier run of the same job already committed the execution: it is skipped. */
  isCommitted?(executionArn: string): boolean;
  /** Finishes (and, for a committing sink, commits) everything; returns what was written. */
  close(): Promise<{ files: WrittenFile[]; commit?: CommitSummary }>;
  /** Abandons open files (uploads aborted, temporary files removed). Never rejects. */
  abort(reason: unknown): Promise<void>;
  /** Bytes of the files completed so far, for live progress (optional). */
  bytesWritten?(): number;
  /** Time the sink spent encoding and uploading, when its writes also upload (optional). */
  timings?(): SinkTimings;
}
