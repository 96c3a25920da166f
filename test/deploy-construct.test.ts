import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_MEMORY_MB } from '../deploy/durable-export-construct.js';
import { loadConfig } from '../src/config/load-config.js';
import {
  LAKE_STATEMENTS,
  logicalIdOf,
  partitionArn,
  policyStatements,
  type SynthesizedExport,
  standInCodeDirectory,
  synthesizeExport,
} from './support/deploy-stack.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const code = standInCodeDirectory();

/** Everything on: both paths, KMS and the Glue catalog. */
let full: SynthesizedExport;
/** The least: a schedule only, no key, no catalog. */
let minimal: SynthesizedExport;

beforeAll(() => {
  full = synthesizeExport(
    {
      functions: ['orders', 'arn:aws:lambda:eu-west-1:123456789012:function:payments:prod'],
      prefix: 'lake/durable',
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      eventDriven: { maxConcurrency: 4 },
      database: 'durable_export',
    },
    code,
  );
  minimal = synthesizeExport(
    {
      functions: ['orders'],
      prefix: 'durable',
      schedule: ScheduleExpression.expression('cron(0 * * * ? *)'),
    },
    code,
  );
});

const ordersArn = partitionArn(':lambda:eu-west-1:123456789012:function:orders');
const ordersAnyQualifier = partitionArn(':lambda:eu-west-1:123456789012:function:orders:*');

describe('DurableExport: the role', () => {
  it('allows exactly the three durable read APIs on the named functions and the lake under the prefix', () => {
    expect(policyStatements(minimal)).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'lambda:ListDurableExecutionsByFunction',
          'lambda:GetDurableExecutionHistory',
          'lambda:GetDurableExecution',
        ],
        Resource: [ordersArn, ordersAnyQualifier],
      },
      ...LAKE_STATEMENTS,
    ]);
  });

  it('names a function ARN as given, without its qualifier, and the :* form for its executions', () => {
    const [durable] = policyStatements(full) as { Resource: unknown[] }[];
    expect(durable?.Resource).toEqual([
      partitionArn(':lambda:eu-west-1:123456789012:function:orders'),
      partitionArn(':lambda:eu-west-1:123456789012:function:orders:*'),
      'arn:aws:lambda:eu-west-1:123456789012:function:payments',
      'arn:aws:lambda:eu-west-1:123456789012:function:payments:*',
    ]);
  });

  it('gets KMS only with a key, and never Glue (CloudFormation owns the catalog)', () => {
    const actions = (s: SynthesizedExport) =>
      (policyStatements(s) as { Action: string | string[] }[]).flatMap((st) => st.Action);
    expect(actions(minimal).filter((a) => /^(kms|glue):/.test(a))).toEqual([]);
    expect(actions(full).filter((a) => /^(kms|glue):/.test(a))).toEqual([]);
    const withKey = synthesizeExport(
      {
        functions: ['orders'],
        prefix: 'durable',
        schedule: ScheduleExpression.rate(Duration.hours(1)),
        kmsKey: Key.fromKeyArn(minimal.stack, 'Key', KEY_ARN),
      },
      code,
    );
    // The key was made in another stack's scope only to get an IKey; its ARN is plain text.
    expect(policyStatements(withKey)).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: KEY_ARN,
    });
    withKey.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DURABLE_EXPORT_S3_SSE: 'aws:kms',
          DURABLE_EXPORT_S3_KMS_KEY_ID: KEY_ARN,
        }),
      },
    });
  });

  it('with allFunctions: ListFunctions on * (its only form), the read APIs on the functions discovery may find', () => {
    const discovering = synthesizeExport(
      {
        allFunctions: true,
        functionPrefix: 'shop-',
        functionTags: ['team=shop'],
        prefix: 'durable',
        schedule: ScheduleExpression.rate(Duration.hours(1)),
      },
      code,
    );
    const shop = partitionArn(':lambda:eu-west-1:123456789012:function:shop-*');
    expect(policyStatements(discovering).slice(0, 3)).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'lambda:ListDurableExecutionsByFunction',
          'lambda:GetDurableExecutionHistory',
          'lambda:GetDurableExecution',
        ],
        Resource: shop,
      },
      { Effect: 'Allow', Action: 'lambda:ListFunctions', Resource: '*' },
      { Effect: 'Allow', Action: 'lambda:ListTags', Resource: shop },
    ]);
    const all = synthesizeExport({ allFunctions: true, prefix: 'durable', fleet: true }, code);
    const [durable, list, next] = policyStatements(all) as { Action: unknown; Resource: unknown }[];
    expect(durable?.Resource).toEqual(partitionArn(':lambda:eu-west-1:123456789012:function:*'));
    expect(list).toMatchObject({ Action: 'lambda:ListFunctions', Resource: '*' });
    expect(next?.Action).not.toBe('lambda:ListTags');
    // Named functions: no discovery, so no ListFunctions.
    const actions = (st: SynthesizedExport) =>
      (policyStatements(st) as { Action: string | string[] }[]).flatMap((x) => x.Action);
    expect(actions(minimal).filter((a) => a === 'lambda:ListFunctions' || a === 'lambda:ListTags')).toEqual(
      [],
    );
    expect(actions(full).filter((a) => a === 'lambda:ListFunctions' || a === 'lambda:ListTags')).toEqual([]);
  });

  it('is the only role of the exporter functions, with the basic execution policy for logs', () => {
    const role = Object.values(full.template.findResources('AWS::IAM::Role')).filter((r) =>
      JSON.stringify(r).includes('lambda.amazonaws.com'),
    );
    expect(role).toHaveLength(1);
    expect(JSON.stringify(role[0])).toContain('service-role/AWSLambdaBasicExecutionRole');
  });
});

describe('DurableExport: the functions and the schedule', () => {
  it('runs the handlers on Node.js 22, arm64, with the memory from the benchmarks', () => {
    const functions = Object.values(full.template.findResources('AWS::Lambda::Function')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(functions.map((f) => f.Properties.Handler)).toEqual(['index.handler', 'index.handler']);
    for (const { Properties } of functions) {
      expect(Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: HANDLER_MEMORY_MB,
      });
    }
  });

  it('gives the scheduled function its configuration in the variables the CLI reads', async () => {
    const variables = onlyScheduled(full).Environment.Variables;
    expect(variables).toEqual({
      DURABLE_EXPORT_EXPORT_OUT: 's3://my-lake/lake/durable',
      DURABLE_EXPORT_EXPORT_FUNCTIONS: 'orders,arn:aws:lambda:eu-west-1:123456789012:function:payments:prod',
      NODE_OPTIONS: '--enable-source-maps',
    });
    // The handler loads them as the CLI does: shipped defaults, then these variables.
    const config = await loadConfig({ env: variables });
    expect(config.export?.out).toBe('s3://my-lake/lake/durable');
    expect(config.export?.functions).toEqual([
      'orders',
      'arn:aws:lambda:eu-west-1:123456789012:function:payments:prod',
    ]);
  });

  it('invokes the scheduled function from an EventBridge Scheduler schedule', () => {
    const scheduled = logicalIdOf(minimal, minimal.construct.scheduledFunction);
    minimal.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 * * * ? *)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [scheduled, 'Arn'] } },
    });
    minimal.template.resourceCountIs('AWS::Lambda::Function', 1);
    minimal.template.resourceCountIs('AWS::SQS::Queue', 0);
    minimal.template.resourceCountIs('AWS::Glue::Table', 0);
  });

  it('alarms on handler errors above zero', () => {
    const scheduled = logicalIdOf(minimal, minimal.construct.scheduledFunction);
    minimal.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: scheduled } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
    full.template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });
});

describe('DurableExport: refused props', () => {
  it('refuses a construct that would run nothing, a bad prefix and a bad function name, naming them', () => {
    expect(() => synthesizeExport({ functions: ['orders'], prefix: 'durable' }, code)).toThrow(
      /needs a schedule, eventDriven or fleet/,
    );
    const schedule = ScheduleExpression.rate(Duration.hours(1));
    expect(() => synthesizeExport({ functions: ['orders'], prefix: 'a//b', schedule }, code)).toThrow(
      /contains "\/\/"/,
    );
    expect(() => synthesizeExport({ functions: ['no such function!'], prefix: 'p', schedule }, code)).toThrow(
      /invalid DurableExport functions: invalid function "no such function!"/,
    );
  });

  it('needs exactly one of functions and allFunctions, and refuses what cannot be honoured', () => {
    const schedule = ScheduleExpression.rate(Duration.hours(1));
    const exactlyOne = /DurableExport needs exactly one of functions and allFunctions/;
    expect(() => synthesizeExport({ prefix: 'p', schedule }, code)).toThrow(exactlyOne);
    expect(() => synthesizeExport({ functions: [], prefix: 'p', schedule }, code)).toThrow(exactlyOne);
    expect(() =>
      synthesizeExport({ functions: ['orders'], allFunctions: true, prefix: 'p', schedule }, code),
    ).toThrow(exactlyOne);
    expect(() =>
      synthesizeExport({ functions: ['orders'], functionPrefix: 'shop-', prefix: 'p', schedule }, code),
    ).toThrow(/functionPrefix and functionTags narrow allFunctions/);
    expect(() =>
      synthesizeExport({ allFunctions: true, functionPrefix: 'shop/', prefix: 'p', schedule }, code),
    ).toThrow(/invalid DurableExport functionPrefix/);
    expect(() =>
      synthesizeExport(
        { allFunctions: true, functionTags: ['team=shop'], prefix: 'p', eventDriven: true },
        code,
      ),
    ).toThrow(/eventDriven cannot honour functionTags/);
    expect(() =>
      synthesizeExport({ functions: ['orders'], prefix: 'p', schedule, startedAfter: 'yesterday' }, code),
    ).toThrow(/invalid DurableExport startedAfter "yesterday"/);
  });
});

describe('DurableExport: discovery in the handlers’ environment', () => {
  it('gives the scheduled function allFunctions, its prefix and tags, which loadConfig reads back', async () => {
    const discovering = synthesizeExport(
      {
        allFunctions: true,
        functionPrefix: '2026',
        functionTags: ['team=shop,eu', 'tier=1'],
        prefix: 'durable',
        schedule: ScheduleExpression.rate(Duration.hours(1)),
        startedAfter: '2026-01-01T00:00Z',
      },
      code,
    );
    const config = await loadConfig({ env: onlyScheduled(discovering).Environment.Variables });
    expect(config.export).toEqual({
      allFunctions: true,
      functionPrefix: '2026',
      functionTags: ['team=shop,eu', 'tier=1'],
      startedAfter: '2026-01-01T00:00Z',
      out: 's3://my-lake/durable',
    });
  });

  it('gives the events function no function selection: its messages name the executions', async () => {
    const events = synthesizeExport({ functions: ['orders'], prefix: 'durable', eventDriven: true }, code);
    const id = logicalIdOf(events, events.construct.eventsFunction);
    const variables = events.template.toJSON().Resources[id].Properties.Environment.Variables;
    expect((await loadConfig({ env: variables })).export).toEqual({ out: 's3://my-lake/durable' });
  });
});

function onlyScheduled(s: SynthesizedExport): { Environment: { Variables: Record<string, string> } } {
  const id = logicalIdOf(s, s.construct.scheduledFunction);
  return s.template.toJSON().Resources[id].Properties;
}
