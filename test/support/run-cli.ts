import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves when the process ended; `signal` is set when it was killed. */
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts the CLI as a child process, as a user would run it: the built `bin/durable-export.js`
 * (as `npx durable-export`), or with `fromSource` `node --import tsx src/cli/main.ts`, which needs
 * no fresh build. The child gets only PATH, HOME and `env`: no credentials leak in from the runner.
 */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { fromSource?: boolean } = {},
): RunningCli {
  const entry = options.fromSource
    ? ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')]
    : [join(root, 'bin', 'durable-export.js')];
  if (!options.fromSource && !existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (make test does) before the CLI tests');
  }
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs the built CLI to the end. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** Runs the CLI from source to the end (no build needed). */
export async function runCliFromSource(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startCli(args, env, { fromSource: true }).done;
}

/**
 * Waits for a started CLI to end. A run still going after `guardMs` is a hang: it is killed with
 * SIGKILL and `hung` is true, so a test can fail on it instead of leaving the process behind.
 */
export async function endedWithin(
  run: RunningCli,
  guardMs: number,
): Promise<CliResult & { signal: NodeJS.Signals | null; hung: boolean }> {
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    run.child.kill('SIGKILL');
  }, guardMs);
  const result = await run.done;
  clearTimeout(guard);
  return { ...result, hung };
}

/** Polls `condition` every 20 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
