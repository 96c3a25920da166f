import { awsConnectionOf } from './aws/aws-connection.js';
import { jobDefinitionOf } from './commit/job-id.js';
import { openCommitter } from './commit/open-committer.js';
import type { Config } from './config/config-schema.js';
import { exportRequestOf } from './config/export-request.js';
import { openLake } from './lake/open-lake.js';
import { type ExportSummary, type ProgressListener, runExport } from './pipeline/run-export.js';
import { parseOutputLocation } from './sink/output-location.js';
import { prepareLakeForWrites } from './sink/prepare-lake.js';
import { assertS3WriteSecurity } from './sink/s3-request-defaults.js';
import { type OpenSourceOptions, openSource } from './source/open-source.js';
import { Redaction } from './transform/redaction.js';

/**
 * The connection (`region`, `endpointUrlLambda`, `endpointUrlS3`, `credentials`) reaches Lambda and
 * S3; `stateTargets` give the state source's executions in code.
 */
export interface ExportJobOptions extends OpenSourceOptions {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Run id naming this run's manifest (`_manifests/<runId>.json`); default: UTC time, job id, random hex. */
  runId?: string;
  /** Names `stateTargets` in the job identity (as a manifest's location does), so a re-run resumes. */
  stateInputName?: string;
}

/**
 * One export run as the CLI performs it: checks the request, opens the source (`openSource`: the
 * Lambda client under one rate limiter, the history or the state source) and the S3 or local sink,
 * and runs the pipeline.
 */
export async function runExportJob(config: Config, options: ExportJobOptions = {}): Promise<ExportSummary> {
  const request = exportRequestOf(config, {
    stateTargetsGiven: options.stateTargets !== undefined,
    stateInputName: options.stateInputName,
  });
  // Checked before any request: redaction (and its key) and the S3 encryption/owner settings.
  const redaction = Redaction.of(config.redaction, process.env);
  assertS3WriteSecurity(config.s3 ?? {});
  const location = parseOutputLocation(request.out);
  const { source, limiter, close } = await openSource(config, request, options);
  const lake = openLake(location, { ...awsConnectionOf(options), partSizeBytes: config.sink.partSizeBytes });
  try {
    await prepareLakeForWrites(lake, config.s3 ?? {}, options.runId ?? 'run');
    // Resumes the job if an earlier run of it stopped (docs/RELIABILITY.md).
    const committer = await openCommitter({
      lake,
      definition: jobDefinitionOf(request, source.name, config.redaction),
      runId: options.runId,
      batchExecutions: config.sink.batchExecutions,
      batchRows: Math.min(config.sink.batchRows, config.sink.maxFileRows),
      rowGroupRows: config.sink.rowGroupRows,
    });
    return await runExport({
      source,
      sink: committer,
      redaction,
      tables: request.tables,
      requests: limiter.stats,
      onProgress: options.onProgress,
      signal: options.signal,
    });
  } finally {
    await close();
    lake.close();
  }
}
