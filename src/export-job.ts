import { jobDefinitionOf, jobIdOf } from './commit/job-id.js';
import { JobLease } from './commit/job-lease.js';
import { openCommitter } from './commit/open-committer.js';
import { newRunId } from './commit/state-keys.js';
import type { Config } from './config/config-schema.js';
import { exportRequestOf } from './config/export-request.js';
import { openLake } from './lake/open-lake.js';
import {
  type ExportSummary,
  type ProgressListener,
  type RunExportOptions,
  runExport,
} from './pipeline/run-export.js';
import { parseOutputLocation } from './sink/output-location.js';
import { prepareLakeForWrites } from './sink/prepare-lake.js';
import { assertS3WriteSecurity } from './sink/s3-request-defaults.js';
import { selectFunctions } from './source/discover-functions.js';
import { type OpenSourceOptions, openSource } from './source/open-source.js';
import { refuseTargets } from './targets/target-list.js';
import { Redaction } from './transform/redaction.js';

/**
 * The connection (`region`, `endpointUrlLambda`, `endpointUrlS3`, `credentials`) reaches Lambda and
 * S3; `stateTargets` give the state source's executions in code.
 */
export interface ExportJobOptions extends OpenSourceOptions {
  /** Called once the request is checked (every usage error is found before), before any request. */
  onStart?: () => void;
  onProgress?: ProgressListener;
  /** Run id naming this run's manifest (`_manifests/<runId>.json`); default: UTC time, job id, random hex. */
  runId?: string;
  /** Names `stateTargets` in the job identity (as a manifest's location does), so a re-run resumes. */
  stateInputName?: string;
  /** Stop taking new executions at this time (ms since the epoch), commit, report `complete: false`. */
  stopTakingNewAt?: number;
  /** Called with each execution's result (`exportExecutions`). */
  onResult?: RunExportOptions['onResult'];
  /** `--since-last-run`: executions to check again, part of the job (`ExportRequest.recheck`). */
  recheck?: string[];
}

/**
 * One export run as the CLI performs it: checks the request, opens the source (`openSource`: the
 * Lambda client under one rate limiter, the history or the state source) and the S3 or local sink,
 * probes that the sink can be written (`sink.probeTimeoutMs`), takes the job's lease (another run
 * of the job holding it stops this one before anything is read), and runs the pipeline. `signal`
 * stops every step, the probe and the lease included; an abort during the pipeline rejects with
 * `ExportInterrupted`, which carries the summary so far.
 */
export async function runExportJob(given: Config, options: ExportJobOptions = {}): Promise<ExportSummary> {
  refuseTargets(given, 'runExportJob');
  // `--all-functions`: the functions discovery finds are the request's.
  const { config } = await selectFunctions(given, options);
  const request = {
    ...exportRequestOf(config, {
      stateTargetsGiven: options.stateTargets !== undefined,
      stateInputName: options.stateInputName,
    }),
    recheck: options.recheck,
  };
  // Checked before any request: redaction (and its key) and the S3 encryption/owner settings.
  const redaction = Redaction.of(config.redaction, process.env);
  assertS3WriteSecurity(config.s3 ?? {});
  const location = parseOutputLocation(request.out);
  const { source, limiter, connection, close } = await openSource(config, request, options);
  options.onStart?.();
  const lake = openLake(location, { ...connection, partSizeBytes: config.sink.partSizeBytes });
  // A target of several (its Region and account) is part of the job: `connection.lambdaTarget`.
  const definition = jobDefinitionOf(request, source.name, config.redaction, connection.lambdaTarget);
  const jobId = jobIdOf(definition);
  const runId = options.runId ?? newRunId(jobId);
  let lease: JobLease | undefined;
  try {
    await prepareLakeForWrites(lake, config.s3 ?? {}, runId, {
      timeoutMs: config.sink.probeTimeoutMs,
      signal: options.signal,
    });
    // A lost lease (another run took it over) stops this run like a signal.
    const leaseLost = new AbortController();
    lease = await JobLease.acquire({
      objects: lake.conditional,
      prefix: lake.prefix,
      jobId,
      runId,
      durationMs: config.sink.leaseDurationMs,
      signal: options.signal,
      onLost: (error) => leaseLost.abort(error),
    });
    const signal = options.signal ? AbortSignal.any([options.signal, leaseLost.signal]) : leaseLost.signal;
    // Resumes the job if an earlier run of it stopped (docs/RELIABILITY.md).
    const committer = await openCommitter({
      lake,
      definition,
      runId,
      batchExecutions: config.sink.batchExecutions,
      batchRows: Math.min(config.sink.batchRows, config.sink.maxFileRows),
      rowGroupRows: config.sink.rowGroupRows,
      spoolDirectory: config.sink.spoolDirectory,
    });
    return await runExport({
      source,
      sink: committer,
      redaction,
      tables: request.tables,
      runId,
      requests: limiter.stats,
      onProgress: options.onProgress,
      onResult: options.onResult,
      stopTakingNewAt: options.stopTakingNewAt,
      signal,
      // Executions another run already exported in the same final status are skipped unread.
      exportedBy: config.export?.forceReexport ? undefined : committer.exportedBy.bind(committer),
    });
  } finally {
    await lease?.release();
    await close();
    lake.close();
  }
}
