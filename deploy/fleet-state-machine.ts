import type { RateLimits } from './handler-environment.js';

/**
 * The Amazon States Language of the fleet export (issue #15): a Plan step (the plan Lambda handler,
 * src/lambda/plan-handler.ts) writes the plan of work items as JSON Lines to S3 and returns `{
 * bucket, key, items, sinceLastRun }`; a Choice ends the execution when the plan holds no item;
 * otherwise a Distributed Map reads the plan's key from the Plan's output (`ItemReader`), hands
 * the items in batches to the work-item Lambda handler, tolerates a share of failed items, and
 * writes the results to S3. A plain function of its inputs, so that tests validate it with
 * asl-validator. JSONPath throughout, as the Lambda tasks' `Payload` paths are.
 *
 * Input of an execution: `{ "sinceLastRun": true }` from the schedule (one item per function, its
 * window from its watermark), `{ "startedAfter": ..., "startedBefore": ... }` for a backfill
 * started by hand, or `{ "planKey": ... }` for a plan already written under `PREFIX/_plans/`. The Plan step gets `{ executionName, input }`; the work-item handler (src/lambda/work-item-handler.ts)
 * gets `{ Items: [<work item>...], BatchInput: { kind: "work-items", planKey, sinceLastRun } }` per
 * batch. There is no final step: each work item is its own export job, which commits its own
 * manifest (docs/RELIABILITY.md), and a scheduled item is an incremental export of its function
 * that advances that function's watermark after its manifest; so when the Map ends every item
 * that succeeded is committed and its watermark advanced, and a failed one is resumed by the next
 * run (its window stays pending).
 */

export interface FleetDefinitionOptions {
  /** The plan function's ARN (a CDK token is fine). */
  readonly planFunctionArn: string;
  /** The work-item function's ARN (a CDK token is fine). */
  readonly workItemFunctionArn: string;
  /** The bucket holding the plan and receiving the results. */
  readonly bucket: string;
  /** Key prefix of the map run's results (ResultWriter), without trailing `/`. */
  readonly resultsPrefix: string;
  readonly maxConcurrency: number;
  readonly maxItemsPerBatch: number;
  /** Share of failed work items (0-100) that still lets the run commit what succeeded. */
  readonly toleratedFailurePercentage: number;
}

/**
 * The Map's MaxConcurrency from the quotas. Every work item lists executions and reads their
 * histories, and nothing keeps the items in flight from all belonging to one account and Region,
 * whose quotas they then share: the cap is the smaller of the list and history quotas (15 requests
 * per second each by default) divided by the least rate an instance should get (default 1 request
 * per second): 15 / 1 = 15 instances, each then limited to quota / 15 (`lambda.concurrentExporters`, `rateShareOf`).
 */
export function fleetMaxConcurrency(quota: RateLimits, minimumRatePerInstance = 1): number {
  return Math.max(1, Math.floor(Math.min(quota.list, quota.history) / minimumRatePerInstance));
}

/** Lambda's transient invoke errors, retried with backoff (as the console's Lambda task template does). */
const LAMBDA_RETRY = {
  ErrorEquals: [
    'Lambda.ServiceException',
    'Lambda.AWSLambdaException',
    'Lambda.SdkClientException',
    'Lambda.TooManyRequestsException',
  ],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
  JitterStrategy: 'FULL',
};

/**
 * A Lambda task whose output is the function's result, retried on Lambda's transient errors;
 * `payload` is `{ 'Payload.$': path }` or `{ Payload: { ... } }`.
 */
function invokeLambda(functionArn: string, payload: Record<string, unknown>) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn, ...payload },
    OutputPath: '$.Payload',
    Retry: [LAMBDA_RETRY],
  };
}

export function fleetStateMachineDefinition(options: FleetDefinitionOptions): Record<string, unknown> {
  return {
    Comment: 'durable-export: plan the work items, then run them, each item its own committed job',
    StartAt: 'Plan',
    States: {
      Plan: {
        // The execution's name names the plan; its input says which plan (scheduled or a window).
        ...invokeLambda(options.planFunctionArn, {
          Payload: { 'executionName.$': '$$.Execution.Name', 'input.$': '$' },
        }),
        Next: 'AnyWorkItems',
      },
      AnyWorkItems: {
        Type: 'Choice',
        Choices: [{ Variable: '$.items', NumericEquals: 0, Next: 'NothingToExport' }],
        Default: 'ExportWorkItems',
      },
      NothingToExport: { Type: 'Succeed' },
      ExportWorkItems: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: options.bucket, 'Key.$': '$.key' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: options.maxItemsPerBatch,
          BatchInput: { kind: 'work-items', 'planKey.$': '$.key', 'sinceLastRun.$': '$.sinceLastRun' },
        },
        MaxConcurrency: options.maxConcurrency,
        ToleratedFailurePercentage: options.toleratedFailurePercentage,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'ExportBatch',
          States: {
            // The batch is the work-item function's whole payload.
            ExportBatch: { ...invokeLambda(options.workItemFunctionArn, { 'Payload.$': '$' }), End: true },
          },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: options.bucket, Prefix: options.resultsPrefix },
        },
        End: true,
      },
    },
  };
}
