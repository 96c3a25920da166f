import { createReadStream } from 'node:fs';
import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import type { ObjectStore } from '../sink/object-sink.js';
import { describeCause, SinkError } from '../sink/sink-error.js';
import { adoptFile } from './adopt-file.js';
import type { CommittedFile, PlannedFile } from './batch-records.js';
import { HashingObjectSink } from './hashing-object-sink.js';

export interface WriteBatchFileOptions {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  /** Every execution of the batch: an existing file may hold only these. */
  readonly batchExecutions: ReadonlySet<string>;
}

/** A planned data file and the finished Parquet file (in the batch spool) that it uploads. */
export interface BatchFileContent extends PlannedFile {
  /** Local path of the complete Parquet file (`BatchSpool`). */
  readonly path: string;
  readonly rows: number;
}

/** Bytes read from the spool file per chunk handed to the object sink. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Writes one data file of a batch, never over an existing object: the spooled file's bytes stream
 * into a conditional upload (`If-None-Match: *`; locally a hard link), and when the key is taken,
 * the existing file was completed by an earlier attempt at this batch and is adopted after
 * checking it (`adoptFile`). The SHA-256 is computed while the bytes stream.
 */
export async function writeBatchFile(
  file: BatchFileContent,
  options: WriteBatchFileOptions,
): Promise<CommittedFile> {
  const sink = new HashingObjectSink(options.store.open(file.key));
  try {
    try {
      for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
        await sink.write(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof SinkError) throw error;
      throw new SinkError(
        `reading the spooled file ${file.path} for ${file.key} failed: ${describeCause(error)}`,
        {
          errorType: 'write_failed',
          key: file.key,
          cause: error,
        },
      );
    }
    const { bytes } = await sink.complete();
    return {
      key: file.key,
      table: file.table,
      dt: file.dt,
      executions: file.executions,
      rows: file.rows,
      bytes,
      sha256: sink.sha256(),
      adopted: false,
    };
  } catch (error) {
    await sink.abort(error);
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
