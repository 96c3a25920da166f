/**
 * durable-export as a library: the same stages the CLI wires together.
 *
 * @example
 * import { createLambdaClient, historySource, loadConfig, runExportJob } from 'durable-export';
 * const config = await loadConfig({ flags: { export: { functions: ['orders'], out: 's3://lake/durable' } } });
 * const summary = await runExportJob(config);
 */
export type { Config, PartialConfig } from './config/config-schema.js';
export { type LoadConfigOptions, loadConfig } from './config/load-config.js';
export { ConfigError, type ErrorContext, ExportError, type Stage } from './errors.js';
export { type ExportJobOptions, runExportJob } from './export-job.js';
export type { RowSink, WrittenFile } from './pipeline/row-sink.js';
export {
  type ExportFailure,
  type ExportSummary,
  type ProgressListener,
  type RunExportOptions,
  runExport,
} from './pipeline/run-export.js';
export * from './schema/index.js';
export { LocalObjectStore } from './sink/local-object-store.js';
export type { ObjectSink, ObjectStore } from './sink/object-sink.js';
export { type OutputLocation, parseOutputLocation } from './sink/output-location.js';
export { PartitionedSink, type PartitionedSinkOptions } from './sink/partitioned-sink.js';
export { createS3Client } from './sink/s3-client.js';
export { S3ObjectStore } from './sink/s3-object-store.js';
export type {
  ExecutionOutcome,
  ExecutionSource,
  ExecutionSummary,
  ExportedExecution,
  FailedExecution,
} from './source/execution-source.js';
export { type FoldedExecution, foldHistory } from './source/fold-history.js';
export { type HistorySourceOptions, historySource } from './source/history-source.js';
export { createLambdaClient, type LambdaClientOptions } from './source/lambda-client.js';
export { RateLimiter, type RequestStats } from './source/rate-limiter.js';
