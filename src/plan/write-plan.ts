import { writeFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type AwsConnection, clientOptionsOf } from '../aws/aws-connection.js';
import { createS3Client } from '../aws/s3-client.js';
import { describeError, ExportError } from '../errors.js';
import { type WorkItem, workItemLine } from './work-item.js';

/** `s3://BUCKET/KEY`: the bucket and the key of a plan's location. */
export const PLAN_S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;

/** A plan's text: one JSON Lines line per item (`workItemLine`). */
export function planText(items: readonly WorkItem[]): string {
  return items.map((item) => `${workItemLine(item)}\n`).join('');
}

/**
 * Writes a plan (`planText`) to a local file or `s3://BUCKET/KEY` (`application/x-ndjson`, as a
 * Step Functions `ItemReader` reads JSON Lines). A failure is an `ExportError` (stage `sink`)
 * naming the location and its key or file, with the cause.
 */
export async function writePlan(location: string, text: string, connection: AwsConnection): Promise<void> {
  const url = PLAN_S3_URL.exec(location);
  try {
    if (!url) {
      await writeFile(location, text);
      return;
    }
    const s3 = createS3Client(clientOptionsOf(connection, 's3'));
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: url[1],
          Key: url[2],
          Body: text,
          ContentType: 'application/x-ndjson',
        }),
      );
    } finally {
      s3.destroy();
    }
  } catch (cause) {
    throw new ExportError(
      `writing the plan to ${location} failed: ${describeError(cause)}`,
      { stage: 'sink', key: url?.[2], file: url ? undefined : location },
      { cause },
    );
  }
}
