import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Schedule, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { partialConfigSchema } from '../src/config/config-schema.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import type { DurableExportProps } from './durable-export-props.js';
import {
  assumeRoleStatements,
  discoveryStatements,
  durableReadStatements,
  keyPrefix,
  kmsStatement,
  lakeStatements,
} from './export-permissions.js';
import { assumedRoleArns, checkedTargets, ownReadRegions } from './export-targets.js';
import { alarmAboveZero, DEFAULT_CODE_DIRECTORY, exporterFunction } from './exporter-function.js';
import { FleetExport } from './fleet-export.js';
import { fleetMaxConcurrency } from './fleet-state-machine.js';
import { functionScopeOf } from './function-scope.js';
import { GlueCatalog } from './glue-catalog.js';
import { handlerEnvironment, shippedRateLimits } from './handler-environment.js';
import { StatusChangeQueue } from './status-change-queue.js';

export type { DurableExportProps, EventDrivenOptions, FleetOptions } from './durable-export-props.js';
export { DEFAULT_CODE_DIRECTORY, HANDLER_MEMORY_MB } from './exporter-function.js';

const SCHEDULED_TIMEOUT = Duration.minutes(15);
const PLAN_TIMEOUT = Duration.minutes(15);
const EVENTS_TIMEOUT = Duration.minutes(5);
const WORK_ITEM_TIMEOUT = Duration.minutes(15);
const DEFAULT_EVENTS_CONCURRENCY = 5;

/**
 * durable-export on AWS: the Lambda function(s) with one least-privilege role, a Scheduler
 * schedule and/or the event-driven path (rule, queue, dead-letter queue, event source mapping)
 * and/or the fleet state machine, the Glue catalog when asked, and alarms on the dead-letter queue
 * and on handler errors.
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
  readonly planFunction?: LambdaFunction;
  readonly workItemFunction?: LambdaFunction;
  readonly statusChanges?: StatusChangeQueue;
  readonly fleet?: FleetExport;
  readonly catalog?: GlueCatalog;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: DurableExportProps) {
    super(scope, id);
    if (!props.schedule && !props.eventDriven && !props.fleet) {
      throw new Error(
        'DurableExport needs a schedule, eventDriven or fleet: otherwise nothing runs an export',
      );
    }
    const prefix = checkedPrefix(props.prefix);
    const under = keyPrefix(prefix);
    const out = `s3://${props.bucket.bucketName}${prefix === '' ? '' : `/${prefix}`}`;
    const targets = checkedTargets(props);
    const functions = functionScopeOf(this, props, ownReadRegions(targets));
    if (props.eventDriven && props.functionTags?.length) {
      throw new Error(
        'DurableExport eventDriven cannot honour functionTags: the status-change rule matches function ARNs, not tags (use functionPrefix)',
      );
    }
    checkedStartedAfter(props.startedAfter);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'durable-export: read durable executions of the exported functions, write the lake',
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    for (const statement of durableReadStatements(functions)) this.role.addToPrincipalPolicy(statement);
    for (const statement of discoveryStatements(functions)) this.role.addToPrincipalPolicy(statement);
    for (const statement of lakeStatements(props.bucket, prefix)) this.role.addToPrincipalPolicy(statement);
    if (props.kmsKey) this.role.addToPrincipalPolicy(kmsStatement(props.kmsKey));
    for (const statement of assumeRoleStatements(assumedRoleArns(targets))) {
      this.role.addToPrincipalPolicy(statement);
    }
    const codeDirectory = props.codeDirectory ?? DEFAULT_CODE_DIRECTORY;
    // Only the scheduled and plan functions choose functions and targets; work items and messages name them.
    const environment = { out, kmsKeyArn: props.kmsKey?.keyArn };
    const choosing = {
      ...environment,
      selection: functions.selection,
      startedAfter: props.startedAfter,
      targets,
    };
    const quota = shippedRateLimits();
    const exporter = (fnId: string, handler: string, timeout: Duration, env: Record<string, string>) => {
      const made = exporterFunction(this, fnId, {
        handler,
        codeDirectory,
        timeout,
        role: this.role,
        environment: env,
      });
      this.alarms.push(made.errorsAlarm);
      return made.fn;
    };

    if (props.schedule && !props.fleet) {
      const fn = exporter('Scheduled', 'scheduled-handler', SCHEDULED_TIMEOUT, handlerEnvironment(choosing));
      new Schedule(this, 'Schedule', {
        schedule: props.schedule,
        description: 'durable-export: scheduled export',
        target: new LambdaInvoke(fn),
      });
      this.scheduledFunction = fn;
    }

    if (props.eventDriven) {
      const options = props.eventDriven === true ? {} : props.eventDriven;
      const maxConcurrency = options.maxConcurrency ?? DEFAULT_EVENTS_CONCURRENCY;
      // Up to maxConcurrency instances share the Region's quota of each API: each takes its share.
      const fn = exporter(
        'Events',
        'events-handler',
        EVENTS_TIMEOUT,
        handlerEnvironment({ ...environment, concurrentExporters: maxConcurrency }),
      );
      const statusChanges = new StatusChangeQueue(this, 'StatusChanges', {
        functionArns: functions.functionArns,
        functionArnPrefix: functions.functionArnPrefix,
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

    if (props.fleet) {
      const options = props.fleet === true ? {} : props.fleet;
      const maxConcurrency = options.maxConcurrency ?? fleetMaxConcurrency(quota);
      const fn = exporter(
        'WorkItems',
        'work-item-handler',
        WORK_ITEM_TIMEOUT,
        // The work items name the functions (and windows): none in the environment.
        handlerEnvironment({ ...environment, concurrentExporters: maxConcurrency }),
      );
      const plan = exporter('Plan', 'plan-handler', PLAN_TIMEOUT, handlerEnvironment(choosing));
      this.fleet = new FleetExport(this, 'Fleet', {
        planFunction: plan,
        workItemFunction: fn,
        bucket: props.bucket,
        planPrefix: `${under}_plans/`,
        resultsPrefix: `${under}_fleet-results`,
        maxConcurrency,
        maxItemsPerBatch: options.maxItemsPerBatch ?? 5,
        toleratedFailurePercentage: options.toleratedFailurePercentage ?? 5,
      });
      this.planFunction = plan;
      this.workItemFunction = fn;
      if (props.schedule) {
        // The scheduled plan: one item per function, its window from its watermark (plan-handler.ts).
        new Schedule(this, 'Schedule', {
          schedule: props.schedule,
          description: 'durable-export: scheduled fleet export',
          target: new StepFunctionsStartExecution(this.fleet.stateMachine, {
            input: ScheduleTargetInput.fromObject({ sinceLastRun: true }),
          }),
        });
      }
    }

    if (props.database) {
      this.catalog = new GlueCatalog(this, 'Catalog', {
        lake: { bucket: props.bucket.bucketName, prefix },
        database: props.database,
        tablePrefix: props.tablePrefix,
      });
    }
  }
}

/** `startedAfter` as `export.startedAfter` takes it (the config schema's format). */
function checkedStartedAfter(startedAfter: string | undefined): void {
  const checked = partialConfigSchema.safeParse({ export: { startedAfter } });
  if (!checked.success) {
    throw new Error(
      `invalid DurableExport startedAfter ${JSON.stringify(startedAfter)}: ${checked.error.issues[0]?.message}`,
    );
  }
}

/** The prefix as `--out s3://BUCKET/PREFIX` accepts it (the same rules), without trailing `/`. */
function checkedPrefix(prefix: string): string {
  const location = parseOutputLocation(`s3://bucket-for-checking/${prefix}`);
  if (location.kind !== 's3') throw new Error('unreachable: an s3:// location');
  return location.prefix;
}
