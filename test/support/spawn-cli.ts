import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CliResult } from './run-cli.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'durable-export.js');

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves when the process ended; `signal` is set when it was killed. */
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI as a child process that the test can kill (see run-cli.ts for the plain run). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (make test does) before the CLI tests');
  }
  const child = spawn(process.execPath, [bin, ...args], {
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
