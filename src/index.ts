/**
 * durable-export as a library: the same stages the CLI wires together.
 *
 * @example
 * import { createLambdaClient, historySource, loadConfig, runExportJob } from 'durable-export';
 * const config = await loadConfig({ flags: { export: { functions: ['orders'], out: 's3://lake/durable' } } });
 * const summary = await runExportJob(config);
 */
export { DEFAULT_DATABASE, DEFAULT_PROJECTION_START } from './athena/catalog-names.js';
export { COOKBOOK, type CookbookQuery, cookbookQuery, cookbookSql } from './athena/cookbook.js';
export type { CookbookParam } from './athena/cookbook-params.js';
export { athenaDdl, createTableDdl } from './athena/create-table-ddl.js';
export { type GlueTableRequest, glueJson, glueTableInput } from './athena/glue-table-input.js';
export {
  type GlueTableOutcome,
  type RegisterGlueTablesOptions,
  registerGlueTables,
} from './athena/register-glue-tables.js';
export {
  type GlueViewOutcome,
  type RegisterGlueViewsOptions,
  registerGlueViews,
} from './athena/register-glue-views.js';
export {
  type TableDefinition,
  type TableDefinitionOptions,
  tableDefinition,
} from './athena/table-definition.js';
export type {
  AwsClientOptions,
  AwsConnection,
  AwsCredentials,
  AwsEndpointService,
  AwsService,
  LambdaTarget,
} from './aws/aws-connection.js';
export { type CreateGlueClientOptions, createGlueClient } from './aws/glue-client.js';
export { createLambdaClient, type LambdaClientOptions } from './aws/lambda-client.js';
export { RateLimiter, type RequestStats } from './aws/rate-limiter.js';
export { type CreateS3ClientOptions, createS3Client } from './aws/s3-client.js';
export { targetConnection } from './aws/target-connection.js';
export {
  type ExportIndex,
  type IndexEntry,
  type IndexWants,
  openExportIndex,
  TERMINAL_STATUSES,
} from './commit/export-index.js';
export {
  type CompactLakeOptions,
  type CompactSummary,
  compactLake,
  DEFAULT_TARGET_FILE_BYTES,
} from './compact/compact-lake.js';
export type { CompactContext, CompactedPartition, CompactStep } from './compact/compact-partition.js';
export type { Config, PartialConfig } from './config/config-schema.js';
export { type LoadConfigOptions, loadConfig } from './config/load-config.js';
export { type ExportTarget, exportTargetSchema } from './config/target-schema.js';
export { ConfigError, type ErrorContext, ExportError, type Stage } from './errors.js';
export { type ExportJobOptions, runExportJob } from './export-job.js';
export { type IncrementalExportOptions, runIncrementalExport } from './incremental/incremental-export.js';
export {
  type ExportFromInvocationOptions,
  exportFromInvocation,
} from './invocation/export-from-invocation.js';
export type {
  InvocationExecutionState,
  InvocationOperation,
} from './invocation/invocation-operations.js';
export { type Lake, type OpenLakeOptions, openLake } from './lake/open-lake.js';
export {
  type EventsHandlerOptions,
  eventsHandler,
  type LambdaContextLike,
  type SqsBatchResponse,
} from './lambda/events-handler.js';
export { ExportInterrupted } from './pipeline/export-interrupted.js';
export { type ParquetSinkOptions, parquetSink } from './pipeline/parquet-sink.js';
export { partitionedRowSink } from './pipeline/partitioned-row-sink.js';
export type { CommitSummary, RowSink, WrittenFile } from './pipeline/row-sink.js';
export {
  type ExecutionResult,
  type ExportFailure,
  type ExportSummary,
  exportExecutions,
  type IncrementalCounts,
  type ProgressListener,
  type RunExportOptions,
  runExport,
} from './pipeline/run-export.js';
export type { WorkItemRun, WorkItemsSummary } from './plan/combine-summaries.js';
export {
  type PlanSinceLastRunOptions,
  planSinceLastRun,
  type SinceLastRunPlan,
} from './plan/plan-since-last-run.js';
export { type PlanWorkOptions, planWork, type WorkPlan } from './plan/plan-work.js';
export { readWorkItems, type SelectedWorkItems, type WorkItemSelection } from './plan/read-work-items.js';
export { type RunWorkItemsOptions, runWorkItems } from './plan/run-work-items.js';
export { sliceWindow, type TimeSlice } from './plan/slice-window.js';
export { parseWorkItems, type WorkItem, workItemLine } from './plan/work-item.js';
export { planText, writePlan } from './plan/write-plan.js';
export {
  type FormatOptions,
  formatQueryResult,
  type QueryFormatter,
  type QueryOutputFormat,
  queryFormatter,
} from './query/format-query-result.js';
export {
  type LakeSession,
  type OpenLakeSessionOptions,
  openLakeSession,
  rowObjects,
} from './query/lake-session.js';
export { queryLake, withLakeQuery } from './query/query-lake.js';
export type { QueryColumn, QueryPage, QueryResult, QueryStream } from './query/query-stream.js';
export { type ShimMacro, TRINO_SHIM } from './query/trino-shim.js';
export { writeQueryResult } from './query/write-query-result.js';
export * from './schema/index.js';
export { LocalObjectStore } from './sink/local-object-store.js';
export type { ObjectSink, ObjectStore } from './sink/object-sink.js';
export { type OutputLocation, parseOutputLocation } from './sink/output-location.js';
export { PartitionedSink, type PartitionedSinkOptions } from './sink/partitioned-sink.js';
export { S3ObjectStore } from './sink/s3-object-store.js';
export {
  type DiscoveredFunction,
  discoverDurableFunctions,
  selectFunctions,
} from './source/discover-functions.js';
export type {
  ExecutionOutcome,
  ExecutionSource,
  ExecutionSummary,
  ExportedExecution,
  FailedExecution,
} from './source/execution-source.js';
export { type FoldedExecution, foldHistory } from './source/fold-history.js';
export {
  type GivenExecutionsSourceOptions,
  givenExecutionsSource,
} from './source/given-executions-source.js';
export { type HistorySourceOptions, historySource } from './source/history-source.js';
export { prunedContexts } from './source/pruned-contexts.js';
export { type InitialState, readState, type StateTarget } from './source/read-state.js';
export { type InvalidInputLine, type StateSourceOptions, stateSource } from './source/state-source.js';
export { parseManifestLines } from './source/token-manifest.js';
export { planTargets, type TargetPlan } from './targets/plan-targets.js';
export { forEachTarget, runTargets, type TargetJob } from './targets/run-targets.js';
export { readTargetsFile, targetsOfCommand, targetsOfFlags, withTargets } from './targets/target-list.js';
export type { TargetPlace, TargetRun, TargetsSummary } from './targets/targets-summary.js';
export { type VerifyLakeOptions, verifyLake } from './verify/verify-lake.js';
export type { VerifyProblem, VerifyReport } from './verify/verify-types.js';
