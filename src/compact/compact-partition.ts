import { putJsonOnce } from '../commit/json-object.js';
import { manifestKey, newRunId } from '../commit/state-keys.js';
import { ExportError } from '../errors.js';
import type { ConditionalObjects } from '../lake/conditional-objects.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { SCHEMA_VERSION, type TableSpec } from '../schema/index.js';
import { toolVersion } from '../sink/created-by.js';
import type { ObjectStore } from '../sink/object-sink.js';
import type { ExpectedFile } from '../verify/manifest-index.js';
import {
  type CompactionIntent,
  type CompactionManifest,
  compactedFileKey,
  compactionIdOf,
  compactionIntentKey,
} from './compaction-records.js';
import { newestVersionFirst } from './latest-version.js';
import { type RemovedFiles, removeSuperseded } from './remove-superseded.js';
import { type CompactedGroup, writeCompactedFiles } from './write-compacted-files.js';

/** The moments of a compaction, in order; the crash test stops the CLI at each. */
export type CompactStep = 'intent' | 'file' | 'manifest' | 'delete';

export interface CompactContext {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  readonly conditional: ConditionalObjects;
  readonly prefix: string;
  readonly targetFileBytes: number;
  readonly rowGroupRows?: number;
  readonly now?: () => Date;
  /** Awaited after each step (a test hook: the CLI's crash test pauses here to be killed). */
  readonly afterStep?: (step: CompactStep) => Promise<void>;
}

export interface CompactedPartition {
  readonly table: string;
  readonly dt: string;
  readonly manifestKey: string;
  readonly filesBefore: number;
  readonly bytesBefore: number;
  readonly filesAfter: number;
  readonly bytesAfter: number;
  readonly rowsRead: number;
  readonly rowsKept: number;
  readonly removed: RemovedFiles;
}

/**
 * Source files, newest version first, cut into groups of about `targetBytes` of input; `undefined`
 * when that would not reduce the number of files.
 */
export function planGroups(
  ordered: readonly ExpectedFile[],
  targetBytes: number,
): ExpectedFile[][] | undefined {
  const groups: ExpectedFile[][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const source of ordered) {
    if (bytes + source.file.bytes > targetBytes && bytes > 0) {
      groups.push([]);
      bytes = 0;
    }
    groups.at(-1)?.push(source);
    bytes += source.file.bytes;
  }
  return groups.length < ordered.length ? groups : undefined;
}

/**
 * Compacts the committed files of one table and day: intent record, new files (conditional
 * writes under deterministic keys), the compaction manifest (the commit point), then deletes of
 * the replaced files and of the intent. See docs/RELIABILITY.md "Compaction".
 */
export async function compactPartition(
  ctx: CompactContext,
  table: TableSpec & { key: readonly string[] },
  dt: string,
  sources: readonly ExpectedFile[],
): Promise<CompactedPartition | undefined> {
  const ordered = newestVersionFirst(sources);
  const grouped = planGroups(ordered, ctx.targetFileBytes);
  if (!grouped) return undefined;
  const now = ctx.now ?? (() => new Date());
  const replaces = ordered.map((s) => s.file.key);
  const compactionId = compactionIdOf(table.name, dt, replaces);
  const runId = newRunId(compactionId, now());
  const groups: CompactedGroup[] = grouped.map((g, i) => ({
    key: compactedFileKey(ctx.prefix, table.name, dt, compactionId, i),
    sources: g,
  }));
  const intentKey = compactionIntentKey(ctx.prefix, compactionId);
  const intent: CompactionIntent = {
    kind: 'durable-export/compaction-intent',
    format: 1,
    compactionId,
    runId,
    table: table.name as CompactionIntent['table'],
    dt,
    createdAt: now().toISOString(),
    replaces,
    files: groups.map((g) => g.key),
  };
  if ((await putJsonOnce(ctx.store, intentKey, intent)) === 'exists') {
    throw new ExportError(
      `${ctx.store.describe(intentKey)} exists: another compact is running on this lake`,
      {
        stage: 'commit',
        key: intentKey,
      },
    );
  }
  await ctx.afterStep?.('intent');
  const written = await writeCompactedFiles({
    store: ctx.store,
    reader: ctx.reader,
    table,
    key: table.key,
    dt,
    compactionId,
    runId,
    groups,
    rowGroupRows: ctx.rowGroupRows,
    onFile: () => ctx.afterStep?.('file') ?? Promise.resolve(),
  });
  const bytesBefore = sources.reduce((n, s) => n + s.file.bytes, 0);
  const bytesAfter = written.files.reduce((n, f) => n + f.bytes, 0);
  const manifest: CompactionManifest = {
    kind: 'durable-export/compaction-manifest',
    format: 1,
    compactionId,
    runId,
    table: intent.table,
    dt,
    toolVersion: toolVersion(),
    schemaVersion: SCHEMA_VERSION,
    createdAt: now().toISOString(),
    replaces,
    files: written.files,
    totals: {
      rowsRead: written.rowsRead,
      rowsKept: written.rowsKept,
      bytesReplaced: bytesBefore,
      bytes: bytesAfter,
    },
  };
  const key = manifestKey(ctx.prefix, runId);
  if ((await putJsonOnce(ctx.store, key, manifest)) === 'exists') {
    throw new ExportError(`${ctx.store.describe(key)} already exists: run ids must be unique`, {
      stage: 'commit',
      key,
    });
  }
  await ctx.afterStep?.('manifest');
  const removed = await removeSuperseded(
    ctx.conditional,
    replaces,
    () => ctx.afterStep?.('delete') ?? Promise.resolve(),
  );
  await ctx.conditional.remove(intentKey);
  return {
    table: table.name,
    dt,
    manifestKey: key,
    filesBefore: sources.length,
    bytesBefore,
    filesAfter: written.files.length,
    bytesAfter,
    rowsRead: written.rowsRead,
    rowsKept: written.rowsKept,
    removed,
  };
}
