import pMap from 'p-map';
import { z } from 'zod';
import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { executionsTable } from '../schema/index.js';
import type { ObjectStore } from '../sink/object-sink.js';
import type { ExecutionRows } from '../transform/execution-rows.js';
import type { Provenance } from '../transform/provenance.js';
import { adoptFile } from './adopt-file.js';
import { planBatchFiles } from './batch-plan.js';
import type { BatchDone, BatchIntent, CommittedFile } from './batch-records.js';
import { BatchSpool, type SpooledFile } from './batch-spool.js';
import { TERMINAL_STATUSES } from './export-index.js';
import { putJsonOnce, readJsonRecord } from './json-object.js';
import { batchKey } from './state-keys.js';
import { writeBatchFile } from './write-batch-file.js';

export interface BatchContext {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  readonly prefix: string;
  readonly jobId: string;
  readonly runId: string;
  readonly rowGroupRows?: number;
  /** Where batch spools go (default `os.tmpdir()`; `sink.spoolDirectory`). */
  readonly spoolDirectory?: string;
  /** Data files of one batch written at once (default 4). */
  readonly fileConcurrency?: number;
  readonly now?: () => Date;
}

/** A batch to write: new (its executions decide its files) or re-done (its intent decides). */
export interface BatchInput {
  readonly batch: number;
  readonly executions: readonly ExecutionRows[];
  /** The intent a stopped run recorded; set when re-doing that batch. */
  readonly intent?: BatchIntent;
}

/** What a committed batch keeps of each execution once its rows are spooled: the export index's facts. */
export type BatchExecution = Pick<ExecutionRows, 'executionArn' | 'status' | 'endedAt' | 'complete'>;

/** An execution's facts without its rows. */
export function batchExecutionOf({ executionArn, status, endedAt, complete }: ExecutionRows): BatchExecution {
  return { executionArn, status, endedAt, complete };
}

/** A batch whose rows are already encoded in its spool (`BatchSpool`), ready to commit. */
export interface SpooledBatch {
  readonly batch: number;
  /** When the batch began: the intent's `createdAt` and the rows' `exported_at`. */
  readonly createdAt: string;
  /** Executions of the batch in arrival order. */
  readonly executions: readonly BatchExecution[];
  readonly files: readonly SpooledFile[];
  /** The intent a stopped run recorded; set when re-doing that batch. */
  readonly intent?: BatchIntent;
}

/** When a batch begins: a new one now, a re-done one when its intent was written. */
export function batchStart(
  context: BatchContext,
  intent?: BatchIntent,
): { createdAt: string; provenance: Provenance } {
  const createdAt = intent?.createdAt ?? (context.now ?? (() => new Date()))().toISOString();
  return {
    createdAt,
    provenance: { runId: intent?.runId ?? context.runId, exportedAt: new Date(createdAt) },
  };
}

/** The spool of batch `batch` of this run, its rows stamped with `provenance`. */
export function openBatchSpool(context: BatchContext, batch: number, provenance: Provenance): BatchSpool {
  return new BatchSpool({
    directory: context.spoolDirectory,
    jobId: context.jobId,
    runId: context.runId,
    batch,
    provenance,
    rowGroupRows: context.rowGroupRows,
  });
}

/**
 * Writes one batch given as rows: spools them (`BatchSpool`), then commits the spool
 * (`writeSpooledBatch`). The committer spools each execution as it arrives instead.
 */
export async function writeBatch(context: BatchContext, input: BatchInput): Promise<BatchDone> {
  const { createdAt, provenance } = batchStart(context, input.intent);
  const spool = openBatchSpool(context, input.batch, provenance);
  try {
    for (const execution of input.executions) await spool.add(execution);
    return await writeSpooledBatch(context, {
      batch: input.batch,
      createdAt,
      executions: input.executions.map(batchExecutionOf),
      files: await spool.close(),
      intent: input.intent,
    });
  } finally {
    await spool.discard();
  }
}

/**
 * Commits one batch with the write-ahead protocol:
 * 1. a new batch first records its intent (`batch-N.intent.json`: its executions and file keys);
 * 2. then uploads each spooled data file under its content-named key, never replacing an object;
 *    a file that exists was completed by an earlier attempt and is adopted after a check;
 * 3. then records `batch-N.done.json` with every file's rows, bytes, SHA-256 and executions.
 * A crash anywhere leaves either no intent (nothing written; the executions are simply exported
 * again) or an intent without a done record, which the next run re-does with the same keys.
 *
 * Every row of the batch was stamped with the intent's run id and time (`export_run_id`,
 * `exported_at`) when it was spooled (`batchStart`): a re-done batch stamps its rows exactly as the
 * stopped run did, so the files it writes agree with the files it adopts.
 */
export async function writeSpooledBatch(context: BatchContext, input: SpooledBatch): Promise<BatchDone> {
  const { store, reader, prefix, jobId, runId } = context;
  const now = context.now ?? (() => new Date());
  const intent = input.intent;
  const files = planBatchFiles(prefix, { jobId, runId: intent?.runId ?? runId }, input.files, intent?.files);
  const batchExecutions = new Set(intent?.executions ?? input.executions.map((e) => e.executionArn));
  // The rows were stamped with the intent's run id and the batch's start (`batchStart`).
  const provenance = { runId: intent?.runId ?? runId, exportedAt: new Date(input.createdAt) };
  if (!intent) {
    const record: BatchIntent = {
      kind: 'durable-export/batch-intent',
      format: 1,
      jobId,
      batch: input.batch,
      runId,
      createdAt: input.createdAt,
      executions: [...batchExecutions],
      files: files.map(({ key, table, dt, executions }) => ({ key, table, dt, executions })),
    };
    await putOrConflict(context, batchKey(prefix, jobId, input.batch, 'intent'), record, input.batch);
  }
  const fileOptions = { store, reader, batchExecutions };
  // Files a stopped attempt completed are met by the conditional write (412, or EEXIST locally)
  // and adopted. Writing first, rather than looking first, needs no read of a key that may not
  // exist (S3 answers 403 instead of 404 without s3:ListBucket on it).
  const written = await pMap(files, (file) => writeBatchFile(file, fileOptions), {
    concurrency: context.fileConcurrency ?? 4,
  });
  // Recorded files this attempt has no rows for may still have been completed before the crash.
  const planned = new Set(files.map((f) => f.key));
  const leftover = (intent?.files ?? []).filter((f) => !planned.has(f.key));
  const adopted = await pMap(leftover, (f) => adoptFile(reader, f, batchExecutions), { concurrency: 4 });
  const committed = [...written, ...adopted.filter((f): f is CommittedFile => f !== undefined)].sort(
    (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const held = new Set(committed.flatMap((f) => f.executions));
  const withExecutionRow = new Set(
    committed.filter((f) => f.table === executionsTable.name).flatMap((f) => f.executions),
  );
  const done: BatchDone = {
    kind: 'durable-export/batch-done',
    format: 1,
    jobId,
    batch: input.batch,
    runId,
    completedAt: now().toISOString(),
    files: committed,
    missing: [...batchExecutions].filter((arn) => !held.has(arn)).sort(),
    partial: [...held].filter((arn) => !withExecutionRow.has(arn)).sort(),
    index: indexOfBatch(provenance, input.executions, committed),
  };
  await putOrConflict(context, batchKey(prefix, jobId, input.batch, 'done'), done, input.batch);
  return done;
}

/**
 * The executions the export index may record once the batch is in a manifest: terminal, complete,
 * with rows in this batch's files, and in no adopted file (whose rows an earlier attempt read, maybe
 * in another state).
 */
function indexOfBatch(
  provenance: { runId: string; exportedAt: Date },
  executions: readonly BatchExecution[],
  files: readonly CommittedFile[],
): BatchDone['index'] {
  const held = new Set(files.flatMap((f) => f.executions));
  const adopted = new Set(files.filter((f) => f.adopted).flatMap((f) => f.executions));
  return {
    runId: provenance.runId,
    exportedAt: provenance.exportedAt.toISOString(),
    executions: executions
      .filter((e) => held.has(e.executionArn) && !adopted.has(e.executionArn))
      .filter((e) => e.status !== undefined && TERMINAL_STATUSES.has(e.status) && e.complete !== false)
      .map((e) => ({
        arn: e.executionArn,
        status: e.status as string,
        endedAt: e.endedAt?.toISOString() ?? null,
      })),
  };
}

/**
 * Batch records are written once. Finding one already there is fine when this run wrote it (a
 * retried PUT whose first attempt succeeded); otherwise another run of the job is active.
 */
async function putOrConflict(
  context: BatchContext,
  key: string,
  record: unknown,
  batch: number,
): Promise<void> {
  const { store, reader, jobId, runId } = context;
  if ((await putJsonOnce(store, key, record)) === 'written') return;
  const existing = await readJsonRecord(reader, key, z.object({ runId: z.string() }));
  if (existing?.runId === runId) return;
  throw new ExportError(
    `${store.describe(key)} already exists: another run of job ${jobId} wrote batch ${batch} at the same time; run one export of a job at a time (this run stops, nothing it wrote is lost)`,
    { stage: 'commit', key },
  );
}
