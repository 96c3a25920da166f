import { awsConnectionOf } from '../aws/aws-connection.js';
import { describeError } from '../errors.js';
import { openLake } from '../lake/open-lake.js';
import { findStrayUploads, removeStrayUpload } from '../lake/stray-uploads.js';
import { parseOutputLocation } from '../sink/output-location.js';
import type { CleanupFlags } from './cleanup-command.js';
import { EXIT } from './exit-codes.js';

/** `durable-export cleanup`: aborts or removes the stray uploads; resolves to the exit code. */
export async function cleanupAction(flags: CleanupFlags): Promise<number> {
  const lake = openLake(parseOutputLocation(flags.out), awsConnectionOf(flags));
  try {
    const strays = await findStrayUploads(lake, new Date(Date.now() - flags.olderThanMinutes * 60_000));
    let failed = 0;
    for (const stray of strays) {
      const what = `${lake.reader.describe(stray.key)}${stray.uploadId ? ` (upload ${stray.uploadId}${stray.initiated ? `, started ${stray.initiated.toISOString()}` : ''})` : ''}`;
      if (flags.dryRun) {
        process.stdout.write(`would remove ${stray.kind} ${what}\n`);
        continue;
      }
      try {
        await removeStrayUpload(lake, stray);
        process.stdout.write(`removed ${stray.kind} ${what}\n`);
      } catch (error) {
        failed++;
        process.stdout.write(`FAILED ${stray.kind} ${what}: ${describeError(error)}\n`);
      }
    }
    const verb = flags.dryRun ? 'would remove' : 'removed';
    process.stdout.write(
      `cleanup ${lake.label}: ${strays.length === 0 ? 'no stray uploads' : `${verb} ${strays.length - failed} stray upload(s)${failed ? `, ${failed} failed` : ''}`}\n`,
    );
    return failed > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    lake.close();
  }
}
