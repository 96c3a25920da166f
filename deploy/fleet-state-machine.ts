import type { RateLimits } from './handler-environment.js';

/**
 * The Amazon States Language of the fleet export (issue #15): a Distributed Map that reads the plan
 * (JSON Lines of work items written by `durable-export plan`) from S3, hands the work items in
 * batches to the work-item Lambda handler, tolerates a share of failed items, writes the results
 * to S3. A plain function of its inputs, so that tests validate it with asl-validator.
 *
 * Input of an execution: `{ "planKey": "<key of the plan in the bucket>" }`. The work-item handler
 * (src/lambda/work-item-handler.ts) gets `{ Items: [<work item>...], BatchInput: { kind:
 * "work-items", planKey } }` per batch. There is no final commit step: each work item is its own
 * export job, which commits its own manifest (docs/RELIABILITY.md), so when the Map ends every
 * item that succeeded is committed, and a failed one is resumed by running the plan again.
 */

export interface FleetDefinitionOptions {
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

/** The batch handed to the work-item function as its whole payload. */
function invokeWorkItemHandler(functionArn: string) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: functionArn, 'Payload.$': '$' },
    OutputPath: '$.Payload',
    Retry: [LAMBDA_RETRY],
  };
}

export function fleetStateMachineDefinition(options: FleetDefinitionOptions): Record<string, unknown> {
  return {
    Comment: 'durable-export: run the work items of a plan, each item its own committed job',
    StartAt: 'ExportWorkItems',
    States: {
      ExportWorkItems: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { Bucket: options.bucket, 'Key.$': '$.planKey' },
        },
        ItemBatcher: {
          MaxItemsPerBatch: options.maxItemsPerBatch,
          BatchInput: { kind: 'work-items', 'planKey.$': '$.planKey' },
        },
        MaxConcurrency: options.maxConcurrency,
        ToleratedFailurePercentage: options.toleratedFailurePercentage,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'ExportBatch',
          States: { ExportBatch: { ...invokeWorkItemHandler(options.workItemFunctionArn), End: true } },
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
