import { join } from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * One exporter Lambda function as every path deploys it (scheduled, events, work items): the
 * bundled handler `<codeDirectory>/<handler>/index.mjs`, Node.js 22 on arm64, the memory the
 * benchmarks call for, the exporter role, its `DURABLE_EXPORT_*` environment, and an alarm on its
 * errors.
 */

/** `dist/lambda` next to this package's `deploy/`, where `npm run bundle` writes the handlers. */
export const DEFAULT_CODE_DIRECTORY = join(import.meta.dirname, '..', 'dist', 'lambda');

/**
 * Memory of the exporter functions. docs/PERFORMANCE.md measured the export's peak RSS at about
 * 206 MiB at 100k rows and 253 MiB at 1M rows (heap growth fixed by `src/heap-growth.ts`, rows
 * buffered up to a 16 MiB row-group budget); 1,024 MB leaves about 4x headroom, and Lambda's CPU
 * share grows with memory (fold, transform and encoding run between the pages on one thread).
 */
export const HANDLER_MEMORY_MB = 1024;

export interface ExporterFunctionProps {
  /** The bundle's name: `scheduled-handler`, `events-handler`, `work-item-handler`. */
  readonly handler: string;
  readonly codeDirectory: string;
  readonly timeout: Duration;
  readonly role: IRole;
  readonly environment: Record<string, string>;
}

export interface ExporterFunction {
  readonly fn: LambdaFunction;
  readonly errorsAlarm: Alarm;
}

export function exporterFunction(
  scope: Construct,
  id: string,
  props: ExporterFunctionProps,
): ExporterFunction {
  const fn = new LambdaFunction(scope, id, {
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    handler: 'index.handler',
    code: Code.fromAsset(join(props.codeDirectory, props.handler)),
    memorySize: HANDLER_MEMORY_MB,
    timeout: props.timeout,
    role: props.role,
    environment: props.environment,
    description: `durable-export ${props.handler}`,
  });
  const errorsAlarm = alarmAboveZero(
    scope,
    `${id}ErrorsAlarm`,
    `${props.handler} invocations failed`,
    fn.metricErrors(),
  );
  return { fn, errorsAlarm };
}

/** An alarm as soon as `metric` is above zero in a period (missing data is no alarm). */
export function alarmAboveZero(scope: Construct, id: string, description: string, metric: IMetric): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `durable-export: ${description}`,
    metric,
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
