import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError } from '../errors.js';

/** Server-side encryption and bucket-owner settings for every object durable-export writes. */
export interface S3WriteSecurity {
  /** `AES256` (SSE-S3) or `aws:kms` (SSE-KMS); unset: the bucket's default encryption. */
  readonly sse?: 'AES256' | 'aws:kms';
  /** KMS key id, ARN or alias for `aws:kms`; unset: the account's `aws/s3` key. */
  readonly kmsKeyId?: string;
  /** The 12-digit account that must own the bucket; S3 answers 403 otherwise. */
  readonly expectedBucketOwner?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** Checks the combination before any request: a KMS key needs `aws:kms`, an owner is an account id. */
export function assertS3WriteSecurity(security: S3WriteSecurity): void {
  if (security.kmsKeyId !== undefined && security.sse !== 'aws:kms') {
    throw new ConfigError(
      `--kms-key-id (s3.kmsKeyId) needs --sse aws:kms (s3.sse), got ${security.sse ?? 'no --sse'}`,
    );
  }
  if (security.expectedBucketOwner !== undefined && !ACCOUNT_ID.test(security.expectedBucketOwner)) {
    throw new ConfigError(
      `--expected-bucket-owner (s3.expectedBucketOwner) must be a 12-digit AWS account id, got ${JSON.stringify(security.expectedBucketOwner)}`,
    );
  }
}

/**
 * The members to set on a command's input. Each S3 command serializes only the members its model
 * has, so one rule covers every call with the right headers:
 *
 * | operation               | `ExpectedBucketOwner` | `ServerSideEncryption`, `SSEKMSKeyId` |
 * | ----------------------- | --------------------- | ------------------------------------- |
 * | PutObject               | yes                   | yes                                   |
 * | CreateMultipartUpload   | yes                   | yes (parts inherit the upload's SSE)  |
 * | UploadPart              | yes                   | no (only SSE-C headers)               |
 * | CompleteMultipartUpload | yes                   | no                                    |
 * | AbortMultipartUpload    | yes                   | no                                    |
 * | HeadBucket, GetObject, ListObjectsV2 | yes      | no                                    |
 *
 * lib-storage copies its params into UploadPart and CompleteMultipartUpload but builds
 * AbortMultipartUpload from Bucket, Key and UploadId only, so the owner has to be set here, on the
 * client, rather than in the upload's params.
 */
function defaultsOf(security: S3WriteSecurity): Record<string, string> {
  const members = {
    ExpectedBucketOwner: security.expectedBucketOwner,
    ServerSideEncryption: security.sse,
    SSEKMSKeyId: security.kmsKeyId,
  };
  // Only the members that are set: an unset one is not a default to add.
  return Object.fromEntries(
    Object.entries(members).filter((member): member is [string, string] => Boolean(member[1])),
  );
}

/**
 * Adds the encryption and bucket-owner members to the input of every command `client` sends
 * (`initialize` step, before serialization; members the caller set are kept).
 */
export function applyS3WriteSecurity(client: S3Client, security: S3WriteSecurity): void {
  assertS3WriteSecurity(security);
  const defaults = defaultsOf(security);
  if (Object.keys(defaults).length === 0) return;
  client.middlewareStack.add(
    (next) => (args) => {
      const input: Record<string, unknown> = { ...(args.input as Record<string, unknown>) };
      for (const [member, value] of Object.entries(defaults)) input[member] ??= value;
      return next({ ...args, input });
    },
    { step: 'initialize', name: 'durableExportWriteSecurity', priority: 'high' },
  );
}
