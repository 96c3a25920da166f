import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LOCAL_S3_CREDENTIALS, type LocalS3, startLocalS3 } from '../../src/local/local-s3.js';
import {
  type LocalServiceOptions,
  type RunningLocalService,
  startLocalService,
} from '../../src/local/service/local-service.js';
import { type LocalStsOptions, type RunningLocalSts, startLocalSts } from '../../src/local/sts/local-sts.js';

/** Region and the only credentials s3rver accepts; the local durable service checks none. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
} as const;

/** Anything a test starts and must stop. */
interface Closable {
  close(): Promise<void>;
}

/**
 * The temp directory of a test file (or `describe`) and the servers it starts there: the local
 * durable service, local S3 (s3rver, its data under `work/s3`) and any proxy in front of them.
 * Registers a `beforeAll` that creates the directory and an `afterAll` that stops every server in
 * reverse order of start, then removes it; call it before the `beforeAll` that starts the servers.
 *
 * @example
 * const servers = useTestServers('crash-');
 * beforeAll(async () => {
 *   s3 = await servers.localS3(BUCKET);
 *   proxy = servers.own(await startPreconditionProxy(s3.endpoint));
 *   service = await servers.localService({ executions: source });
 * });
 * it('...', () => runCli(['export', '--out', join(servers.work, 'lake')]));
 */
export function useTestServers(prefix: string): TestServers {
  const servers = new TestServers(prefix);
  beforeAll(() => servers.open());
  afterAll(() => servers.close());
  return servers;
}

export class TestServers {
  private readonly closers: (() => Promise<void>)[] = [];
  private directory: string | undefined;

  constructor(private readonly prefix: string) {}

  /** `<tmpdir>/<prefix>XXXXXX`, created by the `beforeAll` of `useTestServers`. */
  get work(): string {
    if (this.directory === undefined) throw new Error(`${this.prefix}: the test servers are not open yet`);
    return this.directory;
  }

  /** Creates the temp directory. */
  async open(): Promise<void> {
    const work = await mkdtemp(join(tmpdir(), this.prefix));
    this.directory = work;
    this.closers.push(() => rm(work, { recursive: true, force: true }));
  }

  /** Stops `server` on `close()`, before everything started earlier. */
  own<T extends Closable>(server: T): T {
    this.closers.unshift(() => server.close());
    return server;
  }

  /** Starts the local durable-execution service. */
  async localService(options: LocalServiceOptions): Promise<RunningLocalService> {
    return this.own(await startLocalService(options));
  }

  /** Starts the local STS stand-in (AssumeRole for the roles given). */
  async localSts(options: LocalStsOptions): Promise<RunningLocalSts> {
    return this.own(await startLocalSts(options));
  }

  /** Starts local S3 with its data under `work/s3` and creates `buckets`. */
  async localS3(...buckets: string[]): Promise<LocalS3> {
    const s3 = this.own(await startLocalS3({ directory: join(this.work, 's3') }));
    for (const bucket of buckets) await s3.createBucket(bucket);
    return s3;
  }

  /** Stops every server (newest first) and removes the directory. Idempotent. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0)) await close();
  }
}
