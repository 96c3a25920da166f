import {
  type ColumnSpec,
  RUN_ID_KEY,
  TABLES,
  type TableName,
  type TableRows,
  type TableSpec,
} from '../schema/index.js';
import { assertPartitionDate, assertRunId, partitionFolder, partObjectKey } from './object-key.js';
import type { ObjectStore } from './object-sink.js';
import { DEFAULT_ROW_GROUP_ROWS, ParquetFileWriter } from './parquet-file-writer.js';
import { describeCause, SinkError } from './sink-error.js';

export const DEFAULT_MAX_FILE_ROWS = 1_000_000;
export const DEFAULT_MAX_OPEN_FILES = 8;

export interface PartitionedSinkOptions {
  readonly store: ObjectStore;
  /** Key prefix without leading/trailing `/` (from `parseOutputLocation`); '' for none. */
  readonly prefix: string;
  /** Goes into every file name (`part-<runId>-NNNNN.parquet`) and footer; `[A-Za-z0-9_-]{1,64}`. */
  readonly runId: string;
  /** Rows per file before it is completed and a new one started (default 1,000,000). */
  readonly maxFileRows?: number;
  /** Open files (partitions being written) at most; the least recently used is completed (default 8). */
  readonly maxOpenFiles?: number;
  /** Rows per row group (default 50,000); see ParquetFileWriter. */
  readonly rowGroupRows?: number;
  /** Estimated memory of a row group's buffered rows (default 16 MiB); see ParquetFileWriter. */
  readonly rowGroupBytes?: number;
  /** Footer `created_by` override. */
  readonly createdBy?: string;
  /**
   * Table specs to write instead of the schema module's (default `TABLES`): for tests of schema
   * evolution, e.g. a spec with one column appended.
   */
  readonly tables?: { readonly [T in TableName]?: TableSpec };
}

export interface SinkFileSummary {
  readonly key: string;
  readonly table: TableName;
  readonly dt: string;
  readonly rows: number;
  readonly bytes: number;
}

export interface SinkSummary {
  /** Completed files, sorted by key. */
  readonly files: SinkFileSummary[];
}

interface OpenFile {
  readonly table: TableName;
  readonly dt: string;
  readonly writer: ParquetFileWriter<readonly ColumnSpec[]>;
}

/**
 * Writes rows into `PREFIX/<table>/dt=YYYY-MM-DD/part-<runId>-<NNNNN>.parquet`, one open Parquet
 * file per (table, dt), completing a file when it reaches `maxFileRows` and the least recently
 * used one when more than `maxOpenFiles` are open.
 *
 * Memory: each open file buffers up to one row group, so the bound is about
 * `maxOpenFiles × row group + upload parts`. Calls are serialized; await each `write`.
 * A failure aborts every open file and fails the sink; completed files stay (see `completed`).
 */
export class PartitionedSink {
  private readonly options: PartitionedSinkOptions & { maxFileRows: number; maxOpenFiles: number };
  /** Open files by `table/dt`, least recently used first (Map insertion order). */
  private readonly open = new Map<string, OpenFile>();
  private readonly nextSequence = new Map<string, number>();
  private readonly files: SinkFileSummary[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private failure: SinkError | undefined;
  private state: 'open' | 'closed' | 'aborted' = 'open';

  constructor(options: PartitionedSinkOptions) {
    assertRunId(options.runId);
    partitionFolder(options.prefix, 'any_table', '2000-01-01'); // validates the prefix
    const maxFileRows = options.maxFileRows ?? DEFAULT_MAX_FILE_ROWS;
    const maxOpenFiles = options.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES;
    for (const [name, value] of Object.entries({ maxFileRows, maxOpenFiles })) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`PartitionedSink ${name} must be a positive integer, got ${value}`);
      }
    }
    this.options = { ...options, maxFileRows, maxOpenFiles };
  }

  /** Files completed so far, in completion order (also after a failure). */
  get completed(): readonly SinkFileSummary[] {
    return this.files;
  }

  /** Appends rows of one table to partition `dt` (`YYYY-MM-DD`); resolves once the sink took them. */
  write<T extends TableName>(table: T, dt: string, rows: Iterable<TableRows[T]>): Promise<void> {
    return this.serialize(async () => {
      if (!Object.hasOwn(TABLES, table)) {
        throw new SinkError(`unknown table ${JSON.stringify(table)}`, { errorType: 'invalid_row' });
      }
      assertPartitionDate(dt);
      const batchLimit = this.options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
      let batch: TableRows[T][] = [];
      let file = this.fileFor(table, dt);
      for (const row of rows) {
        if (file === undefined) file = await this.openFile(table, dt);
        batch.push(row);
        const room = this.options.maxFileRows - file.writer.rows - batch.length;
        if (room === 0 || batch.length >= batchLimit) {
          await file.writer.write(batch);
          batch = [];
          if (room === 0) {
            await this.complete(file);
            file = undefined;
          }
        }
      }
      if (batch.length > 0 && file) await file.writer.write(batch);
    });
  }

  /** Completes every open file; resolves with all files written by this sink. */
  close(): Promise<SinkSummary> {
    return this.serialize(async () => {
      for (const file of [...this.open.values()]) await this.complete(file);
      this.state = 'closed';
      return { files: [...this.files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
    });
  }

  /** Aborts every open file (their uploads or temp files are removed). Never rejects. */
  async abort(reason: unknown): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    const files = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(files.map((f) => f.writer.abort(reason)));
  }

  private serialize<R>(operation: () => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      if (this.failure) {
        throw new SinkError(`the sink failed earlier: ${this.failure.message}`, {
          errorType: 'closed',
          cause: this.failure,
        });
      }
      if (this.state !== 'open') throw new SinkError(`the sink was ${this.state}`, { errorType: 'closed' });
      try {
        return await operation();
      } catch (error) {
        this.failure =
          error instanceof SinkError
            ? error
            : new SinkError(`partitioned sink failed: ${describeCause(error)}`, {
                errorType: 'write_failed',
                cause: error,
              });
        await this.abort(this.failure);
        throw this.failure;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }

  /** The open file of (table, dt), marked most recently used, if any. */
  private fileFor(table: TableName, dt: string): OpenFile | undefined {
    const id = `${table}/${dt}`;
    const file = this.open.get(id);
    if (file) {
      this.open.delete(id);
      this.open.set(id, file);
    }
    return file;
  }

  private async openFile(table: TableName, dt: string): Promise<OpenFile> {
    const id = `${table}/${dt}`;
    while (this.open.size >= this.options.maxOpenFiles) {
      const lru = this.open.values().next().value as OpenFile;
      await this.complete(lru);
    }
    const sequence = this.nextSequence.get(id) ?? 0;
    this.nextSequence.set(id, sequence + 1);
    const { prefix, runId, rowGroupRows, rowGroupBytes, createdBy } = this.options;
    const key = partObjectKey({ prefix, table, dt, runId, sequence });
    const writer = new ParquetFileWriter<readonly ColumnSpec[]>({
      table: this.options.tables?.[table] ?? TABLES[table],
      sink: this.options.store.open(key),
      kvMetadata: { [RUN_ID_KEY]: runId },
      rowGroupRows,
      rowGroupBytes,
      createdBy,
    });
    const file: OpenFile = { table, dt, writer };
    this.open.set(id, file);
    return file;
  }

  private async complete(file: OpenFile): Promise<void> {
    this.open.delete(`${file.table}/${file.dt}`);
    const { key, rows, bytes } = await file.writer.close();
    this.files.push({ key, table: file.table, dt: file.dt, rows, bytes });
  }
}
