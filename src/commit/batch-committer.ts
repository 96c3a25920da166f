import type { CommitSummary, RowSink, WrittenFile } from '../pipeline/row-sink.js';
import { type SinkTimings, StageClock } from '../pipeline/stage-timings.js';
import { type ExecutionRows, rowCount } from '../transform/execution-rows.js';
import type { BatchDone, BatchIntent } from './batch-records.js';
import type { BatchSpool } from './batch-spool.js';
import { commitManifest } from './commit-manifest.js';
import type { ExportIndex } from './export-index.js';
import { indexCommittedBatches } from './index-batches.js';
import type { JobDefinition } from './job-id.js';
import type { JobState } from './job-state.js';
import {
  type BatchContext,
  type BatchExecution,
  batchExecutionOf,
  batchStart,
  openBatchSpool,
  writeSpooledBatch,
} from './write-batch.js';

export interface BatchCommitterOptions extends BatchContext {
  readonly definition: JobDefinition;
  /** What earlier runs of the job left (`readJobState`). */
  readonly state: JobState;
  /** A batch is written when it holds this many executions ... */
  readonly batchExecutions: number;
  /** ... or this many rows (operations plus one executions row per execution), whichever first. */
  readonly batchRows: number;
  /** The lake's export index: the job's executions are recorded there after each manifest. */
  readonly index?: ExportIndex;
}

/** A batch being collected: its rows go to its spool as they arrive. */
interface OpenBatch {
  readonly batch: number;
  readonly createdAt: string;
  readonly spool: BatchSpool;
  /** Executions received, in arrival order. */
  readonly executions: BatchExecution[];
  rows: number;
}

interface PendingBatch {
  readonly intent: BatchIntent;
  /** Executions of the intent not received yet. */
  readonly awaited: Set<string>;
  /** Opened when the first of its executions arrives. */
  received?: OpenBatch;
}

/**
 * The committing sink: groups executions into batches in the order they arrive and writes each
 * with the write-ahead protocol (`writeBatch`); at `close`, commits the job with a manifest.
 *
 * Resume: executions of done batches are reported as committed (the pipeline skips them, the
 * source does not even read them). Executions of a batch a stopped run had started (intent, no
 * done record) are collected as the source delivers them, and the batch is re-done with exactly
 * those executions and keys once all arrived, or at `close` with those that did.
 *
 * Memory: no batch is held as rows. Each execution's rows are encoded into its batch's spool
 * (`BatchSpool`: local Parquet files, at most one row group buffered) as it arrives, and the spool
 * is uploaded when the batch closes; memory is one execution's rows plus one row group per batch
 * being collected (the open batch and stopped batches being re-done).
 */
export class BatchCommitter implements RowSink {
  private readonly options: BatchCommitterOptions;
  private readonly committed: Set<string>;
  private readonly done: BatchDone[];
  /** Done records of this run. */
  private readonly written: BatchDone[] = [];
  private readonly pending = new Map<number, PendingBatch>();
  private readonly pendingOf = new Map<string, number>();
  private readonly accepted = new Set<string>();
  private readonly files: WrittenFile[] = [];
  private current: OpenBatch | undefined;
  private readonly clock = new StageClock();
  private nextBatch: number;
  private batchesWritten = 0;
  private batchesResumed = 0;
  private readonly notFound: string[] = [];

  constructor(options: BatchCommitterOptions) {
    for (const [name, value] of Object.entries({
      batchExecutions: options.batchExecutions,
      batchRows: options.batchRows,
    })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`BatchCommitter ${name} must be a positive integer, got ${value}`);
      }
    }
    this.options = options;
    this.committed = new Set(options.state.committed);
    this.done = [...options.state.done];
    this.nextBatch = options.state.nextBatch;
    for (const intent of options.state.pending) {
      const awaited = new Set(intent.executions.filter((arn) => !this.committed.has(arn)));
      this.pending.set(intent.batch, { intent, awaited });
      for (const arn of awaited) this.pendingOf.set(arn, intent.batch);
    }
  }

  isCommitted(executionArn: string): boolean {
    return this.committed.has(executionArn);
  }

  /**
   * True when a batch a stopped run of this job began holds the execution: it must be read again
   * to re-do that batch, whatever the export index says (its files may already hold its rows).
   */
  awaits(executionArn: string): boolean {
    return this.pendingOf.has(executionArn);
  }

  /**
   * The run that already exported the execution in `status`, by the export index: such an
   * execution is skipped unread, except one a stopped batch of this job awaits (`awaits`).
   */
  async exportedBy(executionArn: string, status: string, signal?: AbortSignal): Promise<string | undefined> {
    if (!this.options.index || this.awaits(executionArn)) return undefined;
    return (await this.options.index.lookup(executionArn, status, signal))?.runId;
  }

  async write(rows: ExecutionRows): Promise<void> {
    const arn = rows.executionArn;
    if (this.committed.has(arn) || this.accepted.has(arn)) return; // sources yield an ARN once
    this.accepted.add(arn);
    const batch = this.pendingOf.get(arn);
    if (batch !== undefined) {
      const pending = this.pending.get(batch) as PendingBatch;
      pending.awaited.delete(arn);
      pending.received ??= this.openBatch(batch, pending.intent);
      await this.add(pending.received, rows);
      if (pending.awaited.size === 0) await this.redo(batch);
      return;
    }
    // A batch never goes over its row budget by adding an execution: it is written first, so an
    // execution larger than the budget makes a batch (and files) of its own.
    const size = rowCount(rows);
    if (this.current && this.current.rows + size > this.options.batchRows) await this.flush();
    this.current ??= this.openBatch(this.nextBatch++);
    await this.add(this.current, rows);
    if (
      this.current.executions.length >= this.options.batchExecutions ||
      this.current.rows >= this.options.batchRows
    ) {
      await this.flush();
    }
  }

  bytesWritten(): number {
    return this.files.reduce((n, f) => n + f.bytes, 0);
  }

  async close(): Promise<{ files: WrittenFile[]; commit: CommitSummary }> {
    await this.flush();
    for (const batch of [...this.pending.keys()].sort((a, b) => a - b)) {
      const pending = this.pending.get(batch) as PendingBatch;
      this.notFound.push(...[...pending.awaited].filter((arn) => !this.committed.has(arn)));
      await this.redo(batch);
    }
    const { options } = this;
    const done = [...this.done].sort((a, b) => a.batch - b.batch);
    const manifest = await this.clock.time('uploadMs', () => commitManifest({ ...options, done }));
    // Only now: an index entry must never point at data that no manifest lists.
    const indexEntriesWritten = options.index
      ? await indexCommittedBatches({
          ...options,
          index: options.index,
          done,
          indexed: options.state.indexed,
        })
      : 0;
    return {
      files: this.files,
      commit: {
        jobId: options.jobId,
        runId: options.runId,
        manifestKey: manifest.key,
        manifestWritten: manifest.written,
        batchesWritten: this.batchesWritten,
        batchesResumed: this.batchesResumed,
        filesAdopted: this.files.filter((f) => f.adopted).length,
        executionsNotFound: this.notFound,
        executionsPartial: this.written.flatMap((d) => d.partial),
        indexEntriesWritten,
      },
    };
  }

  /**
   * Removes the spools of batches not committed. Nothing else to undo: a batch's files abort their
   * own uploads on failure, and batch records are atomic.
   */
  async abort(_reason: unknown): Promise<void> {
    const open = [this.current, ...[...this.pending.values()].map((p) => p.received)];
    this.current = undefined;
    await Promise.all(open.map((batch) => batch?.spool.discard()));
  }

  /** Encoding (into the spools) and committing (uploads, batch records, manifest), in ms. */
  timings(): SinkTimings {
    const { encodeMs, uploadMs } = this.clock.rounded();
    return { encodeMs, uploadMs };
  }

  private openBatch(batch: number, intent?: BatchIntent): OpenBatch {
    const { createdAt, provenance } = batchStart(this.options, intent);
    return {
      batch,
      createdAt,
      spool: openBatchSpool(this.options, batch, provenance),
      executions: [],
      rows: 0,
    };
  }

  private async add(batch: OpenBatch, rows: ExecutionRows): Promise<void> {
    batch.executions.push(batchExecutionOf(rows));
    batch.rows += rowCount(rows);
    await this.clock.time('encodeMs', () => batch.spool.add(rows));
  }

  private async flush(): Promise<void> {
    const open = this.current;
    if (!open) return;
    this.current = undefined;
    this.record(await this.commit(open));
    this.batchesWritten++;
  }

  private async redo(batch: number): Promise<void> {
    const pending = this.pending.get(batch) as PendingBatch;
    this.pending.delete(batch);
    for (const arn of pending.intent.executions) this.pendingOf.delete(arn);
    this.record(await this.commit(pending.received ?? this.openBatch(batch, pending.intent), pending.intent));
    this.batchesResumed++;
  }

  /** Closes the batch's spool and commits it (`writeSpooledBatch`); the spool is removed either way. */
  private async commit(open: OpenBatch, intent?: BatchIntent): Promise<BatchDone> {
    try {
      const files = await this.clock.time('encodeMs', () => open.spool.close());
      const { batch, createdAt, executions } = open;
      return await this.clock.time('uploadMs', () =>
        writeSpooledBatch(this.options, { batch, createdAt, executions, files, intent }),
      );
    } finally {
      await open.spool.discard();
    }
  }

  private record(done: BatchDone): void {
    this.done.push(done);
    this.written.push(done);
    for (const file of done.files) {
      for (const arn of file.executions) this.committed.add(arn);
      const { key, table, dt, rows, bytes, sha256, adopted } = file;
      this.files.push({ key, table, dt, rows, bytes, sha256, adopted });
    }
  }
}
