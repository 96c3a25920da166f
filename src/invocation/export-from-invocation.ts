import { createHash } from 'node:crypto';
import { type AwsConnection, awsConnectionOf } from '../aws/aws-connection.js';
import type { PartialConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError } from '../errors.js';
import { type ExportJobOptions, runExportJob } from '../export-job.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { targetProblem } from '../source/token-manifest.js';
import { type InvocationExecutionState, initialStateFromInvocation } from './invocation-operations.js';

export interface ExportFromInvocationOptions
  extends AwsConnection,
    Pick<ExportJobOptions, 'runId' | 'signal'> {
  /** `event.DurableExecutionArn` of the invocation. */
  durableExecutionArn: string;
  /** `event.CheckpointToken`: valid until the execution's next checkpoint, so export before any. */
  checkpointToken: string;
  /**
   * `event.InitialExecutionState`, when present: its `Operations` (timestamps as ISO-8601 strings,
   * epoch milliseconds or `Date`s; anything else is a `ConfigError` naming the field) are
   * the first page and its `NextMarker` continues the read, which saves reading that page again.
   */
  initialExecutionState?: InvocationExecutionState;
  /** `s3://BUCKET/PREFIX` or a local directory, the same layout as the CLI writes. */
  out: string;
  /** Overrides of the shipped defaults (`lambda.*`, `sink.*`), as in a config file. */
  config?: Pick<PartialConfig, 'lambda' | 'sink'>;
  /** `DURABLE_EXPORT_*` variables override the defaults, as for the CLI; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Exports the execution an invocation belongs to, from inside the durable function: its replay view
 * through `GetDurableExecutionState` (the invocation's own checkpoint token, `MaxItems` 1000, the SDK
 * paginator), its summary through one `GetDurableExecution`, written as Parquet rows with
 * `source = 'state'` through the same rate limiter, sink and layout as `durable-export export`.
 *
 * The execution never fails the call: a rejected token, a KMS error or exhausted retries are reported
 * in `summary.failures`; a pruned replay view in `summary.contextsPruned` and
 * `summary.incompleteExecutions`. It throws only for bad options (`ConfigError`) or a sink that cannot
 * be written.
 *
 * @example
 * import { withDurableExecution } from '@aws/durable-execution-sdk-js';
 * import { exportFromInvocation } from 'durable-export';
 *
 * const durable = withDurableExecution(async (input, ctx) => { ... });
 * export const handler = async (event, context) => {
 *   await exportFromInvocation({
 *     durableExecutionArn: event.DurableExecutionArn,
 *     checkpointToken: event.CheckpointToken, // before the SDK checkpoints: each checkpoint replaces it
 *     initialExecutionState: event.InitialExecutionState,
 *     out: 's3://my-lake/durable',
 *   });
 *   return durable(event, context);
 * };
 */
export async function exportFromInvocation(options: ExportFromInvocationOptions): Promise<ExportSummary> {
  const problem = targetProblem(options.durableExecutionArn ?? '', options.checkpointToken ?? '');
  if (problem) {
    throw new ConfigError(`exportFromInvocation: ${problem}`, {
      executionArn: options.durableExecutionArn || undefined,
    });
  }
  const config = await loadConfig({
    env: options.env ?? process.env,
    flags: { ...options.config, export: { source: 'state', out: options.out } },
  });
  const initialState = options.initialExecutionState
    ? initialStateFromInvocation(options.initialExecutionState, options.durableExecutionArn)
    : undefined;
  return runExportJob(config, {
    ...awsConnectionOf(options),
    runId: options.runId,
    signal: options.signal,
    stateInputName: invocationInputName(options.durableExecutionArn, options.checkpointToken),
    stateTargets: [
      {
        executionArn: options.durableExecutionArn,
        checkpointToken: options.checkpointToken,
        initialState,
      },
    ],
  });
}

/**
 * The job identity of one invocation's export: the execution and a hash of its token (never the
 * token itself, which would end up in the job state). A retried invocation (same token) is the same
 * job and resumes it, committing each execution once; a later invocation (a new token after
 * checkpoints) is a new job and writes a new snapshot of the replay view.
 */
function invocationInputName(executionArn: string, checkpointToken: string): string {
  const tokenHash = createHash('sha256').update(checkpointToken).digest('hex').slice(0, 16);
  return `invocation:${executionArn}#${tokenHash}`;
}
