import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ConditionalObjects, VersionedObject } from './conditional-objects.js';

/**
 * Conditional objects in one S3 bucket: `If-None-Match: *` and `If-Match: <ETag>` on PutObject
 * (S3 supports both since 2024 and answers 412 PreconditionFailed, or 409 ConditionalRequestConflict
 * for a write racing another). S3-compatible servers that ignore the headers (s3rver 3.7.1) write
 * unconditionally: the lease reads first and reads its own write back, the strongest check left.
 */
export class S3ConditionalObjects implements ConditionalObjects {
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async read(key: string, signal?: AbortSignal): Promise<VersionedObject | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      });
      if (!response.Body) throw new Error(`${this.describe(key)}: the response has no body`);
      const bytes = await response.Body.transformToByteArray();
      return { bytes, version: response.ETag ?? '' };
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw error;
    }
  }

  create(key: string, bytes: Uint8Array, signal?: AbortSignal): Promise<boolean> {
    return this.put(key, bytes, { IfNoneMatch: '*' }, signal);
  }

  replace(key: string, bytes: Uint8Array, version: string, signal?: AbortSignal): Promise<boolean> {
    return this.put(key, bytes, { IfMatch: version }, signal);
  }

  async remove(key: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
      abortSignal: signal,
    });
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private async put(
    key: string,
    bytes: Uint8Array,
    condition: { IfNoneMatch: string } | { IfMatch: string },
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentType: 'application/json',
          ...condition,
        }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // 412: the condition failed; 409: another conditional write won; 404: If-Match on a deleted key.
      if (status === 412 || status === 409 || status === 404) return false;
      throw error;
    }
  }
}
