import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fleetMaxConcurrency, fleetStateMachineDefinition } from '../deploy/fleet-state-machine.js';
import { shippedRateLimits } from '../deploy/handler-environment.js';
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
const options = {
  workItemFunctionArn: WORK_ITEM_ARN,
  bucket: 'my-lake',
  resultsPrefix: 'durable/_fleet-results',
  maxConcurrency: 15,
  maxItemsPerBatch: 5,
  toleratedFailurePercentage: 5,
};

/** A synthesized DefinitionString with its CloudFormation references replaced by the work-item ARN. */
function definitionOf(definitionString: unknown): unknown {
  if (typeof definitionString === 'string') return JSON.parse(definitionString);
  const [, parts] = (definitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : WORK_ITEM_ARN)).join(''));
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

  it('reads the plan as JSON Lines from S3, batches, caps, tolerates, writes results; each item commits itself', () => {
    const states = fleetStateMachineDefinition(options).States as Record<string, Record<string, unknown>>;
    expect(states.ExportWorkItems).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: 'my-lake', 'Key.$': '$.planKey' },
      },
      ItemBatcher: { MaxItemsPerBatch: 5, BatchInput: { kind: 'work-items', 'planKey.$': '$.planKey' } },
      MaxConcurrency: 15,
      ToleratedFailurePercentage: 5,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'my-lake', Prefix: 'durable/_fleet-results' },
      },
      End: true,
    });
    // No final commit step: every work item is its own job and commits its own manifest.
    expect(Object.keys(states)).toEqual(['ExportWorkItems']);
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

  it('deploys the same ASL, valid with the function ARN filled in', () => {
    const definition = definitionOf(machine.DefinitionString);
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

  it('lets the state machine read plans, write results, invoke the function and run its children only', () => {
    const role = (machine.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policies = Object.values(
      s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    ) as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }[];
    expect(policies).toHaveLength(1);
    const statements = policies[0]?.Properties.PolicyDocument.Statement.map((st) => [st.Action, st.Resource]);
    const name = machine.StateMachineName as string;
    const fn = logicalIdOf(s, s.construct.workItemFunction);
    expect(statements).toEqual([
      [
        'lambda:InvokeFunction',
        [{ 'Fn::GetAtt': [fn, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [fn, 'Arn'] }, ':*']] }],
      ],
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
