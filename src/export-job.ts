import { randomBytes } from 'node:crypto';
import type { Config } from './config/config-schema.js';
import { exportRequestOf } from './config/export-request.js';
import { type ExportSummary, type ProgressListener, runExport } from './pipeline/run-export.js';
import { LocalObjectStore } from './sink/local-object-store.js';
import type { ObjectStore } from './sink/object-sink.js';
import { parseOutputLocation } from './sink/output-location.js';
import { PartitionedSink } from './sink/partitioned-sink.js';
import { createS3Client } from './sink/s3-client.js';
import { S3ObjectStore } from './sink/s3-object-store.js';
import { historySource } from './source/history-source.js';
import { createLambdaClient } from './source/lambda-client.js';
import { RateLimiter } from './source/rate-limiter.js';

export interface ExportJobOptions {
  region?: string;
  endpointUrlLambda?: string;
  endpointUrlS3?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Run id in file names; default: UTC time plus random hex. */
  runId?: string;
}

/**
 * One export run as the CLI performs it: checks the request, builds the Lambda client under one
 * rate limiter, the history source, the S3 or local sink, and runs the pipeline.
 */
export async function runExportJob(config: Config, options: ExportJobOptions = {}): Promise<ExportSummary> {
  const request = exportRequestOf(config);
  const location = parseOutputLocation(request.out);
  const limiter = new RateLimiter(config.lambda);
  const client = createLambdaClient({
    ...config.lambda,
    limiter,
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrlLambda ? { endpoint: options.endpointUrlLambda } : {}),
  });
  let store: ObjectStore;
  let prefix = '';
  let destroyS3 = () => {};
  if (location.kind === 's3') {
    const s3 = createS3Client({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpointUrlS3 ? { endpoint: options.endpointUrlS3 } : {}),
    });
    destroyS3 = () => s3.destroy();
    store = new S3ObjectStore({
      client: s3,
      bucket: location.bucket,
      partSizeBytes: config.sink.partSizeBytes,
    });
    prefix = location.prefix;
  } else {
    store = new LocalObjectStore(location.dir);
  }
  const sink = new PartitionedSink({
    store,
    prefix,
    runId: options.runId ?? newRunId(),
    maxFileRows: config.sink.maxFileRows,
    maxOpenFiles: config.sink.maxOpenFiles,
    rowGroupRows: config.sink.rowGroupRows,
  });
  const source = historySource({
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
    destroyS3();
  }
}

function newRunId(): string {
  const time = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}-${randomBytes(3).toString('hex')}`;
}
