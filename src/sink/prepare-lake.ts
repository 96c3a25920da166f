import type { Lake } from '../lake/open-lake.js';
import { applyS3WriteSecurity, type S3WriteSecurity } from './s3-request-defaults.js';
import { probeLocalWrite, probeS3Write } from './write-probe.js';

/**
 * Makes a lake ready for an export's writes, before anything is read from Lambda or from the lake:
 * every S3 request of the lake's client carries the encryption and expected-owner settings, and a
 * write probe (an aborted multipart upload on S3, a temporary file locally) proves the bucket or
 * directory exists and can be written. A failure is a `SinkError` naming the bucket and key (or the
 * directory): the CLI reports it as fatal (exit code 3) and nothing has been written.
 */
export async function prepareLakeForWrites(
  lake: Lake,
  security: S3WriteSecurity,
  runId: string,
): Promise<void> {
  if (lake.s3) {
    applyS3WriteSecurity(lake.s3.client, security);
    await probeS3Write(lake.s3.client, lake.s3.bucket, lake.prefix, runId);
  } else if (lake.location.kind === 'local') {
    await probeLocalWrite(lake.location.dir, runId);
  }
}
