import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { describeError, ExportError } from '../errors.js';
import type { ListedObject, ObjectReader } from './object-reader.js';

/** Reads objects of one S3 bucket with the run's S3 client. */
export class S3ObjectReader implements ObjectReader {
  private readonly client: S3Client;
  readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    try {
      const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix });
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield { key: object.Key, bytes: object.Size ?? 0 };
        }
      }
    } catch (error) {
      throw new ExportError(
        `listing ${this.describe(prefix)} failed: ${describeError(error)}`,
        { stage: 'sink', key: prefix },
        { cause: error },
      );
    }
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!response.Body) throw new Error('the response has no body');
      return await response.Body.transformToByteArray();
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
      throw new ExportError(
        `reading ${this.describe(key)} failed: ${describeError(error)}`,
        { stage: 'sink', key },
        { cause: error },
      );
    }
  }

  describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}
