import { SinkError } from './sink-error.js';

/**
 * The byte seam between the Parquet encoder and where its bytes go. An `ObjectStore` opens one
 * `ObjectSink` per object key; the sink receives the file's bytes in order and either completes
 * (the object becomes visible under its key) or aborts (nothing is left behind).
 *
 * Contract, shared by the S3 and local implementations:
 * - `write` resolves when the sink can take more bytes; callers await it before producing more.
 *   That is the pipeline's backpressure and keeps memory near one row group plus one part.
 * - The chunk passed to `write` is owned by the sink afterwards; the caller must not reuse it.
 * - `complete` makes the object visible atomically (multipart completion, or a rename) and
 *   resolves with the number of bytes written. Nothing is visible under the key before that.
 * - `abort` removes whatever was written (aborts the multipart upload, deletes the temp file).
 *   It never rejects; it is safe to call after a failure and more than once.
 * - After a failure, `write` and `complete` reject with a `SinkError` naming the target.
 */
export interface ObjectSink {
  /** The object key this sink writes, relative to the store. */
  readonly key: string;
  write(chunk: Uint8Array): Promise<void>;
  complete(): Promise<{ bytes: number }>;
  abort(reason: unknown): Promise<void>;
}

/** A place objects can be written: an S3 bucket or a local directory. */
export interface ObjectStore {
  /** Starts a new object under `key` (a `/`-separated relative key, no leading `/`). */
  open(key: string): ObjectSink;
  /** Human-readable location of `key`: `s3://bucket/key` or an absolute file path. */
  describe(key: string): string;
}

/** Checks a key before any I/O: relative, `/`-separated, no empty, `.` or `..` segments. */
export function assertObjectKey(key: string): void {
  const segments = key.split('/');
  const bad = segments.find((s) => s === '' || s === '.' || s === '..');
  if (key.length === 0 || bad !== undefined || key.includes('\\') || key.includes('\0')) {
    throw new SinkError(
      `object key ${JSON.stringify(key)} is not a relative key of non-empty segments without . or ..`,
      { errorType: 'invalid_output', key },
    );
  }
}
