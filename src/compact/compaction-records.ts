import { createHash } from 'node:crypto';
import { z } from 'zod';
import { committedFileSchema } from '../commit/batch-records.js';
import { stateFolder } from '../commit/state-keys.js';
import { SCHEMA_VERSION, TABLE_NAMES } from '../schema/index.js';
import { partitionFolder } from '../sink/object-key.js';

/**
 * The records of a compaction, next to the export's (src/commit/state-keys.ts):
 *
 *   PREFIX/_state/compact-<id>/intent.json   written before the first new file: what it replaces and writes
 *   PREFIX/_manifests/<runId>.json           the compaction manifest, written after every new file
 *
 * `<id>` is a hash of the table, day and replaced keys, so the same compaction gets the same id and
 * the same new keys. A replaced file stays committed (in its run manifest) but is superseded: a
 * committed compaction manifest lists it in `replaces`, and `verify` and `query` ignore it.
 */

const fileSchema = committedFileSchema.extend({ batch: z.int().min(0) });

export const compactionIntentSchema = z.object({
  kind: z.literal('durable-export/compaction-intent'),
  format: z.literal(1),
  compactionId: z.string(),
  runId: z.string(),
  table: z.enum(TABLE_NAMES),
  dt: z.string(),
  createdAt: z.string(),
  /** Keys of the files the new ones replace. */
  replaces: z.array(z.string()),
  /** Keys the new files are written under (a group whose rows were all older versions is left out). */
  files: z.array(z.string()),
});

export const compactionManifestSchema = z.object({
  kind: z.literal('durable-export/compaction-manifest'),
  format: z.literal(1),
  compactionId: z.string(),
  runId: z.string(),
  table: z.enum(TABLE_NAMES),
  dt: z.string(),
  toolVersion: z.string(),
  schemaVersion: z.int(),
  createdAt: z.string(),
  /** Keys of the files this compaction supersedes; they are deleted after this manifest is written. */
  replaces: z.array(z.string()),
  /** The new files, in the shape of a run manifest's entries (`batch` is 0, `adopted` false). */
  files: z.array(fileSchema),
  totals: z.object({
    rowsRead: z.int().min(0),
    rowsKept: z.int().min(0),
    bytesReplaced: z.int().min(0),
    bytes: z.int().min(0),
  }),
});

export type CompactionIntent = z.infer<typeof compactionIntentSchema>;
export type CompactionManifest = z.infer<typeof compactionManifestSchema>;

/** The id of compacting `replaces` (any order) of one table and day. */
export function compactionIdOf(table: string, dt: string, replaces: readonly string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([SCHEMA_VERSION, 'compaction', table, dt, [...replaces].sort()]))
    .digest('hex')
    .slice(0, 32);
}

export const compactionFolder = (prefix: string, compactionId: string): string =>
  stateFolder(prefix, `compact-${compactionId}`);

export const compactionIntentKey = (prefix: string, compactionId: string): string =>
  `${compactionFolder(prefix, compactionId)}intent.json`;

/** The compaction id in an intent key, if it is one. */
export function parseCompactionIntentKey(key: string): string | undefined {
  return /(?:^|\/)_state\/compact-([0-9a-f]+)\/intent\.json$/.exec(key)?.[1];
}

/** The key of the `index`-th new file of a compaction. */
export function compactedFileKey(
  prefix: string,
  table: string,
  dt: string,
  compactionId: string,
  index: number,
): string {
  const hash = createHash('sha256').update(`${compactionId}/${index}`).digest('hex').slice(0, 32);
  return `${partitionFolder(prefix, table, dt)}part-${hash}.parquet`;
}
