import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/s3-client.js';
import { LOCAL_S3_CREDENTIALS } from './local-s3-credentials.js';
import { resolveS3rver, s3rverChildArgs } from './s3rver-process.js';

export { LOCAL_S3_CREDENTIALS };

/** The environment variables that point durable-export (and the AWS CLI) at a local S3. */
export function localS3Environment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
  };
}

export interface StartLocalS3Options {
  /** Where s3rver keeps buckets and objects (default: a fresh temp dir, removed on close). */
  readonly directory?: string;
  /** Port on 127.0.0.1 (default 0: a free port). */
  readonly port?: number;
  /** Buckets to create before the server listens (existing ones are kept). */
  readonly buckets?: readonly string[];
  /** How long to wait for the server to listen (default 15 s). */
  readonly startTimeoutMs?: number;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  /** Process id of the s3rver child. */
  readonly pid: number;
  /** An S3 client for this server (path style, S3RVER credentials, checksums when required). */
  client(): S3Client;
  /** Creates a bucket on this server. */
  createBucket(bucket: string): Promise<void>;
  /** Stops the server (and removes its directory if it was a temp dir). Idempotent. */
  close(): Promise<void>;
}

/** An S3 client for a local s3rver endpoint. */
export function localS3Client(endpoint: string): S3Client {
  return createS3Client({ endpoint, region: 'us-east-1', credentials: LOCAL_S3_CREDENTIALS });
}

/** Creates `bucket` with `client`. */
async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/**
 * Starts s3rver 3.7.1 in a child Node process (`s3rver-process.ts`) on 127.0.0.1 and a free port
 * (or `port`), and resolves once it listens. The child is killed by `close()`, when this process
 * exits, and (via its stdin) if this process dies without exiting cleanly.
 *
 * @throws ConfigError when s3rver is not installed (the published package does not need it).
 *
 * @example
 * const s3 = await startLocalS3();
 * await s3.createBucket('lake');
 * // ... createS3Client({ endpoint: s3.endpoint, credentials: LOCAL_S3_CREDENTIALS }) ...
 * await s3.close();
 */
export async function startLocalS3(options: StartLocalS3Options = {}): Promise<LocalS3> {
  const s3rver = resolveS3rver();
  const ownDirectory = options.directory === undefined;
  const directory = options.directory
    ? resolve(options.directory)
    : await mkdtemp(join(tmpdir(), 'local-s3-'));
  const input = { s3rver, directory, port: options.port ?? 0, buckets: options.buckets ?? [] };
  const child = spawn(process.execPath, s3rverChildArgs(input), { stdio: ['pipe', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  let port: number;
  try {
    port = await waitForPort(child, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    process.off('exit', killOnExit);
    await stopChild(child);
    if (ownDirectory) await rm(directory, { recursive: true, force: true });
    throw error;
  }
  // Do not keep the parent alive for the server's sake; the exit hook still stops it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as { unref?: () => void }).unref?.();

  const endpoint = `http://127.0.0.1:${port}`;
  let client: S3Client | undefined;
  let closing: Promise<void> | undefined;
  const getClient = () => {
    client ??= localS3Client(endpoint);
    return client;
  };
  return {
    endpoint,
    port,
    directory,
    pid: child.pid as number,
    client: getClient,
    createBucket: (bucket) => createBucket(getClient(), bucket),
    close() {
      closing ??= (async () => {
        client?.destroy();
        process.off('exit', killOnExit);
        await stopChild(child);
        if (ownDirectory) await rm(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** Reads `{"port":N}` from the child's stdout; rejects with its stderr if it exits or times out. */
function waitForPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-4000);
    });
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`local S3 (s3rver) did not start: ${why}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no port reported within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`the process exited (${signal ?? `code ${code}`})`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const port = portOf(line);
      if (port === undefined) return;
      clearTimeout(timer);
      lines.close();
      child.stdout?.resume(); // keep draining whatever else it prints
      resolvePort(port);
    });
  });
}

function portOf(line: string): number | undefined {
  try {
    const port = (JSON.parse(line) as { port?: unknown }).port;
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined; // not the readiness line
  }
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
