/**
 * `npm run bench` (`make bench`; `BENCH_SCALE=10` adds 10M rows to the memory case)
 *
 * Every case #13 asks for, in one run, written into docs/PERFORMANCE.md with docs/performance.svg
 * (`bench-report.ts`): memory (peak RSS end to end at 100k and 1M rows, with the per-stage timings
 * and, at the smallest size, DuckDB writing the same rows two ways), bytes against DuckDB (`file-size.ts`),
 * and the quota-bound export (`quota.ts`, last: it lowers this process's priority).
 * The other benchmarks (`bench:pipeline`, `bench:encoders`, `bench:compaction`, `bench/events-cost.ts`)
 * run on their own.
 */
import { loadavg } from 'node:os';
import { writeBenchReport } from './bench-report.js';
import { runFileSizeBench } from './file-size.js';
import { memorySizes, runMemoryBench } from './memory.js';
import { runQuotaBench } from './quota.js';

const partSeconds: Record<string, number> = {};
async function timed<T>(part: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  console.log(`bench: ${part}...`);
  const result = await run();
  partSeconds[part] = (performance.now() - started) / 1000;
  console.log(`bench: ${part} took ${partSeconds[part].toFixed(0)} s`);
  return result;
}

const loadAtStart = loadavg()[0] ?? 0;
const memory = await timed('memory', () =>
  runMemoryBench(memorySizes(Number(process.env.BENCH_SCALE ?? '1'))),
);
const fileSize = await timed('file size', () => runFileSizeBench(300, 2000));
const quota = await timed('quota', () => runQuotaBench(450));
await writeBenchReport({
  memory,
  fileSize,
  quota,
  partSeconds,
  load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
});
console.log('bench: wrote docs/PERFORMANCE.md and docs/performance.svg');
