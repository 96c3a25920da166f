/**
 * Bad input catalog, part 1: flags, configuration and output locations. Each case runs the CLI
 * against a lake that already holds a good export, asserts a clear message naming the item and the
 * exit code, and checks that every file of the earlier export is still there, byte for byte.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { s3Error } from './support/fault-responses.js';
import { damaged, snapshotFiles } from './support/lake-snapshot.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const ENV = LOCAL_AWS_ENV;
const BUCKET = 'bad-input-lake';

describe('bad input: flags, configuration and output', () => {
  const servers = useTestServers('bad-usage-');
  let lake: string;
  let service: RunningLocalService;
  let s3: LocalS3;
  let deny: FaultProxy;
  let before: { local: Map<string, string>; s3: Map<string, string> };

  /** Runs `export` against the service; `out` defaults to the good lake. */
  const exportCli = (args: string[], out = lake, extra: { s3?: string } = {}) =>
    runCli(
      [
        'export',
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--requests-per-second',
        '500',
        ...args,
      ].concat(['--endpoint-url-s3', extra.s3 ?? s3.endpoint]),
      ENV,
    );
  const configFile = async (name: string, content: unknown) => {
    const file = join(servers.work, name);
    await writeFile(file, JSON.stringify(content));
    return file;
  };

  beforeAll(async () => {
    lake = join(servers.work, 'lake');
    service = await servers.localService({
      executions: generateSyntheticExecutions({ count: 6, seed: 91, functionNames: ['orders'] }),
    });
    s3 = await servers.localS3(BUCKET);
    // Writes to the bucket are refused, as S3 does without s3:PutObject.
    deny = servers.own(
      await startFaultProxy({
        upstream: s3.endpoint,
        service: 's3',
        seed: 0,
        respond: ({ method }) =>
          method === 'PUT' || method === 'POST' ? s3Error(403, 'AccessDenied', 'Access Denied') : undefined,
      }),
    );
    for (const out of [lake, `s3://${BUCKET}/good`]) {
      const good = await exportCli(['-f', 'orders'], out);
      expect(good.code, good.stderr).toBe(0);
    }
    before = { local: await snapshotFiles(lake), s3: await snapshotFiles(join(servers.work, 's3')) };
    expect(before.local.size).toBeGreaterThan(1);
  }, 60_000);

  /** The earlier export is intact in both lakes. */
  async function expectLakesIntact(): Promise<void> {
    expect(damaged(before.local, await snapshotFiles(lake))).toEqual([]);
    expect(damaged(before.s3, await snapshotFiles(join(servers.work, 's3')))).toEqual([]);
  }

  const usageCases: [string, () => Promise<string[]>, RegExp][] = [
    [
      'a malformed function ARN',
      async () => ['-f', 'arn:aws:lambda:us-east-1:12345:function:orders'],
      /invalid function "arn:aws:lambda:us-east-1:12345:function:orders": expected a function name .* or a function ARN/,
    ],
    [
      'a window whose start is after its end',
      async () => [
        '-f',
        'orders',
        '--started-after',
        '2026-02-01T00:00:00Z',
        '--started-before',
        '2026-01-01T00:00:00Z',
      ],
      /--started-after 2026-02-01T00:00:00Z is not before --started-before 2026-01-01T00:00:00Z: the window is empty/,
    ],
    [
      'a date that is not ISO-8601',
      async () => ['-f', 'orders', '--started-after', 'yesterday'],
      /invalid --started-after: expected an ISO-8601 date .*, got "yesterday"/,
    ],
    [
      'an unknown config key',
      async () => [
        '-f',
        'orders',
        '--config',
        await configFile('unknown.json', { lambda: { pageSise: 10 } }),
      ],
      /invalid configuration in .*unknown\.json: unknown key "lambda\.pageSise"/,
    ],
    [
      'a wrong type in the config',
      async () => [
        '-f',
        'orders',
        '--config',
        await configFile('type.json', { lambda: { requestsPerSecond: 'fast' } }),
      ],
      /invalid configuration in .*type\.json: key "lambda\.requestsPerSecond": .*expected number/,
    ],
    [
      'MaxItems 0 (lambda.pageSize)',
      async () => ['-f', 'orders', '--config', await configFile('zero.json', { lambda: { pageSize: 0 } })],
      /key "lambda\.pageSize": Too small: expected number to be >=1/,
    ],
    [
      'MaxItems 5000 (lambda.pageSize)',
      async () => ['-f', 'orders', '--config', await configFile('big.json', { lambda: { pageSize: 5000 } })],
      /key "lambda\.pageSize": Too big: expected number to be <=1000/,
    ],
  ];
  for (const [name, args, message] of usageCases) {
    it(`${name}: exit 2, the item named, nothing written`, async () => {
      const result = await exportCli(await args());
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
      await expectLakesIntact();
    });
  }

  it('an S3 prefix with ".." or a leading "/": exit 2, naming the location', async () => {
    for (const out of [`s3://${BUCKET}/good/../x`, `s3://${BUCKET}//good`]) {
      const result = await exportCli(['-f', 'orders'], out);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`invalid --out "${out}"`);
    }
    await expectLakesIntact();
  });

  it('a bucket that does not exist: fatal (3) before any Lambda read, naming bucket and key', async () => {
    const requestsBefore = service.requestCount();
    const result = await exportCli(['-f', 'orders'], 's3://no-such-bucket/lake');
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /cannot write to s3:\/\/no-such-bucket\/lake\/_durable-export-write-probe-\S+ .*NoSuchBucket/,
    );
    expect(service.requestCount()).toBe(requestsBefore);
    await expectLakesIntact();
  });

  it('access denied on the bucket: fatal (3), naming bucket, key and the permission', async () => {
    const result = await exportCli(['-f', 'orders'], `s3://${BUCKET}/denied`, { s3: deny.endpoint });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      new RegExp(`cannot write to s3://${BUCKET}/denied/_durable-export-write-probe-\\S+ `),
    );
    expect(result.stderr).toContain('s3:PutObject');
    expect(result.stderr).toContain('AccessDenied');
    await expectLakesIntact();
  });

  it('an output directory that cannot be written: fatal (3), naming the directory', async () => {
    const blocker = join(servers.work, 'a-file');
    await writeFile(blocker, 'not a directory');
    const result = await exportCli(['-f', 'orders'], join(blocker, 'lake'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot write to output directory ${join(blocker, 'lake')}`);
    await expectLakesIntact();
  });
});
