import { createRequire } from 'node:module';
import { Duration } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { fleetMaxConcurrency, fleetStateMachineDefinition } from '../deploy/fleet-state-machine.js';
import { shippedRateLimits } from '../deploy/handler-environment.js';
import { loadConfig } from '../src/config/load-config.js';
import {
  logicalIdOf,
  onlyResource,
  partitionArn,
  standInCodeDirectory,
  synthesizeExport,
} from './support/deploy-stack.js';

// asl-validator is CommonJS without types: a function of (definition, options).
const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkArn?: boolean; checkPaths?: boolean },
) => { isValid: boolean; errors: { Message: string }[] };

const WORK_ITEM_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:durable-export-work-items';
const PLAN_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:durable-export-plan';
const options = {
  planFunctionArn: PLAN_ARN,
  workItemFunctionArn: WORK_ITEM_ARN,
  bucket: 'my-lake',
  resultsPrefix: 'durable/_fleet-results',
  maxConcurrency: 15,
  maxItemsPerBatch: 5,
  toleratedFailurePercentage: 5,
};

/** A synthesized DefinitionString with its CloudFormation references replaced by `arns` (by logical id). */
function definitionOf(definitionString: unknown, arns: Record<string, string>): unknown {
  if (typeof definitionString === 'string') return JSON.parse(definitionString);
  const [, parts] = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const arnOf = (part: unknown) => {
    const [id] = (part as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
    const arn = arns[id];
    if (arn === undefined) throw new Error(`unexpected reference ${JSON.stringify(part)}`);
    return arn;
  };
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : arnOf(p))).join(''));
}

describe('the fleet state machine (issue #15): ASL from deploy/fleet-state-machine.ts', () => {
  it('is valid Amazon States Language (asl-validator), and the validator does refuse a broken one', () => {
    const definition = fleetStateMachineDefinition(options);
    expect(validateAsl(definition).errors).toEqual([]);
    const broken = fleetStateMachineDefinition({ ...options, toleratedFailurePercentage: 101 });
    // The validator also reports the other schema branches a terminal Map state did not match.
    expect(validateAsl(broken).errors.map((e) => e.Message)).toContain(
      '/States/ExportWorkItems/ToleratedFailurePercentage is invalid. must be <= 100',
    );
  });

  it('plans, ends when the plan is empty, else maps the plan the Plan step wrote; each item commits itself', () => {
    const definition = fleetStateMachineDefinition(options);
    const states = definition.States as Record<string, Record<string, unknown>>;
    expect(definition.StartAt).toBe('Plan');
    expect(states.Plan).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: PLAN_ARN,
        Payload: { 'executionName.$': '$$.Execution.Name', 'input.$': '$' },
      },
      OutputPath: '$.Payload',
      Retry: [expect.objectContaining({ ErrorEquals: expect.arrayContaining(['Lambda.ServiceException']) })],
      Next: 'AnyWorkItems',
    });
    expect(states.AnyWorkItems).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.items', NumericEquals: 0, Next: 'NothingToExport' }],
      Default: 'ExportWorkItems',
    });
    expect(states.NothingToExport).toEqual({ Type: 'Succeed' });
    expect(states.ExportWorkItems).toMatchObject({
      Type: 'Map',
      // The key is the Plan step's output (src/lambda/plan-handler.ts returns { bucket, key, items, sinceLastRun }).
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: 'my-lake', 'Key.$': '$.key' },
      },
      ItemBatcher: {
        MaxItemsPerBatch: 5,
        BatchInput: { kind: 'work-items', 'planKey.$': '$.key', 'sinceLastRun.$': '$.sinceLastRun' },
      },
      MaxConcurrency: 15,
      ToleratedFailurePercentage: 5,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        States: { ExportBatch: { Parameters: { FunctionName: WORK_ITEM_ARN, 'Payload.$': '$' } } },
      },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'my-lake', Prefix: 'durable/_fleet-results' },
      },
      End: true,
    });
    // No final commit step: every work item is its own job and commits its own manifest (and,
    // scheduled, advances its function's watermark after it).
    expect(Object.keys(states)).toEqual(['Plan', 'AnyWorkItems', 'NothingToExport', 'ExportWorkItems']);
  });

  it('caps MaxConcurrency at the list and history quota over one request per second per instance', () => {
    const quota = shippedRateLimits();
    expect(fleetMaxConcurrency(quota)).toBe(Math.min(quota.list, quota.history));
    expect(fleetMaxConcurrency({ ...quota, history: 4 }, 2)).toBe(2);
    expect(Math.min(quota.list, quota.history) / fleetMaxConcurrency(quota)).toBe(1);
  });
});

describe('DurableExport fleet: the state machine and the work-item function in the template', () => {
  const s = synthesizeExport(
    { functions: ['orders'], prefix: 'durable', fleet: true },
    standInCodeDirectory(),
  );
  const machine = onlyResource(s.template, 'AWS::StepFunctions::StateMachine');
  const quota = shippedRateLimits();

  it('deploys the same ASL, valid with the function ARNs filled in', () => {
    const definition = definitionOf(machine.DefinitionString, {
      [logicalIdOf(s, s.construct.planFunction)]: PLAN_ARN,
      [logicalIdOf(s, s.construct.workItemFunction)]: WORK_ITEM_ARN,
    });
    // The validator writes each state's default QueryLanguage into what it checks: give it a copy.
    expect(validateAsl(structuredClone(definition)).errors).toEqual([]);
    expect(definition).toEqual(
      fleetStateMachineDefinition({ ...options, maxConcurrency: fleetMaxConcurrency(quota) }),
    );
  });

  it('gives the work-item function the quota divided by the Map concurrency', () => {
    const fn = s.template.toJSON().Resources[logicalIdOf(s, s.construct.workItemFunction)].Properties;
    expect(fn.Runtime).toBe('nodejs22.x');
    expect(fn.Environment.Variables.DURABLE_EXPORT_LAMBDA_CONCURRENT_EXPORTERS).toBe(
      String(fleetMaxConcurrency(quota)),
    );
  });

  it('lets the state machine invoke its two functions, read plans, write results and run its children only', () => {
    const role = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(
      s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ) as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }[];
    expect(policies).toHaveLength(1);
    const statements = policies[0]?.Properties.PolicyDocument.Statement.map((st) => [st.Action, st.Resource]);
    const name = machine.StateMachineName as string;
    const invoke = (fn: string) => [
      'lambda:InvokeFunction',
      [{ 'Fn::GetAtt': [fn, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fn, 'Arn'] }, ':*']] }],
    ];
    expect(statements).toEqual([
      invoke(logicalIdOf(s, s.construct.planFunction)),
      invoke(logicalIdOf(s, s.construct.workItemFunction)),
      ['s3:GetObject', partitionArn(':s3:::my-lake/durable/_plans/*')],
      [
        ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        partitionArn(':s3:::my-lake/durable/_fleet-results/*'),
      ],
      ['states:StartExecution', partitionArn(`:states:eu-west-1:123456789012:stateMachine:${name}`)],
      [
        ['states:DescribeExecution', 'states:StopExecution'],
        partitionArn(`:states:eu-west-1:123456789012:execution:${name}/*`),
      ],
    ]);
  });
});

describe('DurableExport fleet on a schedule: the schedule starts the state machine', () => {
  const s = synthesizeExport(
    {
      allFunctions: true,
      functionPrefix: 'shop-',
      prefix: 'durable',
      fleet: true,
      schedule: ScheduleExpression.rate(Duration.hours(1)),
      startedAfter: '2026-01-01',
    },
    standInCodeDirectory(),
  );
  const machineId = logicalIdOf(s, s.construct.fleet?.stateMachine);

  it('targets the state machine with a scheduled (since-last-run) input, instead of the scheduled function', () => {
    const schedule = onlyResource(s.template, 'AWS::Scheduler::Schedule');
    expect(schedule).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      Target: { Arn: { Ref: machineId }, Input: JSON.stringify({ sinceLastRun: true }) },
    });
    expect(s.construct.scheduledFunction).toBeUndefined();
    s.template.resourceCountIs('AWS::Lambda::Function', 2);
    // The schedule's role may start this state machine, and nothing else.
    const role = (schedule.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn[
      'Fn::GetAtt'
    ][0];
    const policies = Object.values(
      s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ) as { Properties: { PolicyDocument: { Statement: unknown[] } } }[];
    expect(policies.flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineId } },
    ]);
    const assumed = JSON.stringify(s.template.toJSON().Resources[role].Properties.AssumeRolePolicyDocument);
    expect(assumed).toContain('scheduler.amazonaws.com');
  });

  it('gives the plan function the discovery settings and the first start, and the work-item function neither', async () => {
    const variables = (fn: IConstruct | undefined) =>
      s.template.toJSON().Resources[logicalIdOf(s, fn)].Properties.Environment.Variables as Record<
        string,
        string
      >;
    const plan = variables(s.construct.planFunction);
    const config = await loadConfig({ env: plan });
    expect(config.export).toMatchObject({
      allFunctions: true,
      functionPrefix: 'shop-',
      startedAfter: '2026-01-01',
      out: 's3://my-lake/durable',
    });
    expect(config.export?.functions).toBeUndefined();
    const workItems = await loadConfig({ env: variables(s.construct.workItemFunction) });
    expect(workItems.export).toEqual({ out: 's3://my-lake/durable' });
  });
});
