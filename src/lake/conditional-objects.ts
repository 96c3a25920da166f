import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { makeDirectory } from '../sink/make-directory.js';

/** An object's bytes and the version a conditional replace names (an ETag; locally a hash). */
export interface VersionedObject {
  readonly bytes: Uint8Array;
  readonly version: string;
}

/**
 * Small objects written only under a condition: the lease of a job (`src/commit/job-lease.ts`).
 * Keys are relative to the store root, as for `ObjectStore`. `signal` aborts a request in flight.
 *
 * On S3 `create` sends `If-None-Match: *` and `replace` sends `If-Match: <ETag>`, so of two writers
 * racing for one key exactly one wins. A local directory creates exclusively (a hard link fails
 * with EEXIST), but replaces by reading, comparing and renaming, which a writer racing between the
 * read and the rename can defeat: one run per local lake at a time is the rule (docs/RELIABILITY.md).
 */
export interface ConditionalObjects {
  /** The object and its version, or `undefined` when there is none. */
  read(key: string, signal?: AbortSignal): Promise<VersionedObject | undefined>;
  /** Writes `bytes` if there is no object under `key`; false when there is one. */
  create(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<boolean>;
  /** Replaces the object if it is still at `version`; false when it changed or is gone. */
  replace(key: string, bytes: Uint8Array, version: string, signal?: AbortSignal): Promise<boolean>;
  /** Deletes the object, if there is one. */
  remove(key: string, signal?: AbortSignal): Promise<void>;
  /** `s3://bucket/key` or an absolute file path. */
  describe(key: string): string;
}

/** Conditional objects as files under a local directory (the layout `LocalObjectStore` writes). */
export class LocalConditionalObjects implements ConditionalObjects {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async read(key: string): Promise<VersionedObject | undefined> {
    try {
      const bytes = await readFile(this.describe(key));
      return { bytes, version: versionOf(bytes) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async create(key: string, bytes: Uint8Array): Promise<boolean> {
    const path = this.describe(key);
    const temp = await this.written(path, bytes);
    try {
      await link(temp, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }

  async replace(key: string, bytes: Uint8Array, version: string): Promise<boolean> {
    const path = this.describe(key);
    if ((await this.read(key))?.version !== version) return false;
    await rename(await this.written(path, bytes), path);
    return true;
  }

  async remove(key: string): Promise<void> {
    await rm(this.describe(key), { force: true });
  }

  describe(key: string): string {
    return join(this.dir, ...key.split('/'));
  }

  /** Writes `bytes` to a new `_`-prefixed temp file beside `path` and returns its path. */
  private async written(path: string, bytes: Uint8Array): Promise<string> {
    await makeDirectory(dirname(path));
    const temp = join(dirname(path), `_${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(temp, bytes, { flag: 'wx' });
    return temp;
  }
}

function versionOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
