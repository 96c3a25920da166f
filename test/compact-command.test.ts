import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadLake } from '../src/lake/download-lake.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { openLakeSession } from '../src/query/lake-session.js';
import { startPreconditionProxy } from './sink-precondition-proxy.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/** Data files (relative keys) of a local lake, sorted. */
async function dataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith('.parquet') && !e.split('/').some((s) => s.startsWith('_'))).sort();
}

describe('durable-export compact', () => {
  const servers = useTestServers('compact-');
  let service: RunningLocalService;
  const source = generateSyntheticExecutions({ count: 12, seed: 31, functionNames: ['orders'] });

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
  });

  const exportTo = (out: string, batch: number, extra: string[] = []) =>
    runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--no-progress',
        ...extra,
      ],
      {
        ...LOCAL_AWS_ENV,
        DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: String(batch),
      },
    );

  it('rewrites small files into few, keeps one version of each row, and verify and query agree', async () => {
    const lake = join(servers.work, 'lake');
    expect((await exportTo(lake, 1)).code).toBe(0);
    // A second job (another window) exports the same executions again in other files: doubled rows
    // (--force-reexport: the export index would skip them otherwise).
    expect(
      (await exportTo(lake, 5, ['--started-after', '2000-01-01T00:00:00Z', '--force-reexport'])).code,
    ).toBe(0);
    const before = await dataFiles(lake);
    const doubled = await runCli(['verify', '--out', lake, '--no-duckdb'], LOCAL_AWS_ENV);
    expect(doubled.stdout).toContain('DUPLICATE');

    const compact = await runCli(['compact', '--out', lake, '--before', '2100-01-01'], LOCAL_AWS_ENV);
    expect(compact.stderr).toBe('');
    expect(compact.code).toBe(0);
    expect(compact.stdout).toMatch(/operations\/dt=\S+: \d+ files \(\d+ bytes\) -> 1 \(\d+ bytes\)/);
    const after = await dataFiles(lake);
    expect(after.length).toBeLessThan(before.length / 4);

    const ok = await runCli(['verify', '--out', lake], LOCAL_AWS_ENV);
    expect(ok.stdout).toContain('verify: OK');
    expect(ok.code).toBe(0);
    expect(await compareLakeWithSource(lake, source)).toEqual(noDifference(source));

    const again = await runCli(['compact', '--out', lake, '--before', '2100-01-01'], LOCAL_AWS_ENV);
    expect(again.stdout).toContain('nothing to compact');
    expect(await dataFiles(lake)).toEqual(after);
  }, 60_000);

  it('on S3, keeps the files Object Lock protects as superseded, and verify and query ignore them', async () => {
    const bucket = 'compact-lake';
    const s3 = await servers.localS3(bucket);
    const proxy = servers.own(
      await startPreconditionProxy(s3.endpoint, { locked: (path) => path.includes('/executions/dt=') }),
    );
    const out = `s3://${bucket}/lake`;
    const s3Flags = ['--endpoint-url-s3', proxy.endpoint];
    expect((await exportTo(out, 2, s3Flags)).code).toBe(0);

    const compact = await runCli(
      ['compact', '--out', out, '--before', '2100-01-01', ...s3Flags],
      LOCAL_AWS_ENV,
    );
    expect(compact.code, compact.stderr).toBe(0);
    expect(compact.stdout).toMatch(/KEPT \S+\/executions\/dt=\S+: superseded, not deleted \(AccessDenied/);
    expect(compact.stdout).not.toMatch(/KEPT \S+\/operations\//);
    const ok = await runCli(['verify', '--out', out, ...s3Flags], LOCAL_AWS_ENV);
    expect(ok.stdout).toContain('verify: OK');
    expect(ok.stdout).toMatch(
      /compactions +\d+ \(skipped: \d+ superseded files still in the lake, 0 new files/,
    );

    const dir = join(servers.work, 'copy');
    await downloadLake(s3.client(), bucket, 'lake', dir);
    const session = await openLakeSession(dir);
    try {
      const { rows } = await session.query('SELECT count(*), count(DISTINCT execution_arn) FROM executions');
      expect(rows.map((row) => row.map(Number))).toEqual([[source.length, source.length]]);
    } finally {
      session.close();
    }
    const again = await runCli(
      ['compact', '--out', out, '--before', '2100-01-01', ...s3Flags],
      LOCAL_AWS_ENV,
    );
    expect(again.stdout).toContain('KEPT');
    expect(again.stdout).toContain('nothing to compact');
  }, 60_000);

  it('rejects a bad day', async () => {
    const result = await runCli(
      ['compact', '--out', join(servers.work, 'x'), '--dt', '2026-13-01'],
      LOCAL_AWS_ENV,
    );
    expect(result.code).toBe(2);
  });
});
