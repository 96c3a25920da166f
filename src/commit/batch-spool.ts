import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportError } from '../errors.js';
import type { TableName } from '../schema/index.js';
import { BATCH_KEY, type ColumnSpec, JOB_ID_KEY, RUN_ID_KEY, TABLE_NAMES, TABLES } from '../schema/index.js';
import { LocalObjectStore } from '../sink/local-object-store.js';
import {
  DEFAULT_ROW_GROUP_BYTES,
  DEFAULT_ROW_GROUP_ROWS,
  ParquetFileWriter,
} from '../sink/parquet-file-writer.js';
import type { ExecutionRows } from '../transform/execution-rows.js';
import { type Provenance, provenanceColumns } from '../transform/provenance.js';
import type { FileGroup } from './batch-plan.js';

export interface BatchSpoolOptions {
  /** The folder the spool's own temp folder goes in (default `os.tmpdir()`; Lambda has /tmp). */
  readonly directory?: string;
  /** Footer metadata of the files: the job, this run and the batch number. */
  readonly jobId: string;
  readonly runId: string;
  readonly batch: number;
  /** Stamped on every row (`exported_at`, `export_run_id`): the batch intent's run and time. */
  readonly provenance: Provenance;
  readonly rowGroupRows?: number;
  /** Rows buffered across ALL the spool's files stay under this estimate of their memory (default 16 MiB). */
  readonly rowGroupBytes?: number;
}

/** One finished spool file: a complete Parquet file of one (table, day) of the batch. */
export interface SpooledFile extends FileGroup {
  /** Local path of the file. */
  readonly path: string;
  readonly rows: number;
}

interface OpenFile {
  readonly table: TableName;
  readonly dt: string;
  readonly key: string;
  readonly executions: string[];
  readonly writer: ParquetFileWriter<readonly ColumnSpec[]>;
}

/**
 * Where a batch's rows wait until the batch closes, without staying in memory: each execution's
 * rows are encoded at once into one local Parquet file per (table, day), exactly the files the
 * batch will commit, so memory holds at most one row group's worth of rows across all of them
 * (`rowGroupBytes`; the largest buffer is written out as a row group when they reach it). When the
 * batch closes, its file keys are known (they hash the executions of each file) and the committer
 * uploads these files (`writeBatch`). docs/RELIABILITY.md 2.5.
 */
export class BatchSpool {
  private readonly options: BatchSpoolOptions;
  private readonly files = new Map<string, OpenFile>();
  private readonly rowGroupBytes: number;
  private folder: Promise<string> | undefined;
  private store: LocalObjectStore | undefined;

  constructor(options: BatchSpoolOptions) {
    this.options = options;
    this.rowGroupBytes = options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
  }

  /** Encodes every row of one execution into the spool files (stamped with the batch's provenance). */
  async add(execution: ExecutionRows): Promise<void> {
    for (const table of TABLE_NAMES) {
      const rows = execution.tables[table];
      if (rows.length === 0) continue;
      const file = await this.fileOf(table, execution.dt);
      file.executions.push(execution.executionArn);
      await file.writer.write(rows);
    }
    await this.keepWithinBudget();
  }

  /** Completes every spool file; the files stay until `discard`. */
  async close(): Promise<SpooledFile[]> {
    const spooled: SpooledFile[] = [];
    for (const file of this.files.values()) {
      const { rows } = await file.writer.close();
      const path = (this.store as LocalObjectStore).describe(file.key);
      spooled.push({ table: file.table, dt: file.dt, executions: file.executions, path, rows });
    }
    return spooled;
  }

  /** Removes the spool's files (aborting any still open). Never rejects. */
  async discard(): Promise<void> {
    await Promise.all([...this.files.values()].map((f) => f.writer.abort('spool discarded')));
    this.files.clear();
    const folder = await this.folder?.catch(() => undefined);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
  }

  private async fileOf(table: TableName, dt: string): Promise<OpenFile> {
    const id = `${table}/${dt}`;
    const open = this.files.get(id);
    if (open) return open;
    const store = await this.openStore();
    const { jobId, runId, batch, rowGroupRows } = this.options;
    const key = `${table}-${dt}.parquet`;
    const writer = new ParquetFileWriter<readonly ColumnSpec[]>({
      table: TABLES[table],
      sink: store.open(key),
      kvMetadata: { [JOB_ID_KEY]: jobId, [BATCH_KEY]: String(batch), [RUN_ID_KEY]: runId },
      rowGroupRows,
      rowGroupBytes: this.rowGroupBytes,
      // The batch's provenance, whatever the rows were stamped with: no copy of each row.
      constantColumns: provenanceColumns(this.options.provenance),
    });
    const file: OpenFile = { table, dt, key, executions: [], writer };
    this.files.set(id, file);
    return file;
  }

  private async openStore(): Promise<LocalObjectStore> {
    if (this.store) return this.store;
    const parent = this.options.directory ?? tmpdir();
    this.folder ??= mkdtemp(join(parent, `durable-export-spool-${this.options.batch}-`));
    let folder: string;
    try {
      folder = await this.folder;
    } catch (error) {
      throw new ExportError(
        `cannot create the batch spool folder in ${parent} (sink.spoolDirectory): ${(error as Error).message}`,
        { stage: 'commit' },
        { cause: error },
      );
    }
    // Scratch files: a crash loses the batch anyway (it is re-done), so no flush to disk.
    this.store ??= new LocalObjectStore(folder, { overwrite: true, durable: false });
    return this.store;
  }

  /**
   * One row group's budget across all files (`rowGroupRows` rows, `rowGroupBytes` estimated bytes):
   * the fullest buffer goes out as a row group until they fit.
   */
  private async keepWithinBudget(): Promise<void> {
    const files = [...this.files.values()];
    const rowLimit = this.options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    let rows = files.reduce((n, f) => n + f.writer.bufferedRows, 0);
    let bytes = files.reduce((n, f) => n + f.writer.bufferedBytes, 0);
    while (rows > rowLimit || bytes > this.rowGroupBytes) {
      const fullest = files.reduce((a, b) => (b.writer.bufferedBytes > a.writer.bufferedBytes ? b : a));
      rows -= fullest.writer.bufferedRows;
      bytes -= fullest.writer.bufferedBytes;
      await fullest.writer.flushRowGroup();
    }
  }
}
