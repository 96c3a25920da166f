import { rm } from 'node:fs/promises';
import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type ListMultipartUploadsCommandOutput,
} from '@aws-sdk/client-s3';
import { describeError, ExportError } from '../errors.js';
import type { Lake } from './open-lake.js';

/**
 * Leftovers of writes that never completed: S3 multipart uploads that were neither completed nor
 * aborted (a process killed mid-upload), or, in a local lake, `_`-prefixed temporary files. Both
 * are invisible to readers but cost storage; none is ever a committed file.
 */
export interface StrayUpload {
  readonly kind: 'multipart-upload' | 'temp-file';
  readonly key: string;
  /** The multipart upload id (S3). */
  readonly uploadId?: string;
  readonly initiated?: Date;
}

/** Temp names `LocalObjectStore` uses: `_<file name>.<8 hex>.tmp`. */
const TEMP_FILE = /(^|\/)_[^/]+\.[0-9a-f]{8}\.tmp$/;

/** Stray uploads under the lake prefix, started before `olderThan` (default: now). */
export async function findStrayUploads(lake: Lake, olderThan: Date = new Date()): Promise<StrayUpload[]> {
  const strays: StrayUpload[] = [];
  if (!lake.s3) {
    for await (const object of lake.reader.list('')) {
      if (TEMP_FILE.test(object.key)) strays.push({ kind: 'temp-file', key: object.key });
    }
    return strays;
  }
  const { client, bucket } = lake.s3;
  const prefix = lake.prefix === '' ? '' : `${lake.prefix}/`;
  let page: ListMultipartUploadsCommandOutput | undefined;
  do {
    try {
      page = await client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          Prefix: prefix,
          KeyMarker: page?.NextKeyMarker,
          UploadIdMarker: page?.NextUploadIdMarker,
        }),
      );
    } catch (error) {
      throw new ExportError(
        `listing multipart uploads under s3://${bucket}/${prefix} failed: ${describeS3Error('ListMultipartUploads', error)}`,
        { stage: 'sink', key: prefix },
        { cause: error },
      );
    }
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId) continue;
      if (upload.Initiated && upload.Initiated >= olderThan) continue;
      strays.push({
        kind: 'multipart-upload',
        key: upload.Key,
        uploadId: upload.UploadId,
        initiated: upload.Initiated,
      });
    }
  } while (page.IsTruncated);
  return strays;
}

/** Aborts one stray multipart upload (its parts are deleted) or removes one temp file. */
export async function removeStrayUpload(lake: Lake, stray: StrayUpload): Promise<void> {
  try {
    if (stray.kind === 'temp-file') {
      await rm(lake.reader.describe(stray.key), { force: true });
      return;
    }
    if (!lake.s3 || !stray.uploadId) throw new Error('not an S3 lake');
    await lake.s3.client.send(
      new AbortMultipartUploadCommand({ Bucket: lake.s3.bucket, Key: stray.key, UploadId: stray.uploadId }),
    );
  } catch (error) {
    throw new ExportError(
      `removing stray upload ${lake.reader.describe(stray.key)}${stray.uploadId ? ` (upload ${stray.uploadId})` : ''} failed: ${describeS3Error('AbortMultipartUpload', error)}`,
      { stage: 'sink', key: stray.key },
      { cause: error },
    );
  }
}

/**
 * An S3 failure in one line; an S3-compatible server that lacks the operation (501
 * `NotImplemented`, as s3rver, the local S3 of the demo and tests, answers ListMultipartUploads)
 * is named as such, since AWS S3 has it.
 */
function describeS3Error(operation: string, error: unknown): string {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (name === 'NotImplemented' || $metadata?.httpStatusCode === 501) {
    return `this S3 server does not implement ${operation} (${describeError(error)}); cleanup needs it, and AWS S3 has it`;
  }
  return describeError(error);
}
