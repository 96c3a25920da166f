import { type AwsConnection, clientOptionsOf } from './aws/aws-connection.js';
import { createLambdaClient } from './aws/lambda-client.js';
import { RateLimiter } from './aws/rate-limiter.js';
import { jobDefinitionOf } from './commit/job-id.js';
import { openCommitter } from './commit/open-committer.js';
import type { Config } from './config/config-schema.js';
import { exportRequestOf } from './config/export-request.js';
import { openLake } from './lake/open-lake.js';
import { type ExportSummary, type ProgressListener, runExport } from './pipeline/run-export.js';
import { parseOutputLocation } from './sink/output-location.js';
import { prepareLakeForWrites } from './sink/prepare-lake.js';
import { withRedaction } from './sink/redacting-sink.js';
import { assertS3WriteSecurity } from './sink/s3-request-defaults.js';
import { historySource } from './source/history-source.js';
import type { StateTarget } from './source/read-state.js';
import { openStateJobInput } from './source/state-job-input.js';
import { stateSource } from './source/state-source.js';
import { Redaction } from './transform/redaction.js';

/** The connection (`region`, `endpointUrlLambda`, `endpointUrlS3`, `credentials`) reaches Lambda and S3. */
export interface ExportJobOptions extends AwsConnection {
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Run id naming this run's manifest (`_manifests/<runId>.json`); default: UTC time, job id, random hex. */
  runId?: string;
  /** State source: the executions and tokens to read, given in code instead of `export.manifest`. */
  stateTargets?: Iterable<StateTarget>;
  /** Names `stateTargets` in the job identity (as a manifest's location does), so a re-run resumes. */
  stateInputName?: string;
}

/**
 * One export run as the CLI performs it: checks the request, builds the Lambda client under one
 * rate limiter, the history source (or the state source, `export.source` "state"), the S3 or local
 * sink, and runs the pipeline.
 */
export async function runExportJob(config: Config, options: ExportJobOptions = {}): Promise<ExportSummary> {
  const request = exportRequestOf(config, {
    stateTargetsGiven: options.stateTargets !== undefined,
    ...(options.stateInputName ? { stateInputName: options.stateInputName } : {}),
  });
  // Checked before any request: redaction (and its key) and the S3 encryption/owner settings.
  const redaction = Redaction.of(config.redaction, process.env);
  assertS3WriteSecurity(config.s3 ?? {});
  const location = parseOutputLocation(request.out);
  const stateInput =
    request.source === 'state'
      ? await openStateJobInput({ ...options, manifest: request.manifest, targets: options.stateTargets })
      : undefined;
  const limiter = new RateLimiter(config.lambda);
  const client = createLambdaClient({
    ...config.lambda,
    ...clientOptionsOf(options, 'lambda'),
    limiter,
  });
  const lake = openLake(location, { ...options, partSizeBytes: config.sink.partSizeBytes });
  const source = stateInput
    ? stateSource({
        client,
        ...stateInput,
        pageSize: config.lambda.pageSize,
        executionsInFlight: config.lambda.executionsInFlight,
        markerRestartLimit: config.lambda.markerRestartLimit,
      })
    : historySource({
        client,
        functions: request.functions,
        ...(request.startedAfter ? { startedAfter: request.startedAfter } : {}),
        ...(request.startedBefore ? { startedBefore: request.startedBefore } : {}),
        statuses: request.statuses,
        pageSize: config.lambda.pageSize,
        executionsInFlight: config.lambda.executionsInFlight,
        markerRestartLimit: config.lambda.markerRestartLimit,
      });
  try {
    await prepareLakeForWrites(lake, config.s3 ?? {}, options.runId ?? 'run');
    // Resumes the job if an earlier run of it stopped (docs/RELIABILITY.md).
    const committer = await openCommitter({
      lake,
      definition: jobDefinitionOf(request, source.name, config.redaction),
      ...(options.runId ? { runId: options.runId } : {}),
      batchExecutions: config.sink.batchExecutions,
      batchRows: Math.min(config.sink.batchRows, config.sink.maxFileRows),
      rowGroupRows: config.sink.rowGroupRows,
    });
    const sink = withRedaction(committer, redaction);
    return await runExport({
      source,
      sink,
      requests: limiter.stats,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await limiter.stop();
    client.destroy();
    lake.close();
    stateInput?.close();
  }
}
