import { type Command, InvalidArgumentError } from 'commander';

export interface CleanupFlags {
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
      // Loaded here so that `--help` and the other commands never load the S3 client.
      const { cleanupAction } = await import('./cleanup-action.js');
      process.exitCode = await cleanupAction(flags);
    });
}

function toMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a non-negative number of minutes.');
  return n;
}
