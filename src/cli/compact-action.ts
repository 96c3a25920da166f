import { setTimeout as sleep } from 'node:timers/promises';
import { awsConnectionOf } from '../aws/aws-connection.js';
import { type CompactSummary, compactLake } from '../compact/compact-lake.js';
import type { CompactStep } from '../compact/compact-partition.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import type { CompactFlags } from './compact-command.js';
import { EXIT } from './exit-codes.js';

/** `durable-export compact`: compacts the lake and prints what it did; resolves to the exit code. */
export async function compactAction(flags: CompactFlags): Promise<number> {
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
