import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One measured export: the CLI's own summary figures and the process's peak RSS. */
export interface ChildRun {
  executions: number;
  operations: number;
  durationMs: number;
  maxRssMiB: number;
  /** The sample of the highest RSS (every 50 ms). */
  atPeak: MemoryAtPeak;
  timings?: Record<string, number>;
}

const CLI = join(import.meta.dirname, '..', 'bin', 'durable-export.js');
/**
 * Preloaded into the CLI: samples `process.memoryUsage()` every 50 ms and, as the process exits,
 * writes to `$BENCH_RSS_FILE` its peak RSS (`resourceUsage().maxRSS`, KiB) and the sample of the
 * highest RSS (bytes): how much of the peak was V8's heap, and how much lay outside it.
 */
const RECORD_RSS = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";let p={rss:0};' +
    'setInterval(()=>{const m=process.memoryUsage();if(m.rss>p.rss)p=m},50).unref();' +
    'process.on("exit",()=>writeFileSync(process.env.BENCH_RSS_FILE,JSON.stringify({maxRssKiB:process.resourceUsage().maxRSS,atPeak:p})))',
)}`;

/** `process.memoryUsage()` at the sampled peak, in bytes. */
export interface MemoryAtPeak {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Runs the built CLI (`npm run build`), `durable-export export -f orders -f payments --out <out>`,
 * against the Lambda endpoint `url` at the default settings, with the rate limits lifted so the
 * service is the bottleneck; `env` adds e.g. the local S3 endpoint. `BENCH_NODE_FLAGS` adds Node
 * flags (e.g. `--cpu-prof`).
 */
export async function runCliExport(url: string, out: string, env: Record<string, string>): Promise<ChildRun> {
  const work = await mkdtemp(join(tmpdir(), 'bench-run-'));
  const summaryFile = join(work, 'summary.json');
  const rssFile = join(work, 'rss');
  const unlimited = 10_000;
  const rateLimits = { list: unlimited, history: unlimited, getExecution: unlimited, state: unlimited };
  let log = '';
  const args = ['export', '-f', 'orders', '-f', 'payments', '--out', out, '--endpoint-url-lambda', url];
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const proc = spawn(
        process.execPath,
        [
          '--import',
          RECORD_RSS,
          ...nodeFlags(),
          CLI,
          ...args,
          '--summary-json',
          summaryFile,
          '--no-progress',
        ],
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: {
            ...process.env,
            ...env,
            BENCH_RSS_FILE: rssFile,
            DURABLE_EXPORT_LAMBDA_RATE_LIMITS: JSON.stringify(rateLimits),
          },
        },
      );
      proc.stderr.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
      });
      proc.on('error', reject);
      proc.on('exit', resolve);
    });
    if (code !== 0) throw new Error(`durable-export ${args.join(' ')} exited with ${code}: ${log}`);
    const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
    const memory = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRssKiB: number; atPeak: MemoryAtPeak };
    return {
      executions: summary.executionsExported,
      operations: summary.operations,
      durationMs: summary.durationMs,
      maxRssMiB: memory.maxRssKiB / 1024,
      atPeak: memory.atPeak,
      timings: summary.timings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function nodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}
