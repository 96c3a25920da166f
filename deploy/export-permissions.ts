import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { FunctionScope } from './function-scope.js';

/**
 * The exporter's least privilege, as README's "Security: encryption, redaction, IAM" lists it for
 * the history source: the three durable read APIs on the exported functions only (ListFunctions
 * too with discovery), the lake's objects under the prefix, the job's lease, a listing of the job
 * state, and the KMS key only when given.
 */

/** The durable-execution read APIs a history export calls (docs/DURABLE-API.md §3.1). */
export const DURABLE_READ_ACTIONS = [
  'lambda:ListDurableExecutionsByFunction',
  'lambda:GetDurableExecutionHistory',
  'lambda:GetDurableExecution',
] as const;

/** What SSE-KMS needs: a data key to write an object (and its parts), and decryption to read. */
export const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * Permissions are checked against the durable-execution ARN
 * (`...:function:NAME:QUALIFIER/durable-execution/...`), so each function is given unqualified
 * (the listing) and with `:*` (its executions) (docs/DURABLE-API.md §3.1): `FunctionScope.resources`.
 */
export function durableReadStatements(scope: FunctionScope): PolicyStatement[] {
  // Every target assumes a role: this account is not read, the member accounts' policies apply.
  if (scope.resources.length === 0) return [];
  return [
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: [...DURABLE_READ_ACTIONS],
      resources: [...scope.resources],
    }),
  ];
}

/**
 * Discovery (`allFunctions`): `lambda:ListFunctions` on `*`, the only resource that action takes
 * (it lists the account's functions in the Region and supports no resource-level permission), and,
 * with tags to match, `lambda:ListTags` on the functions discovery may keep. None without discovery,
 * nor when every target assumes a role (discovery then lists the member accounts' functions).
 */
export function discoveryStatements(scope: FunctionScope): PolicyStatement[] {
  if (!scope.selection.allFunctions || scope.resources.length === 0) return [];
  const statements = [new PolicyStatement({ actions: ['lambda:ListFunctions'], resources: ['*'] })];
  if (scope.selection.functionTags?.length) {
    statements.push(new PolicyStatement({ actions: ['lambda:ListTags'], resources: [...scope.resources] }));
  }
  return statements;
}

/** `PREFIX/` for keys under the prefix, or nothing at the bucket's root. */
export function keyPrefix(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}

/** Writing and reading the lake, releasing the job's lease, listing the job state to resume. */
export function lakeStatements(bucket: IBucket, prefix: string): PolicyStatement[] {
  const under = keyPrefix(prefix);
  return [
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:GetObject'],
      resources: [bucket.arnForObjects(`${under}*`)],
    }),
    new PolicyStatement({
      actions: ['s3:DeleteObject'],
      resources: [bucket.arnForObjects(`${under}_state/*/lease.json`)],
    }),
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${under}_state/*`, `${under}_manifests/*`] } },
    }),
  ];
}

export function kmsStatement(key: IKey): PolicyStatement {
  return new PolicyStatement({ actions: [...KMS_ACTIONS], resources: [key.keyArn] });
}

/**
 * `sts:AssumeRole` on exactly the targets' roles (`DurableExport` `targets`), none without: the
 * member role's trust policy names the exporter role and the external id (README "Export a fleet").
 */
export function assumeRoleStatements(roleArns: readonly string[]): PolicyStatement[] {
  if (roleArns.length === 0) return [];
  return [new PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...roleArns] })];
}
