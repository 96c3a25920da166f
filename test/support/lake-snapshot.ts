import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file under `dir` (recursively) → SHA-256 of its bytes. A missing directory is empty. */
export async function snapshotFiles(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(
      relative(dir, path),
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return out;
}

/** The files of `before` that are missing or changed in `after` (new files are allowed). */
export function damaged(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before].filter(([path, hash]) => after.get(path) !== hash).map(([path]) => path);
}
