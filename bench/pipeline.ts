/**
 * `npm run bench:pipeline [-- --executions 1000 --runs 2]`
 *
 * The whole export measured against its own reference in the same run: the local
 * durable-execution service runs in a child process with N synthetic executions; then, each in
 * its own child process and alternating, `fetch` (list + history + fold, no Parquet) and `export`
 * (the full pipeline to local Parquet files). The ratio export/fetch is what transform + encode +
 * write add; peak RSS at two sizes shows whether memory stays bounded as executions grow.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServiceProcess } from '../scripts/demo/service-process.js';

interface Run {
  mode: string;
  executions: number;
  operations: number;
  durationMs: number;
  maxRssMiB: number;
}

const { values } = parseArgs({
  options: { executions: { type: 'string', default: '1000' }, runs: { type: 'string', default: '2' } },
});
const sizes = [Number(values.executions) / 4, Number(values.executions)].map(Math.round);
const runs = Number(values.runs);
const cli = join(import.meta.dirname, '..', 'bin', 'durable-export.js');
const work = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const rows: string[] = [];
try {
  for (const size of sizes) {
    const service = await startServiceProcess(cli, ['--synthetic', String(size), '--seed', '1']);
    try {
      const results: Record<string, Run[]> = { fetch: [], export: [] };
      for (let i = 0; i < runs; i++) {
        for (const mode of ['fetch', 'export'] as const) {
          results[mode]?.push(await child(mode, service.url, join(work, `${size}-${mode}-${i}`)));
        }
      }
      const best = (mode: string) =>
        (results[mode] ?? []).reduce((a, b) => (a.durationMs <= b.durationMs ? a : b));
      const fetch = best('fetch');
      const exp = best('export');
      for (const r of [fetch, exp]) {
        rows.push(
          `| ${size} | ${r.mode} | ${r.operations} | ${(r.durationMs / 1000).toFixed(2)} | ${Math.round(r.executions / (r.durationMs / 1000))} | ${Math.round(r.operations / (r.durationMs / 1000))} | ${(r.durationMs / fetch.durationMs).toFixed(2)} | ${Math.round(r.maxRssMiB)} |`,
        );
      }
    } finally {
      await service.close();
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(
  `Pipeline benchmark, ${cpus().length} cores, Node ${process.version}, best of ${runs} runs per mode.\n`,
);
console.log(
  '| executions | mode | operations | seconds | executions/s | operations/s | time vs fetch | peak RSS MiB |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) console.log(row);

function child(mode: string, url: string, out: string): Promise<Run> {
  const script = join(import.meta.dirname, 'pipeline-child.ts');
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, mode, url, out, '16'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`${mode} child exited with ${code}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Run);
    });
  });
}
