import pMap from 'p-map';
import type { ConditionalObjects } from '../lake/conditional-objects.js';

export interface RemovedFiles {
  readonly deleted: string[];
  /** Files S3 refused to delete (Object Lock): they stay, superseded, and readers skip them. */
  readonly kept: { key: string; reason: string }[];
}

/**
 * Deletes the files a committed compaction replaced. S3 Object Lock (retention or legal hold) makes
 * DeleteObject fail with AccessDenied or InvalidRequest: such a file is kept and reported; it stays
 * listed in the compaction manifest's `replaces`, so `verify` and `query` ignore it.
 */
export async function removeSuperseded(
  objects: ConditionalObjects,
  keys: readonly string[],
  onDelete?: () => Promise<void>,
): Promise<RemovedFiles> {
  const deleted: string[] = [];
  const kept: { key: string; reason: string }[] = [];
  await pMap(
    keys,
    async (key) => {
      try {
        await objects.remove(key);
        deleted.push(key);
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name !== 'AccessDenied' && name !== 'InvalidRequest') throw error;
        kept.push({ key, reason: `${name}: ${(error as Error).message}` });
      }
      await onDelete?.();
    },
    { concurrency: 8 },
  );
  return { deleted: deleted.sort(), kept };
}
