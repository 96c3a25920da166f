import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import type { DurableExportProps } from './durable-export-construct.js';

/**
 * The deploy app's settings, from CDK context: `-c functions=orders,payments -c bucket=my-lake`
 * on the command line, or `context` in deploy/cdk.json. (Not from `DURABLE_EXPORT_*` variables:
 * the CLI refuses unknown ones, and these are not its configuration.)
 *
 * | context         | meaning                                                          | default        |
 * | --------------- | ---------------------------------------------------------------- | -------------- |
 * | `functions`     | function names or ARNs, comma-separated                          | or allFunctions |
 * | `allFunctions`  | `true`: every durable function of the account and Region         | off            |
 * | `functionPrefix`| with allFunctions: only names starting with this                 | none           |
 * | `functionTags`  | with allFunctions: `KEY=VALUE` tags every function must have, comma-separated | none |
 * | `startedAfter`  | where a function's first scheduled run starts (ISO-8601)         | none           |
 * | `targets`       | JSON array of `{region, roleArn?, externalId?}` (`export.targets`) | the stack's    |
 * | `bucket`        | the lake's existing bucket                                       | required       |
 * | `prefix`        | key prefix in the bucket                                         | `durable`      |
 * | `schedule`      | Scheduler expression (`rate(1 hour)`, `cron(...)`), or `off`     | `rate(1 hour)` |
 * | `eventDriven`   | `true`, or the events function's maximum concurrency (2-1000)    | off            |
 * | `fleet`         | `true`: the Step Functions state machine that runs plans         | off            |
 * | `kmsKeyArn`     | SSE-KMS key for every object written                             | none           |
 * | `database`      | Glue database to create with the tables and views                | none           |
 * | `codeDirectory` | the bundled handlers (`npm run bundle`)                          | `dist/lambda`  |
 * | `stackName`     | the CloudFormation stack (read by deploy/app.ts)                 | `DurableExport` |
 */

type Setting =
  | 'functions'
  | 'allFunctions'
  | 'functionPrefix'
  | 'functionTags'
  | 'startedAfter'
  | 'targets'
  | 'bucket'
  | 'prefix'
  | 'schedule'
  | 'eventDriven'
  | 'fleet'
  | 'kmsKeyArn'
  | 'database'
  | 'codeDirectory';

/** The props of the app's `DurableExport`, read from `scope`'s context. */
export function exportPropsFromContext(scope: Construct): DurableExportProps {
  const setting = (name: Setting): string | undefined => {
    const value: unknown = scope.node.tryGetContext(name);
    if (value === undefined || value === '') return undefined;
    return Array.isArray(value) ? value.join(',') : String(value);
  };
  const required = (name: Setting): string => {
    const value = setting(name);
    if (value === undefined)
      throw new Error(`the deploy app needs -c ${name}=... (or "${name}" in cdk.json context)`);
    return value;
  };
  const list = (name: Setting) =>
    setting(name)
      ?.split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
  const allFunctions = setting('allFunctions') === 'true';
  if (!allFunctions) required('functions');
  const schedule = setting('schedule') ?? 'rate(1 hour)';
  const kmsKeyArn = setting('kmsKeyArn');
  return {
    functions: list('functions'),
    allFunctions,
    functionPrefix: setting('functionPrefix'),
    functionTags: list('functionTags'),
    startedAfter: setting('startedAfter'),
    targets: targetsOf(scope.node.tryGetContext('targets')),
    bucket: Bucket.fromBucketName(scope, 'LakeBucket', required('bucket')),
    prefix: setting('prefix') ?? 'durable',
    schedule: schedule === 'off' ? undefined : ScheduleExpression.expression(schedule),
    eventDriven: eventDrivenOf(setting('eventDriven')),
    fleet: setting('fleet') === 'true',
    kmsKey: kmsKeyArn === undefined ? undefined : Key.fromKeyArn(scope, 'LakeKey', kmsKeyArn),
    database: setting('database'),
    codeDirectory: setting('codeDirectory'),
  };
}

/**
 * `-c targets='[{"region":"eu-west-1"}]'` (a JSON string), or an array in cdk.json context, as
 * given: the construct checks each target with the config schema.
 */
function targetsOf(value: unknown): DurableExportProps['targets'] {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value as DurableExportProps['targets'];
  try {
    return JSON.parse(value);
  } catch (cause) {
    throw new Error(
      `invalid targets ${JSON.stringify(value)}: expected a JSON array of {"region", "roleArn"?, "externalId"?}`,
      { cause },
    );
  }
}

function eventDrivenOf(value: string | undefined): DurableExportProps['eventDriven'] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  const maxConcurrency = Number(value);
  if (!Number.isInteger(maxConcurrency)) {
    throw new Error(
      `invalid eventDriven ${JSON.stringify(value)}: expected true, false or the maximum concurrency`,
    );
  }
  return { maxConcurrency };
}
