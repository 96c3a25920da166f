import type { Lake } from '../lake/open-lake.js';
import { toolVersion } from '../sink/created-by.js';
import { BatchCommitter } from './batch-committer.js';
import type { JobRecord } from './batch-records.js';
import { openExportIndex } from './export-index.js';
import { indexWantsOf } from './index-batches.js';
import { type JobDefinition, jobIdOf } from './job-id.js';
import { type JobState, readJobState } from './job-state.js';
import { putJsonOnce } from './json-object.js';
import { jobKey, newRunId } from './state-keys.js';

export interface OpenCommitterOptions {
  readonly lake: Lake;
  readonly definition: JobDefinition;
  /** Names this run's manifest; default `newRunId(jobId)`. `[A-Za-z0-9_-]`, at most 64 chars. */
  readonly runId?: string;
  readonly batchExecutions: number;
  readonly batchRows: number;
  readonly rowGroupRows?: number;
  /** Where batch spools go (default `os.tmpdir()`). */
  readonly spoolDirectory?: string;
}

/** An export job in a lake and what earlier runs of it left there. */
export interface JobInLake {
  readonly jobId: string;
  readonly state: JobState;
}

/**
 * Reads the job `definition` of `lake` (`_state/<jobId>/`) without writing anything: what every run
 * resumes from (`openCommitter`) and what `--dry-run` plans with.
 */
export async function readJob(lake: Lake, definition: JobDefinition): Promise<JobInLake> {
  const jobId = jobIdOf(definition);
  return { jobId, state: await readJobState(lake.reader, lake.prefix, jobId) };
}

/**
 * Starts (or resumes) the export job `definition` in `lake`: reads what earlier runs left in
 * `_state/<jobId>/` (`readJob`), records the job definition there once, and returns the committing
 * sink.
 */
export async function openCommitter(options: OpenCommitterOptions): Promise<BatchCommitter> {
  const { lake, definition } = options;
  const { jobId, state } = await readJob(lake, definition);
  const runId = options.runId ?? newRunId(jobId);
  const record: JobRecord = {
    kind: 'durable-export/job',
    format: 1,
    jobId,
    definition,
    createdAt: new Date().toISOString(),
    toolVersion: toolVersion(),
  };
  await putJsonOnce(lake.store, jobKey(lake.prefix, jobId), record); // 'exists': an earlier run wrote it
  return new BatchCommitter({
    store: lake.store,
    reader: lake.reader,
    prefix: lake.prefix,
    jobId,
    runId,
    definition,
    state,
    batchExecutions: options.batchExecutions,
    batchRows: options.batchRows,
    rowGroupRows: options.rowGroupRows,
    index: openExportIndex(lake, indexWantsOf(definition)),
    spoolDirectory: options.spoolDirectory,
  });
}
