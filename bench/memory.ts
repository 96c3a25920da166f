/**
 * `npm run bench:memory` (`BENCH_SCALE=10` adds 10M rows)
 *
 * Peak RSS of the whole export at the defaults, end to end to local S3 (s3rver), at 100k and 1M
 * lake rows (and 10M with `BENCH_SCALE=10`), over the heavy data set (`heavy-executions.ts`:
 * executions of 3,000 operations and 256 KB payloads among ordinary ones). Each export runs in its
 * own process: the built CLI (`run-cli-export.ts`), so its peak RSS is its own. Prints one JSON line per
 * size (also to `--json <file>`); `npm run bench` (`all.ts`) writes the figures into
 * docs/PERFORMANCE.md with the other cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServiceProcess } from '../scripts/demo/service-process.js';
import { downloadLake } from '../src/lake/download-lake.js';
import { localS3Environment, startLocalS3 } from '../src/local/local-s3.js';
import { type AppendRate, duckdbAppendRate } from './duckdb-append-rate.js';
import { duckdbWriteRate } from './duckdb-write-rate.js';
import { heavyDataSet } from './heavy-executions.js';
import { isMain } from './is-main.js';
import { type ChildRun, runCliExport } from './run-cli-export.js';

/** One size of the memory bench: the export's own summary figures and its peak RSS. */
export interface MemoryRun extends ChildRun {
  rows: number;
  rowsPerSecond: number;
  /**
   * Smallest size only: the same export again with `NODE_OPTIONS` set to `TUNED_NODE_OPTIONS` (a
   * young generation the CLI cannot shrink once started; README "Configuration", Memory).
   */
  tuned?: { nodeOptions: string; maxRssMiB: number; durationMs: number };
  /** DuckDB writing the same rows to Parquet in the same run (`duckdb-write-rate.ts`), smallest size only. */
  duckdb?: { rows: number; ms: number; rowsPerSecond: number };
  /** DuckDB from the same rows as JavaScript objects: appender, then COPY (`duckdb-append-rate.ts`), smallest size only. */
  duckdbFromRows?: AppendRate;
}

/** Node's flags for the `tuned` run: 4 MiB semi-spaces instead of V8's 16 on this machine. */
export const TUNED_NODE_OPTIONS = '--max-semi-space-size=4';

/** The sizes at `BENCH_SCALE` (1: 100k and 1M rows; 10 adds 10M). */
export function memorySizes(scale: number): number[] {
  return [100_000, 1_000_000, ...(scale >= 10 ? [10_000_000] : [])];
}

/** Exports each size in its own CLI process to local S3 and measures it. */
export async function runMemoryBench(sizes: readonly number[]): Promise<MemoryRun[]> {
  const cli = join(import.meta.dirname, '..', 'bin', 'durable-export.js');
  const work = await mkdtemp(join(tmpdir(), 'bench-memory-'));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const results: MemoryRun[] = [];
  try {
    const s3 = await startLocalS3({ directory: join(work, 's3'), buckets: ['bench'] });
    try {
      for (const size of sizes) {
        const data = heavyDataSet(size);
        const file = join(work, `data-${size}.json`);
        await writeFile(file, JSON.stringify(data.executions));
        const service = await startServiceProcess(cli, ['--data', file], 300_000);
        try {
          const run = await runCliExport(service.url, `s3://bench/m${size}`, localS3Environment(s3.endpoint));
          const result: MemoryRun = {
            ...run,
            rows: data.rows,
            rowsPerSecond: Math.round(data.rows / (run.durationMs / 1000)),
          };
          if (size === sizes[0]) {
            const env = { ...localS3Environment(s3.endpoint), NODE_OPTIONS: TUNED_NODE_OPTIONS };
            const tuned = await runCliExport(service.url, `s3://bench/m${size}-tuned`, env);
            result.tuned = {
              nodeOptions: TUNED_NODE_OPTIONS,
              maxRssMiB: tuned.maxRssMiB,
              durationMs: tuned.durationMs,
            };
            // The CPU case, on the smallest size: DuckDB writing the rows this run exported.
            const lake = join(work, `lake-${size}`);
            await downloadLake(s3.client(), 'bench', `m${size}`, lake);
            result.duckdb = await duckdbWriteRate(lake);
            result.duckdbFromRows = await duckdbAppendRate(lake);
            await rm(lake, { recursive: true, force: true });
          }
          results.push(result);
          console.log(JSON.stringify(result));
        } finally {
          await service.close();
          await rm(file, { force: true });
        }
      }
    } finally {
      await s3.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return results;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, json: { type: 'string' } } });
  const sizes = values.rows
    ? values.rows.split(',').map(Number)
    : memorySizes(Number(process.env.BENCH_SCALE ?? '1'));
  const results = await runMemoryBench(sizes);
  if (values.json) await writeFile(values.json, `${JSON.stringify(results, null, 2)}\n`);
}
