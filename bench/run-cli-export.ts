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
  /** Whether DuckDB's native library was loaded into the export. */
  duckdbLoaded: boolean;
  /**
   * With `BENCH_BLOCKED_SAMPLER=1`: the worker thread's highest RSS sample (bytes), when (ms after
   * start), and the main thread's silence then (ms).
   */
  blockedPeak?: { rss: number; atMs: number; mainSilentMs: number };
  timings?: Record<string, number>;
}

const CLI = join(import.meta.dirname, '..', 'bin', 'durable-export.js');
/**
 * Preloaded into the CLI: samples `process.memoryUsage()` every 50 ms on the main thread and, as
 * the process exits, writes to `$BENCH_RSS_FILE` its peak RSS (KiB: `VmHWM`, as `peak-rss.ts` reads it), the
 * main-thread sample of the highest RSS (bytes: how much was V8's heap, how much lay outside it),
 * and whether DuckDB's native library was loaded. With `BENCH_BLOCKED_SAMPLER=1`, a worker thread
 * samples RSS every 5 ms besides, through a blocked main event loop: `blockedPeak` is its highest
 * RSS, when it came (ms after the start) and how long the main thread had gone without a sample
 * then (its event loop was busy). Off by default: the worker's own isolate adds about 11 MiB to the
 * peak it measures.
 */
const RECORD_RSS = `data:text/javascript,${encodeURIComponent(
  [
    'import{readFileSync,writeFileSync}from"node:fs";import{Worker}from"node:worker_threads";',
    'const s=new Float64Array(new SharedArrayBuffer(32));let p={rss:0};',
    // Peak RSS as bench/peak-rss.ts reads it: VmHWM, or maxRSS where there is no /proc.
    'const proc=(f)=>{try{return readFileSync(f,"utf8")}catch{return""}};',
    'const hwm=()=>{const m=/^VmHWM:\\s+(\\d+)/m.exec(proc("/proc/self/status"));return m?Number(m[1]):process.resourceUsage().maxRSS};',
    'const now=()=>performance.timeOrigin+performance.now();',
    'setInterval(()=>{const m=process.memoryUsage();s[3]=now();if(m.rss>p.rss)p=m},50).unref();',
    'if(process.env.BENCH_BLOCKED_SAMPLER==="1")new Worker("const{workerData:s}=require(\\"node:worker_threads\\");setInterval(()=>{const r=process.memoryUsage.rss();',
    'if(r>s[0]){const t=performance.timeOrigin+performance.now();s[0]=r;s[1]=t;s[2]=t-s[3]}},5)",',
    '{eval:true,workerData:s}).unref();',
    'process.on("exit",()=>writeFileSync(process.env.BENCH_RSS_FILE,JSON.stringify({maxRssKiB:hwm(),atPeak:p,',
    'blockedPeak:s[0]>0?{rss:s[0],atMs:s[1]-performance.timeOrigin,mainSilentMs:s[2]}:undefined,',
    'duckdbLoaded:proc("/proc/self/maps").includes("duckdb")})))',
  ].join(''),
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
    const memory = JSON.parse(await readFile(rssFile, 'utf8')) as {
      maxRssKiB: number;
      atPeak: MemoryAtPeak;
      duckdbLoaded: boolean;
      blockedPeak: ChildRun['blockedPeak'];
    };
    return {
      executions: summary.executionsExported,
      operations: summary.operations,
      durationMs: summary.durationMs,
      maxRssMiB: memory.maxRssKiB / 1024,
      atPeak: memory.atPeak,
      duckdbLoaded: memory.duckdbLoaded,
      blockedPeak: memory.blockedPeak,
      timings: summary.timings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function nodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}
