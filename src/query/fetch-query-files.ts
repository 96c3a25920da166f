import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, ExportError } from '../errors.js';
import { type ObjectReader, underPrefix } from '../lake/object-reader.js';
import { makeDirectory } from '../sink/make-directory.js';
import { isTableDataFile, partitionOf } from './lake-views.js';
import type { QueryScope } from './query-scope.js';

/** How far a copy of the files a query reads has got: after the listing, then after each file. */
export interface FetchProgress {
  readonly files: number;
  readonly bytes: number;
  readonly totalFiles: number;
  readonly totalBytes: number;
}

export interface FetchQueryFilesOptions {
  /** Refuse (a ConfigError, exit 2) when the files the query needs add up to more bytes. */
  readonly maxBytes?: number;
  readonly onProgress?: (progress: FetchProgress) => void;
}

interface NeededFile {
  readonly key: string;
  /** Relative to the lake folder: `<table>/dt=<day>/<name>.parquet`. */
  readonly path: string;
  readonly bytes: number;
}

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/** The data files of the tables in `scope` whose partitions it selects, listed under `prefix`. */
async function neededFiles(reader: ObjectReader, prefix: string, scope: QueryScope): Promise<NeededFile[]> {
  const needed: NeededFile[] = [];
  for (const [table, filter] of scope) {
    const tablePrefix = underPrefix(prefix, `${table}/`);
    for await (const object of reader.list(tablePrefix)) {
      const inTable = object.key.slice(tablePrefix.length);
      if (!isTableDataFile(inTable)) continue;
      if (filter !== 'all' && !filter(partitionOf(inTable))) continue;
      needed.push({ key: object.key, path: `${table}/${inTable}`, bytes: object.bytes });
    }
  }
  return needed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Why the copy is refused, and how to narrow the query or raise the cap. */
function tooLarge(needed: readonly NeededFile[], total: number, maxBytes: number, scope: QueryScope): string {
  const tables = [...scope.keys()].join(', ');
  const whole = [...scope].filter(([, f]) => f === 'all').map(([t]) => t);
  const hint =
    whole.length > 0
      ? `narrow it with a dt filter on ${whole.join(', ')} (for example WHERE dt BETWEEN '2026-01-01' AND '2026-01-07'; only =, IN, BETWEEN and <, <=, >, >= with literal days select partitions)`
      : 'narrow its dt range';
  return `the query needs ${needed.length} files of ${tables}, ${megabytes(total)}, over --max-download-mb ${maxBytes / MB}: ${hint}, or raise --max-download-mb`;
}

/**
 * Copies to `dir` (as `<table>/dt=<day>/<name>.parquet`) only the data files of the lake at
 * `prefix` that a query with this `scope` reads, after checking their total size against
 * `maxBytes`; returns the number of files copied.
 */
export async function fetchQueryFiles(
  reader: ObjectReader,
  prefix: string,
  scope: QueryScope,
  dir: string,
  options: FetchQueryFilesOptions = {},
): Promise<{ files: number; bytes: number }> {
  const needed = await neededFiles(reader, prefix, scope);
  const totalBytes = needed.reduce((sum, f) => sum + f.bytes, 0);
  if (options.maxBytes !== undefined && totalBytes > options.maxBytes) {
    throw new ConfigError(tooLarge(needed, totalBytes, options.maxBytes, scope));
  }
  const progress = { files: 0, bytes: 0, totalFiles: needed.length, totalBytes };
  options.onProgress?.({ ...progress });
  for (const file of needed) {
    const body = await reader.read(file.key);
    if (body === undefined) {
      throw new ExportError(`${reader.describe(file.key)} disappeared while the query read it`, {
        stage: 'sink',
        key: file.key,
      });
    }
    const target = join(dir, ...file.path.split('/'));
    await makeDirectory(dirname(target));
    await writeFile(target, body);
    progress.files += 1;
    progress.bytes += body.byteLength;
    options.onProgress?.({ ...progress });
  }
  return { files: progress.files, bytes: progress.bytes };
}

/**
 * Copies the lake's bookkeeping a reader needs to skip the files `compact` superseded or has not
 * committed yet (src/compact/): every manifest under `_manifests/` and the compaction records under
 * `_state/compact-*`. Small JSON objects; not counted against `maxBytes`.
 */
export async function fetchCompactionRecords(
  reader: ObjectReader,
  prefix: string,
  dir: string,
): Promise<void> {
  const folders = [underPrefix(prefix, '_manifests/'), underPrefix(prefix, '_state/compact-')];
  for (const folder of folders) {
    for await (const object of reader.list(folder)) {
      const body = await reader.read(object.key);
      if (body === undefined) continue; // removed meanwhile: a finished compaction's intent
      const target = join(dir, ...object.key.slice(prefix === '' ? 0 : prefix.length + 1).split('/'));
      await makeDirectory(dirname(target));
      await writeFile(target, body);
    }
  }
}
