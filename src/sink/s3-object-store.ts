import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertObjectKey, type ObjectSink, type ObjectStore } from './object-sink.js';
import { describeCause, SinkError } from './sink-error.js';

/** S3's minimum multipart part size (all parts but the last). */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE_BYTES = 8 * 1024 * 1024;

export interface S3ObjectStoreOptions {
  /** Client from `createS3Client`; injected so tests and callers share one. */
  readonly client: S3Client;
  readonly bucket: string;
  /** Multipart part size in bytes, at least 5 MiB (default 8 MiB). Objects below it use one PUT. */
  readonly partSizeBytes?: number;
  /** Parts uploaded in parallel per object (default 1). Memory per object ≈ (queueSize + 1) × part. */
  readonly queueSize?: number;
  /** Send `If-None-Match: *` so an existing object is never overwritten (default true). */
  readonly ifNoneMatch?: boolean;
}

/** Objects in one S3 bucket, written with lib-storage multipart uploads. */
export class S3ObjectStore implements ObjectStore {
  private readonly options: Required<S3ObjectStoreOptions>;

  constructor(options: S3ObjectStoreOptions) {
    const partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    if (!Number.isSafeInteger(partSizeBytes) || partSizeBytes < MIN_PART_SIZE_BYTES) {
      throw new RangeError(
        `partSizeBytes must be an integer >= ${MIN_PART_SIZE_BYTES} (5 MiB), got ${partSizeBytes}`,
      );
    }
    const queueSize = options.queueSize ?? 1;
    if (!Number.isSafeInteger(queueSize) || queueSize < 1) {
      throw new RangeError(`queueSize must be a positive integer, got ${queueSize}`);
    }
    this.options = { ...options, partSizeBytes, queueSize, ifNoneMatch: options.ifNoneMatch ?? true };
  }

  open(key: string): ObjectSink {
    assertObjectKey(key);
    return new S3ObjectSink(this.options, key);
  }

  describe(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }
}

type Outcome = { ok: true } | { ok: false; error: SinkError };

/**
 * One object upload. Bytes go through a `PassThrough` that lib-storage's `Upload` reads part by
 * part; `write` waits for 'drain' (or the upload's failure), so at most about one part is buffered
 * besides the parts in flight. The upload starts at construction and settles into `outcome`.
 */
class S3ObjectSink implements ObjectSink {
  readonly key: string;
  private readonly bucket: string;
  private readonly body = new PassThrough();
  private readonly outcome: Promise<Outcome>;
  private failure: SinkError | undefined;
  private state: 'open' | 'completing' | 'completed' | 'aborted' = 'open';
  private bytes = 0;

  constructor(options: Required<S3ObjectStoreOptions>, key: string) {
    this.key = key;
    this.bucket = options.bucket;
    // The body's consumer reports stream errors through the upload; this keeps an abort's
    // destroy(error) from also surfacing as an unhandled 'error' event.
    this.body.on('error', () => {});
    const upload = new Upload({
      client: options.client,
      params: {
        Bucket: options.bucket,
        Key: key,
        Body: this.body,
        ContentType: 'application/vnd.apache.parquet',
        IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
      },
      partSize: options.partSizeBytes,
      queueSize: options.queueSize,
      leavePartsOnError: false,
    });
    this.outcome = upload.done().then(
      (): Outcome => ({ ok: true }),
      (error: unknown): Outcome => {
        this.failure = this.wrap(error);
        this.body.destroy();
        return { ok: false, error: this.failure };
      },
    );
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.assertWritable('write');
    this.bytes += chunk.byteLength;
    if (this.body.write(chunk)) return;
    const stop = new AbortController();
    try {
      await Promise.race([once(this.body, 'drain', { signal: stop.signal }), this.outcome]);
    } catch (error) {
      if (!this.failure) throw this.wrap(error);
    } finally {
      stop.abort();
    }
    if (this.failure) throw this.failure;
  }

  async complete(): Promise<{ bytes: number }> {
    this.assertWritable('complete');
    this.state = 'completing';
    this.body.end();
    const outcome = await this.outcome;
    if (!outcome.ok) throw outcome.error;
    this.state = 'completed';
    return { bytes: this.bytes };
  }

  async abort(reason: unknown): Promise<void> {
    if (this.state === 'completed' || this.state === 'aborted') return;
    this.state = 'aborted';
    // Failing the body makes the upload's part reader throw; lib-storage then sends
    // AbortMultipartUpload (leavePartsOnError: false) before `done()` rejects.
    this.body.destroy(new Error(`aborted: ${describeCause(reason)}`, { cause: reason }));
    await this.outcome;
  }

  private assertWritable(operation: string): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') {
      throw new SinkError(`${operation} on ${this.describe()} after it was ${this.state}`, {
        errorType: 'closed',
        bucket: this.bucket,
        key: this.key,
      });
    }
  }

  private describe(): string {
    return `s3://${this.bucket}/${this.key}`;
  }

  private wrap(error: unknown): SinkError {
    const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
      ?.httpStatusCode;
    const exists = status === 412 || (error as { name?: unknown } | undefined)?.name === 'PreconditionFailed';
    const what = exists ? 'already exists (If-None-Match: *)' : 'upload failed';
    return new SinkError(`${this.describe()} ${what}: ${describeCause(error)}`, {
      errorType: exists ? 'already_exists' : 'upload_failed',
      bucket: this.bucket,
      key: this.key,
      cause: error,
    });
  }
}
