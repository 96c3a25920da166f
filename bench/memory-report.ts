/**
 * Writes the memory bench's figures into docs/PERFORMANCE.md (between its `bench:memory` markers)
 * and draws docs/performance.svg, both from the run's own numbers, with the date, machine, Node
 * version and commit of the run.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { plotSvg } from './plot-svg.js';

/** One size of the memory bench: the export's own summary figures and its peak RSS. */
export interface MemoryRun {
  rows: number;
  executions: number;
  operations: number;
  durationMs: number;
  maxRssMiB: number;
  rowsPerSecond: number;
  timings?: Record<string, number>;
  /** DuckDB writing the same rows to Parquet in the same run (`duckdb-write-rate.ts`). */
  duckdb?: { rows: number; ms: number; rowsPerSecond: number };
}

export const RSS_TARGET_MIB = 200;
const DOCS = join(import.meta.dirname, '..', 'docs');
const START = '<!-- bench:memory:start (written by bench/memory.ts; do not edit by hand) -->';
const END = '<!-- bench:memory:end -->';
const STAGES = [
  ['sourceMs', 'waiting for the source (list + read history + fold)'],
  ['transformMs', 'transform'],
  ['encodeMs', 'encode (Parquet, into the batch spool)'],
  ['uploadMs', 'upload (batch records, data files, manifest)'],
] as const;

/** The generated section of PERFORMANCE.md for `runs`. */
export function memorySection(runs: readonly MemoryRun[]): string {
  const commit = gitCommit();
  const lines = [
    START,
    '',
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit \`${commit}\`, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at the end.`,
    '',
    '| rows | executions | operations | peak RSS MiB | × smallest | seconds | rows/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const base = runs[0];
  for (const r of runs) {
    lines.push(
      `| ${r.rows.toLocaleString('en-US')} | ${r.executions} | ${r.operations} | ${Math.round(r.maxRssMiB)} | ${base ? (r.maxRssMiB / base.maxRssMiB).toFixed(2) : '-'} | ${(r.durationMs / 1000).toFixed(1)} | ${r.rowsPerSecond} |`,
    );
  }
  lines.push(
    '',
    "Where the time goes (the tool's own `timings` from `--summary-json`, share of the run):",
    '',
  );
  lines.push(`| rows | ${STAGES.map(([, label]) => label).join(' | ')} |`);
  lines.push(`| --- | ${STAGES.map(() => '---').join(' | ')} |`);
  for (const r of runs) {
    const share = STAGES.map(([key]) => `${Math.round((100 * (r.timings?.[key] ?? 0)) / r.durationMs)}%`);
    lines.push(`| ${r.rows.toLocaleString('en-US')} | ${share.join(' | ')} |`);
  }
  for (const r of runs.filter((run) => run.duckdb && run.timings)) {
    const ms = (r.timings?.transformMs ?? 0) + (r.timings?.encodeMs ?? 0);
    const ours = Math.round(r.rows / (ms / 1000));
    const theirs = r.duckdb?.rowsPerSecond ?? 0;
    lines.push(
      '',
      `CPU at ${r.rows.toLocaleString('en-US')} rows: our transform + encode ${ours} rows/s (one thread) against DuckDB writing the same rows to Parquet (SNAPPY, its own threads) ${theirs} rows/s: **${(ours / theirs).toFixed(2)}×**.`,
    );
  }
  lines.push('', '![peak RSS and rows/s against rows exported](performance.svg)', '', END);
  return lines.join('\n');
}

/** Replaces the generated section of docs/PERFORMANCE.md and writes docs/performance.svg. */
export async function writeMemoryReport(runs: readonly MemoryRun[]): Promise<void> {
  const path = join(DOCS, 'PERFORMANCE.md');
  const text = await readFile(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no bench:memory markers`);
  await writeFile(path, `${text.slice(0, start)}${memorySection(runs)}${text.slice(end + END.length)}`);
  const title = `durable-export: peak RSS and rows/s by rows exported (${gitCommit()})`;
  await writeFile(join(DOCS, 'performance.svg'), plotSvg(runs, title, RSS_TARGET_MIB));
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
