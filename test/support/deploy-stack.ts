import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { DurableExport, type DurableExportProps } from '../../deploy/durable-export-construct.js';

/** The account and Region of the test stacks, so that ARNs come out as plain text where they can. */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' } as const;

/**
 * A code directory with a stand-in for each bundled handler (`<dir>/<handler>/index.mjs`): synth
 * only hashes the asset, so the template does not depend on what the handler does.
 */
export function standInCodeDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'durable-export-code-'));
  for (const handler of ['scheduled-handler', 'events-handler', 'work-item-handler', 'plan-handler']) {
    mkdirSync(join(dir, handler));
    writeFileSync(join(dir, handler, 'index.mjs'), 'export const handler = async () => ({});\n');
  }
  return dir;
}

export interface SynthesizedExport {
  readonly stack: Stack;
  readonly construct: DurableExport;
  readonly template: Template;
}

/** One stack holding a `DurableExport` on the bucket `my-lake`, synthesized offline. */
export function synthesizeExport(
  props: Omit<DurableExportProps, 'bucket' | 'codeDirectory'>,
  codeDirectory: string,
): SynthesizedExport {
  const stack = new Stack(new App(), 'DurableExportTest', { env: TEST_ENV });
  const construct = new DurableExport(stack, 'Export', {
    ...props,
    bucket: Bucket.fromBucketName(stack, 'Lake', 'my-lake'),
    codeDirectory,
  });
  return { stack, construct, template: Template.fromStack(stack) };
}

/** `arn:${AWS::Partition}<rest>` as CloudFormation gets it from the CDK. */
export function partitionArn(rest: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] };
}

/** The only resource of `type` in the template, its properties. */
export function onlyResource(template: Template, type: string): Record<string, unknown> {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return (resources[0] as { Properties: Record<string, unknown> }).Properties;
}

/** The logical id of a construct's CloudFormation resource (a function's, a queue's). */
export function logicalIdOf(s: SynthesizedExport, construct: IConstruct | undefined): string {
  if (!construct) throw new Error('the construct was not created');
  return s.stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The statements of the exporter role's policy (the Scheduler's own role has another). */
export function policyStatements(s: SynthesizedExport): unknown[] {
  const role = logicalIdOf(s, s.construct.role);
  const policies = Object.values(
    s.template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
  ) as { Properties: { PolicyDocument: { Statement: unknown[] } } }[];
  if (policies.length !== 1)
    throw new Error(`expected one policy of the exporter role, found ${policies.length}`);
  return policies[0]?.Properties.PolicyDocument.Statement ?? [];
}

/** The role's statements on the lake `s3://my-lake/durable` (the tests' bucket and prefix), the same whatever is exported. */
export const LAKE_STATEMENTS = [
  {
    Effect: 'Allow',
    Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
    Resource: partitionArn(':s3:::my-lake/durable/*'),
  },
  {
    Effect: 'Allow',
    Action: 's3:DeleteObject',
    Resource: partitionArn(':s3:::my-lake/durable/_state/*/lease.json'),
  },
  {
    Effect: 'Allow',
    Action: 's3:ListBucket',
    Resource: partitionArn(':s3:::my-lake'),
    Condition: { StringLike: { 's3:prefix': ['durable/_state/*', 'durable/_manifests/*'] } },
  },
];
