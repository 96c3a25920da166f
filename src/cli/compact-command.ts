import { setTimeout as sleep } from 'node:timers/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { type CompactSummary, compactLake } from '../compact/compact-lake.js';
import type { CompactStep } from '../compact/compact-partition.js';
import { openLake } from '../lake/open-lake.js';
import { assertPartitionDate } from '../sink/object-key.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { EXIT } from './exit-codes.js';

interface CompactFlags {
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
      process.exitCode = await compactAction(flags);
    });
}

async function compactAction(flags: CompactFlags): Promise<number> {
  const lake = openLake(parseOutputLocation(flags.out), awsConnectionOf(flags));
  try {
    const summary = await compactLake(
      { ...lake, afterStep: pauseHook(process.env.DURABLE_EXPORT_COMPACT_PAUSE_AFTER) },
      { dt: flags.dt, before: flags.before, targetFileBytes: Math.round(flags.targetFileMb * 1024 * 1024) },
    );
    process.stdout.write(formatCompactSummary(lake.label, summary));
    return EXIT.ok;
  } finally {
    lake.close();
  }
}

export function formatCompactSummary(label: string, summary: CompactSummary): string {
  const lines: string[] = [];
  const { finished, abandoned } = summary;
  if (finished.intents > 0 || finished.deleted > 0 || abandoned > 0) {
    lines.push(
      `finished ${finished.intents} interrupted compaction(s): deleted ${finished.deleted} superseded and ${abandoned} uncommitted file(s)`,
    );
  }
  for (const p of summary.partitions) {
    lines.push(
      `${p.table}/dt=${p.dt}: ${p.filesBefore} files (${p.bytesBefore} bytes) -> ${p.filesAfter} (${p.bytesAfter} bytes), ${p.rowsRead} rows read, ${p.rowsKept} kept (${p.manifestKey})`,
    );
  }
  for (const k of summary.kept) lines.push(`KEPT ${k.key}: superseded, not deleted (${k.reason})`);
  lines.push(
    `compact ${label}: ${summary.partitions.length === 0 ? 'nothing to compact' : `${summary.partitions.length} partition(s) compacted`}`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Test hook for the crash test: `DURABLE_EXPORT_COMPACT_PAUSE_AFTER=<step>[:<n>]` stops the run
 * for a minute after the n-th (default first) time it passes that step, so it can be killed there.
 */
function pauseHook(setting: string | undefined): ((step: CompactStep) => Promise<void>) | undefined {
  if (!setting) return undefined;
  const [wanted, nth = '1'] = setting.split(':');
  let seen = 0;
  return async (step) => {
    if (step !== wanted || ++seen !== Number(nth)) return;
    process.stderr.write(`paused after ${step} ${seen}\n`);
    await sleep(60_000);
  };
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
