/**
 * `npm run bench:encoders [-- --rows 200000 --row-group 50000 --runs 1 --seed 42 --out-dir DIR]`
 *
 * Compares our ParquetFileWriter (hyparquet-writer) with parquetjs-lite (the design card's
 * choice) on deterministic operation-shaped rows. Each encoder runs in its own child process, one
 * after the other, so peak RSS (`VmHWM`, `peak-rss.ts`) is its own; a generate-only child
 * gives the generator's share of time and memory. Every file is read back with DuckDB (row count
 * and column sums against the generator's) and the figures are printed as a markdown table, with
 * ratios against parquetjs-lite from the same run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ENCODERS, type EncodeResult, type Encoder } from './encode-result.js';
import { checkWithDuckDB, type ReadBackCheck } from './parquet-check.js';

interface Measured extends EncodeResult {
  readonly fileBytes: number;
  readonly check: ReadBackCheck | undefined;
}

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    'row-group': { type: 'string', default: '50000' },
    runs: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    'out-dir': { type: 'string' },
  },
});
const rows = Number(flags.rows);
const rowGroup = Number(flags['row-group']);
const runs = Number(flags.runs);
for (const [name, value] of Object.entries({ rows, rowGroup, runs })) {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${value}`);
}

function runChild(encoder: Encoder, out: string): Promise<EncodeResult> {
  const child = join(import.meta.dirname, 'encode-child.ts');
  const args = ['--import', 'tsx', child, encoder, String(rows), String(rowGroup), out, String(flags.seed)];
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    proc.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${encoder} child exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as EncodeResult);
    });
  });
}

async function measure(encoder: Encoder, dir: string, run: number): Promise<Measured> {
  const out = join(dir, `${encoder}-${run}.parquet`);
  const result = await runChild(encoder, out);
  if (encoder === 'generate-only') return { ...result, fileBytes: 0, check: undefined };
  const fileBytes = (await stat(out)).size;
  const check = await checkWithDuckDB(out, result.checksum);
  if (!check.ok) throw new Error(`${encoder} read-back mismatch: ${check.mismatches.join('; ')}`);
  await rm(out);
  return { ...result, fileBytes, check };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? Number.NaN;
const range = (xs: number[], digits: number) => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
const thousands = (n: number) => `${(n / 1000).toFixed(1)}k`;

function table(results: Measured[]): string {
  const of = (e: Encoder) => results.filter((r) => r.encoder === e);
  const generation = median(of('generate-only').map((r) => r.seconds));
  const stats = (e: Encoder) => {
    const rs = of(e);
    const seconds = median(rs.map((r) => r.seconds));
    return {
      rs,
      rate: rows / seconds,
      encodeRate: rows / Math.max(seconds - generation, 1e-9),
      rss: median(rs.map((r) => r.maxRssMiB)),
      mib: median(rs.map((r) => r.fileBytes)) / 2 ** 20,
    };
  };
  const base = stats('parquetjs-lite');
  const lines = [
    '| encoder | rows/s | rows/s excl. generation | × parquetjs-lite (excl. gen.) | peak RSS MiB | × | file MiB | × | `start_timestamp` in DuckDB | read-back |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const encoder of ENCODERS) {
    const s = stats(encoder);
    const rateRange = range(
      s.rs.map((r) => rows / r.seconds / 1000),
      1,
    );
    const rssRange = range(
      s.rs.map((r) => r.maxRssMiB),
      0,
    );
    if (encoder === 'generate-only') {
      lines.push(`| generator only (baseline) | ${rateRange}k | – | – | ${rssRange} | – | – | – | – | – |`);
      continue;
    }
    const check = s.rs.every((r) => r.check?.ok) ? `${rows} rows, sums equal` : 'MISMATCH';
    lines.push(
      `| ${encoder} | ${rateRange}k | ${thousands(s.encodeRate)} | ${(s.encodeRate / base.encodeRate).toFixed(2)} | ` +
        `${rssRange} | ${(s.rss / base.rss).toFixed(2)} | ${s.mib.toFixed(1)} | ${(s.mib / base.mib).toFixed(2)} | ` +
        `${s.rs[0]?.check?.timestampType} | ${check} |`,
    );
  }
  return lines.join('\n');
}

const dir = flags['out-dir'] ?? (await mkdtemp(join(tmpdir(), 'bench-encoders-')));
try {
  const results: Measured[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const encoder of ENCODERS) {
      const m = await measure(encoder, dir, run);
      results.push(m);
      process.stderr.write(
        `run ${run}/${runs} ${encoder}: ${m.seconds.toFixed(2)} s, ${(rows / m.seconds / 1000).toFixed(1)}k rows/s, ` +
          `${m.maxRssMiB.toFixed(0)} MiB RSS, ${(m.fileBytes / 2 ** 20).toFixed(1)} MiB\n`,
      );
    }
  }
  const cpu = cpus();
  console.log(
    `${rows} operation rows (seed ${flags.seed}), row groups of ${rowGroup}, SNAPPY, ${runs} run(s), one child process per encoder; ` +
      `${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}\n`,
  );
  console.log(table(results));
} finally {
  if (!flags['out-dir']) await rm(dir, { recursive: true, force: true });
}
