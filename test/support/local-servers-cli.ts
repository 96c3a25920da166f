import { createServer } from 'node:net';
import type { RunningCli } from './run-cli.js';

/** A TCP port that was free a moment ago on 127.0.0.1 (for commands that take `--port N`). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * What a long-running CLI (`local-s3`, `local-service`) printed on stdout up to the first match of
 * `pattern`, and the match; rejects if it ends first or after `timeoutMs`.
 */
export function outputUntil(
  cli: RunningCli,
  pattern: RegExp,
  timeoutMs = 30_000,
): Promise<{ stdout: string; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${stdout}`)),
      timeoutMs,
    );
    cli.child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ stdout, match });
      }
    });
    cli.done.then((result) => {
      clearTimeout(timer);
      reject(new Error(`the CLI ended (${result.code}) before ${pattern}: ${stdout}${result.stderr}`));
    }, reject);
  });
}
