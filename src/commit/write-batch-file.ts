import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { BATCH_KEY, type ColumnSpec, JOB_ID_KEY, RUN_ID_KEY, TABLES } from '../schema/index.js';
import type { ObjectStore } from '../sink/object-sink.js';
import { ParquetFileWriter } from '../sink/parquet-file-writer.js';
import { SinkError } from '../sink/sink-error.js';
import { adoptFile } from './adopt-file.js';
import type { BatchFile } from './batch-plan.js';
import type { CommittedFile } from './batch-records.js';
import { HashingObjectSink } from './hashing-object-sink.js';

export interface WriteBatchFileOptions {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  readonly jobId: string;
  readonly runId: string;
  readonly batch: number;
  /** Every execution of the batch: an existing file may hold only these. */
  readonly batchExecutions: ReadonlySet<string>;
  readonly rowGroupRows?: number;
}

/**
 * Writes one data file of a batch, never over an existing object: the upload is conditional
 * (`If-None-Match: *`; locally a hard link), and when the key is taken, the existing file was
 * completed by an earlier attempt at this batch and is adopted after checking it (`adoptFile`).
 * The SHA-256 is computed while the bytes stream.
 */
export async function writeBatchFile(
  file: BatchFile,
  options: WriteBatchFileOptions,
): Promise<CommittedFile> {
  const sink = new HashingObjectSink(options.store.open(file.key));
  try {
    const writer = new ParquetFileWriter<readonly ColumnSpec[]>({
      table: TABLES[file.table],
      sink,
      kvMetadata: {
        [JOB_ID_KEY]: options.jobId,
        [BATCH_KEY]: String(options.batch),
        [RUN_ID_KEY]: options.runId,
      },
      rowGroupRows: options.rowGroupRows,
    });
    await writer.write(file.rows);
    const result = await writer.close();
    return {
      key: file.key,
      table: file.table,
      dt: file.dt,
      executions: file.executions,
      rows: result.rows,
      bytes: result.bytes,
      sha256: sink.sha256(),
      adopted: false,
    };
  } catch (error) {
    if (!(error instanceof SinkError && error.errorType === 'already_exists')) throw error;
    const adopted = await adoptFile(options.reader, file, options.batchExecutions);
    if (adopted) return adopted;
    throw new ExportError(
      `${options.reader.describe(file.key)} was reported to exist but cannot be read`,
      { stage: 'commit', key: file.key },
      { cause: error },
    );
  }
}
