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
 * for each done batch not yet indexed, its entries, then `batch-N.indexed.json` (written once). A
 * crash before the marker leaves the batch to the next run of the job, which writes the entries
 * again (an existing entry is kept); until then other jobs re-export those executions, never skip
 * data no manifest holds. Returns the entries written.
 */
export async function indexCommittedBatches(input: IndexBatchesInput): Promise<number> {
  const wants = indexWantsOf(input.definition);
  let written = 0;
  for (const done of input.done) {
    if (!done.index || input.indexed.has(done.batch)) continue;
    const { runId, exportedAt } = done.index;
    const entries = done.index.executions.map(
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
    written += await input.index.record(entries, input.signal);
    await putJsonOnce(input.store, batchKey(input.prefix, input.jobId, done.batch, 'indexed'), {
      kind: 'durable-export/batch-indexed',
      format: 1,
      jobId: input.jobId,
      batch: done.batch,
      entries: entries.length,
      indexedAt: new Date().toISOString(),
    }); // 'exists': a retried PUT, or a run that indexed it meanwhile: either way it is done
  }
  return written;
}
