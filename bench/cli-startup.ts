import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMain } from './is-main.js';

/**
 * CLI start-up: wall time of the built CLI (`npm run build`) for commands that do little besides
 * starting, against `node -e ''` in the same run. Runs are interleaved (one of each command per
 * round) so that load from other jobs on the machine falls on every command alike; the figure is
 * the median of `--runs` (default 10). `npm run bench:cli-startup [-- --runs 10 --baseline DIR]`:
 * `--baseline` also measures the CLI built in another checkout (`DIR/bin/durable-export.js`, e.g.
 * the commit before a change), interleaved with this one, so both see the same load.
 */

const CLI = join(import.meta.dirname, '..', 'bin', 'durable-export.js');

export interface StartupCase {
  name: string;
  args: string[];
}

export interface StartupFigure {
  name: string;
  /** The baseline build's median, when one was given. */
  baselineMs?: number;
  medianMs: number;
  /** Median against the median of `node -e ''` in the same run. */
  ratio: number;
}

/** Wall time of one run of `node <args>`, in ms; rejects if it exits non-zero. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(performance.now() - start);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Starts `durable-export local-service` (a few synthetic executions) and resolves its URL. */
function startLocalService(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'local-service', '--synthetic', '5', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.on('exit', (code) => reject(new Error(`local-service exited ${code}`)));
  });
}

/** Measures each command `runs` times, interleaved, and returns the medians. */
export async function measureCliStartup(runs = 10, baseline?: string): Promise<StartupFigure[]> {
  const service = await startLocalService();
  const lake = await mkdtemp(join(tmpdir(), 'cli-startup-'));
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL_LAMBDA: service.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const commands = (cli: string): StartupCase[] => [
    { name: '--version', args: [cli, '--version'] },
    { name: '--help', args: [cli, '--help'] },
    { name: 'export --help', args: [cli, 'export', '--help'] },
    { name: 'ddl', args: [cli, 'ddl', '--out', 's3://lake/durable'] },
    { name: 'export --dry-run', args: [cli, 'export', '-f', 'orders', '--out', lake, '--dry-run'] },
  ];
  const node: StartupCase = { name: "node -e ''", args: ['-e', ''] };
  const ours = [node, ...commands(CLI)];
  const theirs = baseline ? commands(join(baseline, 'bin', 'durable-export.js')) : [];
  const times = new Map<StartupCase, number[]>([...ours, ...theirs].map((c) => [c, []]));
  try {
    for (let round = 0; round < runs; round++) {
      for (const [c, list] of times) list.push(await timeRun(c.args, env));
    }
  } finally {
    service.child.kill('SIGTERM');
    await rm(lake, { recursive: true, force: true });
  }
  const medianOf = (c: StartupCase | undefined) => (c ? median(times.get(c) ?? []) : undefined);
  const base = median(times.get(node) ?? []);
  return ours.map((c, i) => {
    const medianMs = median(times.get(c) ?? []);
    return {
      name: c.name,
      medianMs,
      ratio: medianMs / base,
      baselineMs: i === 0 ? base : medianOf(theirs[i - 1]),
    };
  });
}

/** A Markdown table of the figures. */
export function formatStartup(figures: readonly StartupFigure[]): string {
  const base = figures[0]?.medianMs ?? 1;
  const withBaseline = figures.some((f, i) => i > 0 && f.baselineMs !== undefined);
  const rows = figures.map((f) => {
    const before =
      withBaseline && f.baselineMs !== undefined
        ? ` ${Math.round(f.baselineMs)} | ${(f.baselineMs / base).toFixed(1)}x |`
        : '';
    return `| \`${f.name}\` |${before} ${Math.round(f.medianMs)} | ${f.ratio.toFixed(1)}x |`;
  });
  const header = withBaseline
    ? ['| command | baseline ms | baseline / node | ms | / node |', '| --- | ---: | ---: | ---: | ---: |']
    : ["| command | median ms | against `node -e ''` |", '| --- | ---: | ---: |'];
  return [...header, ...rows].join('\n');
}

if (isMain(import.meta.url)) {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 10;
  const baselineFlag = process.argv.indexOf('--baseline');
  const baseline = baselineFlag > 0 ? process.argv[baselineFlag + 1] : undefined;
  process.stdout.write(`${formatStartup(await measureCliStartup(runs, baseline))}\n`);
}
