import { type Command, InvalidArgumentError } from 'commander';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { describeError } from '../errors.js';
import { openLake } from '../lake/open-lake.js';
import { findStrayUploads, removeStrayUpload } from '../lake/stray-uploads.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { EXIT } from './exit-codes.js';

interface CleanupFlags {
  out: string;
  dryRun?: boolean;
  olderThanMinutes: number;
  region?: string;
  endpointUrlS3?: string;
}

export function registerCleanupCommand(program: Command): void {
  program
    .command('cleanup')
    .description(
      'Abort multipart uploads that never completed under the lake prefix (local lake: remove _*.tmp files). Committed files are never touched.',
    )
    .requiredOption('-o, --out <location>', 'the lake: s3://BUCKET/PREFIX or a local directory')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option(
      '--older-than-minutes <n>',
      'only uploads started at least this long ago (leave room for a running export)',
      toMinutes,
      0,
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)')
    .addHelpText(
      'after',
      "\nDo not run it (without --older-than-minutes) while an export writes to the same prefix: it would abort that export's uploads in flight.\n\nExamples:\n  durable-export cleanup --out s3://my-lake/durable --dry-run\n  durable-export cleanup --out s3://my-lake/durable --older-than-minutes 60\n",
    )
    .action(async (flags: CleanupFlags) => {
      process.exitCode = await cleanupAction(flags);
    });
}

async function cleanupAction(flags: CleanupFlags): Promise<number> {
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

function toMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a non-negative number of minutes.');
  return n;
}
