import { localS3Environment, startLocalS3 } from '../local/local-s3.js';
import type { LocalS3Flags } from './local-s3-command.js';
import { stopSignal } from './local-server-options.js';

/** `durable-export local-s3`: runs a local S3 until SIGINT or SIGTERM. */
export async function localS3Action(flags: LocalS3Flags): Promise<void> {
  const s3 = await startLocalS3({ directory: flags.dir, port: flags.port, buckets: flags.bucket });
  const buckets = flags.bucket ? `, buckets ${flags.bucket.join(', ')}` : '';
  const variables = Object.entries(localS3Environment(s3.endpoint))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  process.stdout.write(
    `local S3 (s3rver) listening on ${s3.endpoint}, data in ${s3.directory}${buckets}\n` +
      `Set in the shell that runs durable-export:\nexport ${variables}\n`,
  );
  await stopSignal();
  await s3.close();
}
