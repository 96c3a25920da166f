import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExportError } from '../errors.js';
import type { ListedObject, ObjectReader } from './object-reader.js';

/** Reads objects stored as files under a directory (the layout `LocalObjectStore` writes). */
export class LocalObjectReader implements ObjectReader {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    // Walk from the deepest folder the prefix names, then filter by the full prefix.
    const slash = prefix.lastIndexOf('/');
    const start = slash === -1 ? '' : prefix.slice(0, slash);
    for await (const key of this.walk(start)) {
      if (!key.startsWith(prefix)) continue;
      const info = await stat(this.describe(key)).catch(() => undefined);
      if (info?.isFile()) yield { key, bytes: info.size };
    }
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.describe(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ExportError(
        `reading ${this.describe(key)} failed: ${(error as Error).message}`,
        { stage: 'sink', key, file: this.describe(key) },
        { cause: error },
      );
    }
  }

  describe(key: string): string {
    return key === '' ? this.dir : join(this.dir, ...key.split('/'));
  }

  localPath(key: string): string {
    return this.describe(key);
  }

  private async *walk(folder: string): AsyncIterable<string> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.describe(folder), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) yield* this.walk(key);
      else if (entry.isFile()) yield key;
    }
  }
}
