/**
 * `npm run bench:compaction [-- --executions 1200]`
 *
 * Compaction of a day of many small files: the local durable-execution service serves N synthetic
 * executions (spread over 3 days), `export` writes them one execution per batch (one small file per
 * execution and table), then `compact --dt <the day with most files>` runs under `/usr/bin/time -v`.
 * Prints files and bytes of that day before and after, the time taken and the peak RSS, and checks
 * the result with `verify`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServiceProcess } from '../scripts/demo/service-process.js';

const { values } = parseArgs({ options: { executions: { type: 'string', default: '1200' } } });
const cli = join(import.meta.dirname, '..', 'bin', 'durable-export.js');
const work = await mkdtemp(join(tmpdir(), 'bench-compaction-'));
const lake = join(work, 'lake');
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '1',
  DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '5000',
};

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Data files and bytes per day (both tables), e.g. `{ '2026-01-02': { files: 800, bytes: ... } }`. */
async function days(): Promise<Map<string, { files: number; bytes: number }>> {
  const byDay = new Map<string, { files: number; bytes: number }>();
  for (const entry of await readdir(lake, { recursive: true })) {
    const dt = /(?:^|\/)dt=([^/]+)\/[^/_][^/]*\.parquet$/.exec(entry)?.[1];
    if (!dt || entry.startsWith('_')) continue;
    const day = byDay.get(dt) ?? { files: 0, bytes: 0 };
    day.files++;
    day.bytes += (await stat(join(lake, entry))).size;
    byDay.set(dt, day);
  }
  return byDay;
}

try {
  const service = await startServiceProcess(cli, ['--synthetic', values.executions, '--seed', '1']);
  try {
    const functions = ['orders', 'payments'].flatMap((f) => ['-f', f]);
    const exported = await run(process.execPath, [
      cli,
      'export',
      ...functions,
      '--out',
      lake,
      '--endpoint-url-lambda',
      service.url,
      '--no-progress',
    ]);
    if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  } finally {
    await service.close();
  }
  const [dt, before] = [...(await days())].sort((a, b) => b[1].files - a[1].files)[0] ?? [];
  if (!dt || !before) throw new Error('the export wrote no files');
  const started = Date.now();
  const compacted = await run('/usr/bin/time', [
    '-v',
    process.execPath,
    cli,
    'compact',
    '--out',
    lake,
    '--dt',
    dt,
  ]);
  const seconds = (Date.now() - started) / 1000;
  if (compacted.code !== 0) throw new Error(`compact failed: ${compacted.stderr}`);
  const rssKiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(compacted.stderr)?.[1]);
  const after = (await days()).get(dt) ?? { files: 0, bytes: 0 };
  const verified = await run(process.execPath, [cli, 'verify', '--out', lake, '--no-duckdb']);
  console.log(compacted.stdout.trim());
  console.log(
    `\n| day | files before | bytes before | files after | bytes after | time (s) | peak RSS (MiB) | verify |\n|---|---|---|---|---|---|---|---|\n| ${dt} | ${before.files} | ${before.bytes} | ${after.files} | ${after.bytes} | ${seconds.toFixed(2)} | ${Math.round(rssKiB / 1024)} | ${verified.code === 0 ? 'OK' : 'FAILED'} |`,
  );
  if (verified.code !== 0) throw new Error(`verify failed after compact:\n${verified.stdout}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
