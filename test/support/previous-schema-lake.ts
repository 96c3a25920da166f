import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { HashingObjectSink } from '../../src/commit/hashing-object-sink.js';
import { rowGroupsOf } from '../../src/compact/read-row-groups.js';
import {
  type ColumnSpec,
  ORIGIN_COLUMNS,
  type RowOf,
  SCHEMA_VERSION_KEY,
  TABLES,
  type TableName,
  type TableSpec,
} from '../../src/schema/index.js';
import { LocalObjectStore } from '../../src/sink/local-object-store.js';
import { ParquetFileWriter } from '../../src/sink/parquet-file-writer.js';

type Json = Record<string, unknown>;
interface ManifestEntry {
  key: string;
  table: TableName;
  bytes: number;
  sha256: string;
}

const ORIGIN = new Set<string>(ORIGIN_COLUMNS.map((c) => c.name));

/** `table` as schema version 3 wrote it: without the origin columns version 4 appended. */
export const asVersion3 = (table: TableSpec): TableSpec => ({
  ...table,
  columns: table.columns.filter((c) => !ORIGIN.has(c.name)),
});

/**
 * Turns the local lake `dir` into one durable-export schema version 3 wrote: every committed data
 * file rewritten with the same rows without the origin columns, its footer saying schema version 3
 * (its other footer metadata kept), and the manifests updated to match (bytes, SHA-256, schema
 * version). Returns the number of files rewritten.
 */
export async function rewriteAsVersion3(dir: string): Promise<number> {
  const store = new LocalObjectStore(dir, { overwrite: true });
  const rewritten = new Map<string, { bytes: number; sha256: string }>();
  const manifests = (await readdir(join(dir, '_manifests'))).filter((name) => name.endsWith('.json'));
  for (const name of manifests.sort()) {
    const path = join(dir, '_manifests', name);
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Json & { files: ManifestEntry[] };
    for (const entry of manifest.files) {
      const done = rewritten.get(entry.key) ?? (await rewriteFile(store, dir, entry));
      rewritten.set(entry.key, done);
      Object.assign(entry, done);
    }
    manifest.schemaVersion = 3;
    (manifest.job as Json).schemaVersion = 3;
    await writeFile(path, JSON.stringify(manifest, null, 2));
  }
  return rewritten.size;
}

async function rewriteFile(
  store: LocalObjectStore,
  dir: string,
  entry: ManifestEntry,
): Promise<{ bytes: number; sha256: string }> {
  const bytes = new Uint8Array(await readFile(join(dir, entry.key)));
  const footer = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const kv = Object.fromEntries((footer.key_value_metadata ?? []).map((m) => [m.key, m.value ?? '']));
  const table = asVersion3(TABLES[entry.table]);
  const sink = new HashingObjectSink(store.open(entry.key));
  const writer = new ParquetFileWriter<readonly ColumnSpec[]>({
    table,
    sink,
    kvMetadata: { ...kv, [SCHEMA_VERSION_KEY]: '3' },
  });
  for await (const rows of rowGroupsOf(bytes, table))
    await writer.write(rows as RowOf<readonly ColumnSpec[]>[]);
  const result = await writer.close();
  return { bytes: result.bytes, sha256: sink.sha256() };
}
