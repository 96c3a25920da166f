import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, type ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { durableReadStatement, functionArns, kmsStatement, lakeStatements } from './export-permissions.js';
import { GlueCatalog } from './glue-catalog.js';
import { handlerEnvironment, ratesPerInstance, shippedRateLimits } from './handler-environment.js';
import { StatusChangeQueue } from './status-change-queue.js';

export interface DurableExportProps {
  /** Durable functions to export: names (in this stack's account and Region) or ARNs. */
  readonly functions: readonly string[];
  /** The lake's bucket (`Bucket.fromBucketName` for an existing one). */
  readonly bucket: IBucket;
  /** Key prefix of the lake in the bucket, without leading or trailing `/` (may be empty). */
  readonly prefix: string;
  /** Run the scheduled export on this schedule (EventBridge Scheduler); default: no schedule. */
  readonly schedule?: ScheduleExpression;
  /** Export each execution when it ends (EventBridge rule, SQS, events function); default: off. */
  readonly eventDriven?: boolean | EventDrivenOptions;
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

/** `dist/lambda` next to this package's `deploy/`. */
export const DEFAULT_CODE_DIRECTORY = join(import.meta.dirname, '..', 'dist', 'lambda');

/**
 * Memory of the exporter functions. docs/PERFORMANCE.md measured the export's peak RSS at 350 MiB
 * for 4,000 executions (bounded by one commit batch) and the Parquet encoder's at about 430 MiB
 * with the default 50,000-row group; 1,024 MB leaves about 2x headroom, and Lambda's CPU share
 * grows with memory (the encoder is CPU-bound).
 */
export const HANDLER_MEMORY_MB = 1024;

const SCHEDULED_TIMEOUT = Duration.minutes(15);
const EVENTS_TIMEOUT = Duration.minutes(5);
const DEFAULT_MAX_CONCURRENCY = 5;

/**
 * durable-export on AWS: the Lambda function(s) with one least-privilege role, a Scheduler
 * schedule and/or the event-driven path (rule, queue, dead-letter queue, event source mapping),
 * the Glue catalog when asked, and alarms on the dead-letter queue and on handler errors.
 *
 * @example
 * new DurableExport(this, 'Export', {
 *   functions: ['orders'],
 *   bucket: Bucket.fromBucketName(this, 'Lake', 'my-lake'),
 *   prefix: 'durable',
 *   schedule: ScheduleExpression.rate(Duration.hours(1)),
 *   eventDriven: true,
 * });
 */
export class DurableExport extends Construct {
  readonly role: Role;
  readonly scheduledFunction?: LambdaFunction;
  readonly eventsFunction?: LambdaFunction;
  readonly statusChanges?: StatusChangeQueue;
  readonly catalog?: GlueCatalog;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: DurableExportProps) {
    super(scope, id);
    if (!props.schedule && !props.eventDriven) {
      throw new Error(
        'DurableExport needs a schedule, eventDriven, or both: otherwise nothing runs an export',
      );
    }
    const prefix = checkedPrefix(props.prefix);
    const out = `s3://${props.bucket.bucketName}${prefix === '' ? '' : `/${prefix}`}`;
    const arns = functionArns(this, props.functions);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'durable-export: read durable executions of the named functions, write the lake',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    this.role.addToPrincipalPolicy(durableReadStatement(arns));
    for (const statement of lakeStatements(props.bucket, prefix)) this.role.addToPrincipalPolicy(statement);
    if (props.kmsKey) this.role.addToPrincipalPolicy(kmsStatement(props.kmsKey));
    const codeDirectory = props.codeDirectory ?? DEFAULT_CODE_DIRECTORY;
    const environment = { functions: props.functions, out, kmsKeyArn: props.kmsKey?.keyArn };

    if (props.schedule) {
      const fn = this.exporterFunction('Scheduled', 'scheduled-handler', codeDirectory, SCHEDULED_TIMEOUT);
      for (const [name, value] of Object.entries(handlerEnvironment(environment)))
        fn.addEnvironment(name, value);
      new Schedule(this, 'Schedule', {
        schedule: props.schedule,
        description: 'durable-export: scheduled export',
        target: new LambdaInvoke(fn),
      });
      this.scheduledFunction = fn;
    }

    if (props.eventDriven) {
      const options = props.eventDriven === true ? {} : props.eventDriven;
      const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
      const fn = this.exporterFunction('Events', 'events-handler', codeDirectory, EVENTS_TIMEOUT);
      // Up to maxConcurrency instances share the Region's quota of each API.
      const rateLimits = ratesPerInstance(shippedRateLimits(), maxConcurrency);
      for (const [name, value] of Object.entries(handlerEnvironment({ ...environment, rateLimits }))) {
        fn.addEnvironment(name, value);
      }
      const statusChanges = new StatusChangeQueue(this, 'StatusChanges', {
        functionArns: arns,
        consumerTimeout: EVENTS_TIMEOUT,
        maxReceiveCount: options.maxReceiveCount,
      });
      fn.addEventSource(
        new SqsEventSource(statusChanges.queue, {
          batchSize: 10,
          maxBatchingWindow: Duration.seconds(30),
          maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      this.alarms.push(
        alarmAboveZero(
          this,
          'DeadLetterAlarm',
          'Status-change messages the events function could not export',
          statusChanges.deadLetterQueue.metricApproximateNumberOfMessagesVisible(),
        ),
      );
      this.statusChanges = statusChanges;
      this.eventsFunction = fn;
    }

    if (props.database) {
      this.catalog = new GlueCatalog(this, 'Catalog', {
        lake: { bucket: props.bucket.bucketName, prefix },
        database: props.database,
        tablePrefix: props.tablePrefix,
      });
    }
  }

  private exporterFunction(id: string, handler: string, codeDirectory: string, timeout: Duration) {
    const fn = new LambdaFunction(this, id, {
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(join(codeDirectory, handler)),
      memorySize: HANDLER_MEMORY_MB,
      timeout,
      role: this.role,
      description: `durable-export ${handler}`,
    });
    this.alarms.push(
      alarmAboveZero(this, `${id}ErrorsAlarm`, `${handler} invocations failed`, fn.metricErrors()),
    );
    return fn;
  }
}

function alarmAboveZero(scope: Construct, id: string, description: string, metric: IMetric): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `durable-export: ${description}`,
    metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** The prefix as `--out s3://BUCKET/PREFIX` accepts it (the same rules), without trailing `/`. */
function checkedPrefix(prefix: string): string {
  const location = parseOutputLocation(`s3://bucket-for-checking/${prefix}`);
  if (location.kind !== 's3') throw new Error('unreachable: an s3:// location');
  return location.prefix;
}
