import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { issuesToError } from '../src/config/config-issues.js';
import { partialConfigSchema } from '../src/config/config-schema.js';

/**
 * The exporter's least privilege, as README's "Security: encryption, redaction, IAM" lists it for
 * the history source: the three durable read APIs on the named functions only, the lake's objects
 * under the prefix, the job's lease, a listing of the job state, and the KMS key only when given.
 */

/** The durable-execution read APIs a history export calls (docs/DURABLE-API.md §3.1). */
export const DURABLE_READ_ACTIONS = [
  'lambda:ListDurableExecutionsByFunction',
  'lambda:GetDurableExecutionHistory',
  'lambda:GetDurableExecution',
] as const;

/** What SSE-KMS needs: a data key to write an object (and its parts), and decryption to read. */
export const KMS_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

// Names and ARNs as export.functions accepts them (the config schema checks them first).
const FUNCTION =
  /^(?:arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([A-Za-z0-9_-]{1,64})/;

/**
 * The unqualified ARN of each function: a name is in the stack's account and Region, an ARN keeps
 * its own; a qualifier (`:prod`, `:$LATEST`) is dropped because the `:*` form covers it.
 */
export function functionArns(scope: Construct, functions: readonly string[]): string[] {
  const value = { export: { functions } };
  const checked = partialConfigSchema.safeParse(value);
  if (!checked.success) {
    throw issuesToError(checked.error, {
      origin: 'DurableExport props',
      value,
      names: { 'export.functions': 'DurableExport functions' },
    });
  }
  const stack = Stack.of(scope);
  return functions.map((fn) => {
    const [, partition, region, arnAccount, partialAccount, name] = FUNCTION.exec(fn) ?? [];
    if (name === undefined) throw new Error(`unexpected function ${JSON.stringify(fn)}`);
    return stack.formatArn({
      partition,
      region,
      account: arnAccount ?? partialAccount,
      service: 'lambda',
      resource: 'function',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  });
}

/**
 * Permissions are checked against the durable-execution ARN
 * (`...:function:NAME:QUALIFIER/durable-execution/...`), so each function is given unqualified
 * (the listing) and with `:*` (its executions) (docs/DURABLE-API.md §3.1).
 */
export function durableReadStatement(functionArnList: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: [...DURABLE_READ_ACTIONS],
    resources: functionArnList.flatMap((arn) => [arn, `${arn}:*`]),
  });
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
