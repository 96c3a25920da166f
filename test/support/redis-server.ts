import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A `redis-server` of its own for a test: on a free port, nothing saved to disk. */
export interface RunningRedis {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, for `--limiter`. */
  readonly url: string;
  /** Ends the server at once (SIGKILL), as a crash or a lost network would: nothing is flushed. */
  kill(): Promise<void>;
  /** Stops the server if it still runs. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port <free> --save '' --appendonly no` as a child process and resolves once
 * it accepts commands. A machine without `redis-server` fails here, naming the package to install
 * (`make test` installs it): the shared-limiter tests never skip silently.
 */
export async function startRedisServer(): Promise<RunningRedis> {
  const binary = redisServerPath();
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  await ready(child, () => output);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return { port, url: `redis://127.0.0.1:${port}`, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

function redisServerPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'redis-server is not installed: `make test` installs it (apt-get install -y redis-server), or install the Debian package redis-server',
    );
  }
}

async function ready(child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!/Ready to accept connections/.test(output())) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start within 10 s: ${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
