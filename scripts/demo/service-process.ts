import { spawn } from 'node:child_process';

export interface ServiceProcess {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts `durable-export local-service` as a child process on a free port and waits for its URL
 * (at most `startTimeoutMs`: a large `--data` file takes a while to load).
 */
export function startServiceProcess(
  cli: string,
  args: string[],
  startTimeoutMs = 20_000,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [cli, 'local-service', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`local-service did not start within ${startTimeoutMs / 1000} s: ${out}`));
    }, startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local-service exited with ${code} before it was ready: ${out}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, close });
      }
    });
  });
}
