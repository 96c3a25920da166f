import pMap from 'p-map';
import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { type BatchDone, type BatchIntent, batchDoneSchema, batchIntentSchema } from './batch-records.js';
import { readJsonRecord } from './json-object.js';
import { parseBatchKey, stateFolder } from './state-keys.js';

/** What earlier runs of a job left in `PREFIX/_state/<jobId>/`. */
export interface JobState {
  /** Done batches, by batch number ascending. */
  readonly done: BatchDone[];
  /** Batches with an intent but no done record (a run stopped while writing them), ascending. */
  readonly pending: BatchIntent[];
  /** The first batch number no record uses. */
  readonly nextBatch: number;
  /** ARNs of the executions some file of a done batch holds: a re-run skips them. */
  readonly committed: ReadonlySet<string>;
  /** Done batches whose export index entries are written (`batch-N.indexed.json`). */
  readonly indexed: ReadonlySet<number>;
}

/** Records read at once; they are small, so this is about request latency. */
const READ_CONCURRENCY = 16;

/**
 * Reads the job's state: lists the state folder, then reads every done record and the intent of
 * every batch without one. Intents of done batches are not read (the done record supersedes them).
 */
export async function readJobState(reader: ObjectReader, prefix: string, jobId: string): Promise<JobState> {
  const intents = new Map<number, string>();
  const dones = new Map<number, string>();
  const indexed = new Set<number>();
  for await (const object of reader.list(stateFolder(prefix, jobId))) {
    const parsed = parseBatchKey(object.key);
    if (parsed?.kind === 'indexed') indexed.add(parsed.batch);
    else if (parsed) (parsed.kind === 'intent' ? intents : dones).set(parsed.batch, object.key);
  }
  const done = await pMap(
    [...dones.entries()].sort(([a], [b]) => a - b),
    async ([batch, key]) =>
      checked(await readJsonRecord(reader, key, batchDoneSchema), reader, key, jobId, batch),
    { concurrency: READ_CONCURRENCY },
  );
  const pendingKeys = [...intents.entries()].filter(([batch]) => !dones.has(batch)).sort(([a], [b]) => a - b);
  const pending = await pMap(
    pendingKeys,
    async ([batch, key]) =>
      checked(await readJsonRecord(reader, key, batchIntentSchema), reader, key, jobId, batch),
    { concurrency: READ_CONCURRENCY },
  );
  const committed = new Set<string>();
  for (const record of done)
    for (const file of record.files) for (const arn of file.executions) committed.add(arn);
  const numbers = [...intents.keys(), ...dones.keys()];
  return {
    done,
    pending,
    committed,
    indexed,
    nextBatch: numbers.reduce((next, n) => Math.max(next, n + 1), 0),
  };
}

/** A record whose content does not match its key is refused rather than trusted. */
function checked<T extends { jobId: string; batch: number }>(
  record: T | undefined,
  reader: ObjectReader,
  key: string,
  jobId: string,
  batch: number,
): T {
  if (record === undefined) {
    throw new ExportError(`${reader.describe(key)} was listed but could not be read`, {
      stage: 'commit',
      key,
    });
  }
  if (record.jobId !== jobId || record.batch !== batch) {
    throw new ExportError(
      `${reader.describe(key)} says job ${record.jobId} batch ${record.batch}, expected job ${jobId} batch ${batch}`,
      { stage: 'commit', key },
    );
  }
  return record;
}
