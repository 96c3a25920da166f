import type { Lake } from '../lake/open-lake.js';
import { applyS3WriteSecurity, type S3WriteSecurity } from './s3-request-defaults.js';
import { SinkError } from './sink-error.js';
import { type Deadline, withDeadline } from './with-deadline.js';
import { probeLocalWrite, probeS3Write } from './write-probe.js';

/**
 * Makes a lake ready for an export's writes, before anything is read from Lambda or from the lake:
 * every S3 request of the lake's client carries the encryption and expected-owner settings, and a
 * write probe (an aborted multipart upload on S3, a temporary file locally) proves the bucket or
 * directory exists and can be written. A failure is a `SinkError` naming the bucket and key (or the
 * directory): the CLI reports it as fatal (exit code 3) and nothing has been written. The probe
 * ends within `deadline.timeoutMs` (`sink.probeTimeoutMs`), or as soon as `deadline.signal` fires.
 */
export async function prepareLakeForWrites(
  lake: Lake,
  security: S3WriteSecurity,
  runId: string,
  deadline: Deadline,
): Promise<void> {
  const timedOut = (): SinkError =>
    new SinkError(
      `checking that ${lake.label} can be written took longer than ${deadline.timeoutMs} ms ` +
        '(sink.probeTimeoutMs, DURABLE_EXPORT_SINK_PROBE_TIMEOUT_MS); nothing was read or written. ' +
        'Is the endpoint or file system answering?',
      lake.s3
        ? { errorType: 'upload_failed', bucket: lake.s3.bucket, key: lake.prefix }
        : { errorType: 'write_failed', path: lake.label },
    );
  const s3 = lake.s3;
  if (s3) {
    applyS3WriteSecurity(s3.client, security);
    await withDeadline(deadline, timedOut, (signal) =>
      probeS3Write(s3.client, s3.bucket, lake.prefix, runId, signal),
    );
  } else if (lake.location.kind === 'local') {
    const { dir } = lake.location;
    await withDeadline(deadline, timedOut, () => probeLocalWrite(dir, runId));
  }
}
