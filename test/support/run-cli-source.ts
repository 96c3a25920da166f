import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CliResult } from './run-cli.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the CLI from source (`node --import tsx src/cli/main.ts`) as a child process, so a test sees
 * exactly what a user would (stdout, stderr, exit code) without needing a fresh `npm run build`.
 * The child gets only PATH, HOME and `env`: no credentials leak in from the test runner.
 */
export function runCliFromSource(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
