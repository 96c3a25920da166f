import type { ExpectedFile } from '../verify/manifest-index.js';

/**
 * Which version of a row is the latest, the one rule `compact` keeps rows by. Two rows are versions
 * of each other when they have the same key (`TableSpec.key`).
 *
 * Today a row's version is its file's: the file committed by the later manifest (manifest keys
 * start with the run's UTC time, so they sort in commit order; a file belongs to the first manifest
 * that listed it) holds the later version, and files of one manifest are ordered by key, which is
 * arbitrary but deterministic. When rows carry `exported_at`, this is where that rule plugs in: sort
 * by the files' newest `exported_at` (every row of a file has its run's), then as here.
 *
 * Returns the files newest first: `compact` keeps the first row it meets for each key.
 */
export function newestVersionFirst(files: readonly ExpectedFile[]): ExpectedFile[] {
  const order = (f: ExpectedFile): string => `${f.manifests[0] ?? ''} ${f.file.key}`;
  return [...files].sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0));
}
