import { readJsonRecord } from '../commit/json-object.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { underPrefix } from '../lake/object-reader.js';
import { type ManifestIndex, readManifestIndex } from '../verify/manifest-index.js';
import {
  type CompactionIntent,
  compactionIntentSchema,
  parseCompactionIntentKey,
} from './compaction-records.js';

/** A compaction intent found under `PREFIX/_state/`, and whether its manifest is committed. */
export interface FoundIntent {
  readonly key: string;
  readonly intent: CompactionIntent;
  readonly committed: boolean;
}

/** The lake's manifests and compaction intents, read once. */
export interface CompactionLedger {
  readonly index: ManifestIndex;
  readonly intents: FoundIntent[];
  /**
   * Data files readers must skip: superseded files (replaced by a committed compaction, not yet
   * deleted or kept by Object Lock) and new files of a compaction whose manifest is not committed
   * (their rows are still in the files they would replace).
   */
  readonly hidden: ReadonlySet<string>;
}

export async function readCompactionLedger(reader: ObjectReader, prefix: string): Promise<CompactionLedger> {
  const index = await readManifestIndex(reader, prefix);
  const committed = new Set(index.compactions.map((c) => c.compactionId));
  const intents: FoundIntent[] = [];
  for await (const object of reader.list(underPrefix(prefix, '_state/'))) {
    const id = parseCompactionIntentKey(object.key);
    if (id === undefined) continue;
    const intent = await readJsonRecord(reader, object.key, compactionIntentSchema);
    if (intent) intents.push({ key: object.key, intent, committed: committed.has(id) });
  }
  const hidden = new Set(index.superseded.keys());
  for (const found of intents) {
    if (found.committed) continue;
    for (const key of found.intent.files) if (!index.expected.has(key)) hidden.add(key);
  }
  return { index, intents, hidden };
}
