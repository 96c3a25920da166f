import pMap from 'p-map';
import { batchDoneSchema } from '../commit/batch-records.js';
import { readJsonRecord } from '../commit/json-object.js';
import { parseBatchKey } from '../commit/state-keys.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { underPrefix } from '../lake/object-reader.js';

/**
 * Which job batch wrote each data file, from the done records under `PREFIX/_state/`: lets
 * `verify` tell a file that a finished batch wrote but no manifest committed yet (a run that
 * stopped before its manifest; the next run commits it) from a file nobody accounts for.
 */
export async function uncommittedWriters(reader: ObjectReader, prefix: string): Promise<Map<string, string>> {
  const keys: string[] = [];
  for await (const object of reader.list(underPrefix(prefix, '_state/'))) {
    if (parseBatchKey(object.key)?.kind === 'done') keys.push(object.key);
  }
  const writers = new Map<string, string>();
  await pMap(
    keys,
    async (key) => {
      const done = await readJsonRecord(reader, key, batchDoneSchema).catch(() => undefined);
      for (const file of done?.files ?? []) writers.set(file.key, `job ${done?.jobId} batch ${done?.batch}`);
    },
    { concurrency: 16 },
  );
  return writers;
}
