import { ExportError } from '../errors.js';

/**
 * The one error type of the sink stage. It names where the bytes were going (bucket and key, or a
 * local path) and keeps the original failure as `cause`, so a run summary can say exactly which
 * object failed and why.
 */

/** Short, low-cardinality reason, suitable for metrics and exit-code mapping. */
export type SinkErrorType =
  /** A key, prefix, run id or partition value is malformed (a bug upstream, or bad options). */
  | 'invalid_output'
  /** A row does not fit the table's schema (null in a required column, wrong type, out of range). */
  | 'invalid_row'
  /** S3 rejected or failed the upload (network, permissions, missing bucket, ...). */
  | 'upload_failed'
  /** The object already exists and overwriting was not allowed (`If-None-Match: *`). */
  | 'already_exists'
  /** Writing, renaming or removing a local file failed. */
  | 'write_failed'
  /** The writer was used after it was closed, aborted or failed. */
  | 'closed';

export interface SinkErrorContext {
  readonly errorType: SinkErrorType;
  /** S3 bucket, when the target is S3. */
  readonly bucket?: string;
  /** Object key (S3) or key relative to the output directory (local). */
  readonly key?: string;
  /** Local file path, when the target is a directory. */
  readonly path?: string;
  readonly cause?: unknown;
}

/**
 * Error raised by anything under `src/sink/`: an `ExportError` with stage `'sink'`, the key (and
 * local path as `context.file`), plus the bucket and a short `errorType`.
 */
export class SinkError extends ExportError {
  override readonly name = 'SinkError';
  readonly errorType: SinkErrorType;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, context: SinkErrorContext) {
    super(
      message,
      {
        stage: 'sink',
        key: context.key,
        file: context.path,
      },
      context.cause === undefined ? undefined : { cause: context.cause },
    );
    this.errorType = context.errorType;
    this.bucket = context.bucket;
    this.key = context.key;
    this.path = context.path;
  }
}
/** The message of an unknown thrown value, for embedding in our own messages. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { Code?: unknown; code?: unknown }).Code ?? (cause as { code?: unknown }).code;
    const name = cause.name && cause.name !== 'Error' ? cause.name : undefined;
    const label = [name, typeof code === 'string' && code !== name ? code : undefined]
      .filter(Boolean)
      .join('/');
    return label ? `${label}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
