import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { makeDirectory } from './make-directory.js';
import { describeCause, SinkError } from './sink-error.js';

/** The object (S3) or file (local) a probe uses; `_`-prefixed, so Athena and `part-*` globs skip it. */
export function probeName(runId: string): string {
  return `_durable-export-write-probe-${runId}-${randomBytes(3).toString('hex')}`;
}

/**
 * Checks, before any execution is read, that the export can write to `s3://bucket/prefix/`: starts a
 * multipart upload there and aborts it at once, so nothing is left behind. That is the same permission
 * (s3:PutObject, s3:AbortMultipartUpload), bucket, owner check and encryption settings the real
 * uploads use (CreateMultipartUpload with SSE-KMS needs the KMS key too), and needs nothing more; a
 * HeadBucket would need s3:ListBucket. A missing bucket, AccessDenied, a wrong expected owner or an
 * unusable KMS key fails the run here, naming the bucket and key, instead of after the Lambda reads.
 * `signal` aborts both requests (the probe's deadline, SIGINT, SIGTERM).
 */
export async function probeS3Write(
  client: S3Client,
  bucket: string,
  prefix: string,
  runId: string,
  signal?: AbortSignal,
) {
  const key = `${prefix === '' ? '' : `${prefix}/`}${probeName(runId)}`;
  let uploadId: string | undefined;
  try {
    uploadId = (
      await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), {
        abortSignal: signal,
      })
    ).UploadId;
  } catch (cause) {
    const denied = (cause as { name?: string }).name === 'AccessDenied';
    const hint = denied
      ? `; the export needs s3:PutObject and s3:AbortMultipartUpload on s3://${bucket}/${prefix === '' ? '' : `${prefix}/`}*` +
        ' (and kms:GenerateDataKey, kms:Decrypt on the key with --sse aws:kms)'
      : '';
    throw new SinkError(
      `cannot write to s3://${bucket}/${key} (checked before reading any execution): ${describeCause(cause)}${hint}`,
      { errorType: 'upload_failed', bucket, key, cause },
    );
  }
  if (uploadId === undefined) return;
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), {
      abortSignal: signal,
    });
  } catch (cause) {
    // An empty upload left behind costs nothing (and a lifecycle rule removes it); only a missing
    // permission matters, because failed uploads could not be cleaned up either. S3-compatible
    // servers without AbortMultipartUpload (s3rver answers 405 MethodNotAllowed) pass.
    signal?.throwIfAborted();
    if ((cause as { name?: string }).name !== 'AccessDenied') return;
    throw new SinkError(
      `aborting the write probe s3://${bucket}/${key} (upload ${uploadId}) failed; the export needs ` +
        `s3:AbortMultipartUpload to clean up failed uploads: ${describeCause(cause)}`,
      { errorType: 'upload_failed', bucket, key, cause },
    );
  }
}

/**
 * Checks that `dir` can hold the export: creates it (and its parents) and writes and removes a small
 * file in it. Fails naming the directory and the system error (EACCES, EROFS, ENOTDIR, ENOSPC...).
 * File system calls cannot be cancelled: the caller bounds the wait (`withDeadline`).
 */
export async function probeLocalWrite(dir: string, runId: string): Promise<void> {
  const path = join(dir, `${probeName(runId)}.tmp`);
  try {
    await makeDirectory(dir);
    const handle = await open(path, 'wx');
    await handle.close();
    await rm(path);
  } catch (cause) {
    throw new SinkError(`cannot write to output directory ${dir}: ${describeCause(cause)}`, {
      errorType: 'write_failed',
      path: dir,
      cause,
    });
  }
}
