import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { ExportTarget } from '../src/config/target-schema.js';
import type { FunctionSelectionProps } from './function-scope.js';

/** What a `DurableExport` (deploy/durable-export-construct.ts) deploys, and where it writes. */

/**
 * Exactly one of `functions` (names or ARNs) and `allFunctions` (discovery in this stack's account
 * and Region, or in each of `targets`, narrowed by `functionPrefix` and `functionTags`):
 * `FunctionSelectionProps`.
 */
export interface DurableExportProps extends FunctionSelectionProps {
  /** The lake's bucket (`Bucket.fromBucketName` for an existing one). */
  readonly bucket: IBucket;
  /** Key prefix of the lake in the bucket, without leading or trailing `/` (may be empty). */
  readonly prefix: string;
  /**
   * Run the scheduled export on this schedule (EventBridge Scheduler); default: no schedule. With
   * `fleet`, the schedule starts the fleet state machine (a `--since-last-run` plan) instead of the
   * scheduled function.
   */
  readonly schedule?: ScheduleExpression;
  /**
   * Where the first scheduled run of a function with no watermark yet starts (`export.startedAfter`,
   * an ISO-8601 date or date-time with a zone); later runs start at the watermark. Without it, a
   * function's first scheduled run fails asking for it.
   */
  readonly startedAfter?: string;
  /**
   * Read these accounts and Regions instead of the stack's (`export.targets`, checked by the same
   * schema): each `{ region, roleArn?, externalId? }`, one after the other into the same lake. A
   * target without a role is read with the exporter role in this account; with a role, the role
   * is assumed (`sts:AssumeRole` on exactly these ARNs). Runs with `schedule` (the scheduled
   * function) or with `fleet` without schedule (backfills started by hand); refused with
   * `eventDriven` and with `fleet` and `schedule` together.
   */
  readonly targets?: readonly ExportTarget[];
  /** Export each execution when it ends (EventBridge rule, SQS, events function); default: off. */
  readonly eventDriven?: boolean | EventDrivenOptions;
  /** Run plans of work items with a Step Functions Distributed Map (issue #15); default: off. */
  readonly fleet?: boolean | FleetOptions;
  /** Write every object with SSE-KMS under this key; the role may use it only then. */
  readonly kmsKey?: IKey;
  /** Create this Glue database with the lake's tables and latest views; default: no catalog. */
  readonly database?: string;
  /** Prepended to the catalog table names (with `database`). */
  readonly tablePrefix?: string;
  /**
   * The bundled handlers: `<dir>/<handler>/index.mjs`, as `npm run bundle` writes them
   * (scripts/bundle-lambda.ts). Default: `dist/lambda` of this package.
   */
  readonly codeDirectory?: string;
}

export interface EventDrivenOptions {
  /** Events-function instances at once (the event source mapping's maximum concurrency, 2-1000; default 5). */
  readonly maxConcurrency?: number;
  /** Receives of a message before it goes to the dead-letter queue (default 5). */
  readonly maxReceiveCount?: number;
}

export interface FleetOptions {
  /** Work-item batches at once (default from the quotas: `fleetMaxConcurrency`). */
  readonly maxConcurrency?: number;
  /** Work items per invocation of the work-item handler (default 5). */
  readonly maxItemsPerBatch?: number;
  /** Share of failed work items (0-100) after which the run fails instead of committing (default 5). */
  readonly toleratedFailurePercentage?: number;
}
