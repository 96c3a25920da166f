import { type Command, InvalidArgumentError } from 'commander';
import { assertPartitionDate } from '../sink/object-key.js';

export interface CompactFlags {
  out: string;
  dt?: string;
  before?: string;
  targetFileMb: number;
  region?: string;
  endpointUrlS3?: string;
}

export function registerCompactCommand(program: Command): void {
  program
    .command('compact')
    .description(
      'Rewrite the small files of each day into as few files as the target size allows, keeping the latest version of each row; crash-safe, re-run to finish.',
    )
    .requiredOption('-o, --out <location>', 'the lake: s3://BUCKET/PREFIX or a local directory')
    .option('--dt <day>', 'compact only this day (YYYY-MM-DD)', toDay)
    .option('--before <day>', 'compact the days before this one (default: before today, UTC)', toDay)
    .option('--target-file-mb <n>', 'size the new files aim at, in MiB', toMegabytes, 128)
    .option('--region <region>', 'AWS region (default: AWS_REGION or the profile)')
    .option('--endpoint-url-s3 <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 or AWS)')
    .addHelpText(
      'after',
      '\nRun one compact per lake at a time. Exports may run meanwhile: files they commit later are kept.\n\nExamples:\n  durable-export compact --out s3://my-lake/durable --before 2026-11-01\n  durable-export compact --out ./lake --dt 2026-11-01 --target-file-mb 64\n',
    )
    .action(async (flags: CompactFlags) => {
      // Loaded here so that `--help` and the other commands never load compaction's modules.
      const { compactAction } = await import('./compact-action.js');
      process.exitCode = await compactAction(flags);
    });
}

function toDay(value: string): string {
  try {
    assertPartitionDate(value);
  } catch {
    throw new InvalidArgumentError('expected a day as YYYY-MM-DD.');
  }
  return value;
}

function toMegabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of MiB.');
  return n;
}
