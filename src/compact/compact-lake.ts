import { ConfigError } from '../errors.js';
import { TABLES, type TableName } from '../schema/index.js';
import { assertPartitionDate } from '../sink/object-key.js';
import type { ExpectedFile } from '../verify/manifest-index.js';
import { classifyKey } from '../verify/verify-types.js';
import { type CompactContext, type CompactedPartition, compactPartition } from './compact-partition.js';
import { type CompactionLedger, readCompactionLedger } from './pending-compactions.js';
import { removeSuperseded } from './remove-superseded.js';

export interface CompactLakeOptions {
  /** Compact only this day (`YYYY-MM-DD`). */
  readonly dt?: string;
  /** Compact the days before this one (default: the days before today, UTC). */
  readonly before?: string;
  /** Size the new files aim at (default 128 MiB). */
  readonly targetFileBytes?: number;
}

export interface CompactSummary {
  readonly partitions: CompactedPartition[];
  /** Replaced files of earlier, interrupted compactions deleted now, and their intents finished. */
  readonly finished: { readonly deleted: number; readonly intents: number };
  /** New files of interrupted, uncommitted compactions deleted (their job is done again). */
  readonly abandoned: number;
  /** Superseded files S3 Object Lock keeps (readers skip them). */
  readonly kept: { key: string; reason: string }[];
}

export const DEFAULT_TARGET_FILE_BYTES = 128 * 1024 * 1024;

/**
 * Compacts the committed files of each table and day the options select into as few files as the
 * target size allows, keeping only the latest version of each row (`newestVersionFirst`). First
 * finishes what an interrupted compaction left: a committed one's deletes, an uncommitted one's
 * new files (deleted; the partition is compacted again). One `compact` per lake at a time.
 */
export async function compactLake(
  ctx: Omit<CompactContext, 'targetFileBytes'>,
  options: CompactLakeOptions = {},
): Promise<CompactSummary> {
  if (options.dt !== undefined) assertPartitionDate(options.dt);
  if (options.before !== undefined) assertPartitionDate(options.before);
  if (options.dt !== undefined && options.before !== undefined)
    throw new ConfigError('give either --dt or --before, not both');
  const before = options.before ?? (ctx.now ?? (() => new Date()))().toISOString().slice(0, 10);
  const selected = (dt: string) => (options.dt !== undefined ? dt === options.dt : dt < before);
  const resumed = await finishInterrupted(ctx);
  const ledger = await readCompactionLedger(ctx.reader, ctx.prefix);
  const present = await dataFiles(ctx);
  const partitions = new Map<string, ExpectedFile[]>();
  for (const entry of ledger.index.expected.values()) {
    if (!selected(entry.file.dt) || !present.has(entry.file.key)) continue;
    const id = `${entry.file.table}\n${entry.file.dt}`;
    partitions.set(id, [...(partitions.get(id) ?? []), entry]);
  }
  const done: CompactedPartition[] = [];
  const targetFileBytes = options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES;
  for (const [id, sources] of [...partitions].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [name = '', dt = ''] = id.split('\n');
    const table = TABLES[name as TableName];
    if (!table?.key || sources.length < 2) continue;
    const result = await compactPartition(
      { ...ctx, targetFileBytes },
      { ...table, key: table.key },
      dt,
      sources,
    );
    if (result) done.push(result);
  }
  return { partitions: done, ...resumed, kept: [...resumed.kept, ...done.flatMap((p) => p.removed.kept)] };
}

/** The data files in the lake now (readers' view: `_`-prefixed paths excluded). */
async function dataFiles(ctx: Pick<CompactContext, 'reader' | 'prefix'>): Promise<Set<string>> {
  const found = new Set<string>();
  for await (const object of ctx.reader.list(ctx.prefix === '' ? '' : `${ctx.prefix}/`)) {
    if (classifyKey(ctx.prefix, object.key).data) found.add(object.key);
  }
  return found;
}

async function finishInterrupted(
  ctx: Omit<CompactContext, 'targetFileBytes'>,
): Promise<Pick<CompactSummary, 'finished' | 'abandoned' | 'kept'>> {
  const ledger: CompactionLedger = await readCompactionLedger(ctx.reader, ctx.prefix);
  const present = await dataFiles(ctx);
  const stale = [...ledger.index.superseded.keys()].filter((key) => present.has(key));
  const removed = await removeSuperseded(ctx.conditional, stale);
  let abandoned = 0;
  for (const { key, intent, committed } of ledger.intents) {
    if (!committed) {
      const orphans = intent.files.filter((file) => present.has(file) && !ledger.index.expected.has(file));
      for (const file of orphans) await ctx.conditional.remove(file);
      abandoned += orphans.length;
    }
    await ctx.conditional.remove(key);
  }
  return {
    finished: { deleted: removed.deleted.length, intents: ledger.intents.length },
    abandoned,
    kept: removed.kept,
  };
}
