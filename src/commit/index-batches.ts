import pMap from 'p-map';
import { TABLE_NAMES } from '../schema/index.js';
import type { ObjectStore } from '../sink/object-sink.js';
import type { BatchDone } from './batch-records.js';
import type { ExportIndex, IndexEntry, IndexWants } from './export-index.js';
import type { JobDefinition } from './job-id.js';
import { putJsonOnce } from './json-object.js';
import { batchKey } from './state-keys.js';

export interface IndexBatchesInput {
  readonly index: ExportIndex;
  readonly store: ObjectStore;
  readonly prefix: string;
  readonly jobId: string;
  readonly definition: JobDefinition;
  /** The job's done batches, every one listed by the manifest just committed. */
  readonly done: readonly BatchDone[];
  /** Batches whose entries an earlier run already wrote (`JobState.indexed`). */
  readonly indexed: ReadonlySet<number>;
  readonly signal?: AbortSignal;
}

/** What the job's rows hold, as an export index entry records it and a lookup wants it. */
export function indexWantsOf(definition: JobDefinition): IndexWants {
  return { tables: definition.tables ?? [...TABLE_NAMES], redaction: definition.redaction };
}

/**
 * Records the job's committed executions in the export index, after the manifest that lists them:
 * the entries of every done batch not yet indexed, then each one's `batch-N.indexed.json`. A
 * crash before the marker leaves the batch to the next run of the job, which writes the entries
 * again (an existing entry is kept); until then other jobs re-export those executions, never skip
 * data no manifest holds. Returns the entries written.
 */
export async function indexCommittedBatches(input: IndexBatchesInput): Promise<number> {
  const unindexed = input.done.filter((done) => done.index && !input.indexed.has(done.batch));
  let written = 0;
  // A few batches at a time: many requests in flight, memory bounded by those batches' entries.
  for (let i = 0; i < unindexed.length; i += BATCHES_AT_ONCE) {
    written += await indexBatches(input, unindexed.slice(i, i + BATCHES_AT_ONCE));
  }
  return written;
}

const BATCHES_AT_ONCE = 16;

async function indexBatches(input: IndexBatchesInput, batches: readonly BatchDone[]): Promise<number> {
  const wants = indexWantsOf(input.definition);
  const entries = batches.flatMap((done) => {
    const { runId, exportedAt, executions } = done.index as NonNullable<BatchDone['index']>;
    return executions.map(
      (e): IndexEntry => ({
        kind: 'durable-export/index-entry',
        format: 1,
        executionArn: e.arn,
        status: e.status,
        runId,
        jobId: input.jobId,
        exportedAt,
        endedAt: e.endedAt,
        tables: [...wants.tables],
        schemaVersion: input.definition.schemaVersion,
        redaction: wants.redaction,
      }),
    );
  });
  // Every entry first (many at once), then the markers: a marker never precedes its entries.
  const written = await input.index.record(entries, input.signal);
  await pMap(
    batches,
    (done) =>
      putJsonOnce(input.store, batchKey(input.prefix, input.jobId, done.batch, 'indexed'), {
        kind: 'durable-export/batch-indexed',
        format: 1,
        jobId: input.jobId,
        batch: done.batch,
        entries: done.index?.executions.length ?? 0,
        indexedAt: new Date().toISOString(),
      }), // 'exists': a retried PUT, or a run that indexed it meanwhile: either way it is done
    { concurrency: 16 },
  );
  return written;
}
