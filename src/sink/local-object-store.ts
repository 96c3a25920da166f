import { randomBytes } from 'node:crypto';
import { access, type FileHandle, link, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { makeDirectory } from './make-directory.js';
import { assertObjectKey, type ObjectSink, type ObjectStore } from './object-sink.js';
import { describeCause, SinkError } from './sink-error.js';

/**
 * Objects as files under a local directory, with the same keys as S3, so `--out ./DIR` produces the
 * same tree as `--out s3://bucket/prefix`. A file is written under a `_`-prefixed temp name in its
 * final folder (hidden from Athena and from DuckDB globs over `part-*`), flushed to disk, and
 * moved into place on completion, so a reader never sees a partial file under the final name.
 * Like the S3 store's `If-None-Match: *`, an existing file is not replaced unless `overwrite`.
 */
export class LocalObjectStore implements ObjectStore {
  readonly dir: string;
  private readonly overwrite: boolean;
  private readonly durable: boolean;

  /**
   * @param options.overwrite replace existing files (default false: completing fails instead)
   * @param options.durable flush each file to disk before it is moved into place (default true;
   *   false for scratch files a crash may lose, such as a batch spool)
   */
  constructor(dir: string, options: { readonly overwrite?: boolean; readonly durable?: boolean } = {}) {
    this.dir = resolve(dir);
    this.overwrite = options.overwrite ?? false;
    this.durable = options.durable ?? true;
  }

  open(key: string): ObjectSink {
    assertObjectKey(key);
    return new LocalObjectSink(key, this.describe(key), this.overwrite, this.durable);
  }

  describe(key: string): string {
    return join(this.dir, ...key.split('/'));
  }
}

class LocalObjectSink implements ObjectSink {
  readonly key: string;
  private readonly path: string;
  private readonly tempPath: string;
  private readonly overwrite: boolean;
  private readonly durable: boolean;
  private handle: FileHandle | undefined;
  private state: 'open' | 'completed' | 'failed' | 'aborted' = 'open';
  private failure: SinkError | undefined;
  private bytes = 0;

  constructor(key: string, path: string, overwrite: boolean, durable: boolean) {
    this.key = key;
    this.path = path;
    this.overwrite = overwrite;
    this.durable = durable;
    this.tempPath = join(dirname(path), `_${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.assertOpen('write');
    await this.guard('write to', async () => {
      const handle = await this.ensureOpen();
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
        offset += bytesWritten;
      }
      this.bytes += chunk.byteLength;
    });
  }

  async complete(): Promise<{ bytes: number }> {
    this.assertOpen('complete');
    await this.guard('complete', async () => {
      const handle = await this.ensureOpen();
      if (this.durable) await handle.datasync();
      await handle.close();
      this.handle = undefined;
      await this.moveIntoPlace();
    });
    this.state = 'completed';
    return { bytes: this.bytes };
  }

  async abort(_reason: unknown): Promise<void> {
    if (this.state === 'completed' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
    await rm(this.tempPath, { force: true }).catch(() => {});
  }

  /**
   * rename() replaces silently; without `overwrite`, a hard link (atomic, fails with EEXIST) puts
   * the file in place. Where hard links are unsupported, an existence check precedes the rename.
   */
  private async moveIntoPlace(): Promise<void> {
    if (this.overwrite) return rename(this.tempPath, this.path);
    try {
      await link(this.tempPath, this.path);
      await rm(this.tempPath);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw this.alreadyExists(error);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    }
    const found = await access(this.path).then(
      () => true,
      () => false,
    );
    if (found) throw this.alreadyExists(undefined);
    await rename(this.tempPath, this.path);
  }

  private alreadyExists(cause: unknown): SinkError {
    return new SinkError(`${this.path} already exists; not replacing it`, {
      errorType: 'already_exists',
      key: this.key,
      path: this.path,
      cause,
    });
  }

  private async ensureOpen(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await makeDirectory(dirname(this.path));
    this.handle = await open(this.tempPath, 'wx');
    return this.handle;
  }

  private assertOpen(operation: string): void {
    if (this.failure) throw this.failure;
    if (this.state !== 'open') {
      throw new SinkError(`${operation} on ${this.path} after it was ${this.state}`, {
        errorType: 'closed',
        key: this.key,
        path: this.path,
      });
    }
  }

  /** Runs a file operation; on failure, removes the temp file and rethrows with context. */
  private async guard(what: string, operation: () => Promise<void>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      this.failure =
        error instanceof SinkError
          ? error
          : new SinkError(`${what} ${this.path} failed: ${describeCause(error)}`, {
              errorType: 'write_failed',
              key: this.key,
              path: this.path,
              cause: error,
            });
      await this.abort(this.failure);
      this.state = 'failed';
      throw this.failure;
    }
  }
}
