/**
 * The local durable service in a process of its own, counting requests as they arrive, so the
 * test runner's own work (other tests, the workers' output) cannot delay the times it records:
 *   node --import tsx test/support/counting-service.ts <count> <seed> <function,function,...> [<ms>,<jitterMs>]
 * Serves `<count>` synthetic executions of the functions (answering after `ms` ± `jitterMs`, as a
 * service across a network does, when given), prints `{"url": ...}`, then one line
 * `<api> <ms>` per request as it arrives (ms on the wall clock, `performance.timeOrigin +
 * performance.now()`), until its stdin ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startLocalService } from '../../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../../src/local/synthetic/generate-executions.js';

export interface CountingService {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts this script as a child; `onRequest` gets each request's API and arrival (wall-clock ms). */
export async function startCountingService(
  args: { count: number; seed: number; functionNames: string[]; latency?: { ms: number; jitterMs: number } },
  onRequest: (api: string, at: number) => void,
): Promise<CountingService> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      String(args.count),
      String(args.seed),
      args.functionNames.join(','),
      args.latency ? `${args.latency.ms},${args.latency.jitterMs}` : '',
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`counting service exited (${code}) before it started`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line).url);
      else {
        const [api, at] = line.split(' ');
        onRequest(api ?? '', Number(at));
      }
    });
  });
  return {
    url,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      await exited;
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [count, seed, names, latency] = process.argv.slice(2);
  const [ms = 0, jitterMs = 0] = (latency ?? '').split(',').map(Number);
  const service = await startLocalService({
    executions: generateSyntheticExecutions({
      count: Number(count),
      seed: Number(seed),
      functionNames: String(names).split(','),
    }),
    latency: latency ? { ms, jitterMs } : undefined,
    onRequest: (api) => {
      process.stdout.write(`${api ?? 'unknown'} ${performance.timeOrigin + performance.now()}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ url: service.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    await service.close();
    process.exit(0);
  });
}
