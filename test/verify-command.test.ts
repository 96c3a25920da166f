import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const AWS_ENV = LOCAL_AWS_ENV;
const BUCKET = 'verify-lake';

/** Data files (relative keys) of a local lake, sorted. */
async function dataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith('.parquet') && !e.split('/').some((s) => s.startsWith('_'))).sort();
}

describe('durable-export verify', () => {
  const servers = useTestServers('verify-');
  let service: RunningLocalService;
  let s3: LocalS3;
  const source = generateSyntheticExecutions({ count: 16, seed: 8, functionNames: ['orders'] });

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    s3 = await servers.localS3(BUCKET);
  });

  const exportTo = (out: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    runCli(['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', service.url, ...extra], {
      ...AWS_ENV,
      DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '5',
      ...env,
    });

  it('passes an intact lake (exit 0) and names each missing, extra and corrupt file (exit 1)', async () => {
    const lake = join(servers.work, 'lake');
    expect((await exportTo(lake)).code).toBe(0);
    const ok = await runCli(['verify', '--out', lake], AWS_ENV);
    expect(ok.stdout).toContain('verify: OK');
    expect(ok.code).toBe(0);

    const files = await dataFiles(lake);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const [missing, corrupt, copied] = files as [string, string, string];
    await rm(join(lake, missing));
    const bytes = await readFile(join(lake, corrupt));
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff; // same size, different content
    await writeFile(join(lake, corrupt), bytes);
    const extra = copied.replace(/part-[0-9a-f]+\.parquet$/, 'part-stray.parquet');
    await copyFile(join(lake, copied), join(lake, extra));

    const bad = await runCli(['verify', '--out', lake], AWS_ENV);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`MISSING +${missing}: listed by _manifests/`));
    expect(bad.stdout).toMatch(new RegExp(`CORRUPT +${corrupt}: SHA-256 [0-9a-f]{64}, manifest says`));
    expect(bad.stdout).toMatch(new RegExp(`EXTRA +${extra}: in no manifest`));
    expect(bad.stdout).toContain('verify: FAILED (1 missing, 1 extra, 1 corrupt)');
  });

  it('checks an S3 lake the same way, reading each file with DuckDB from a temporary copy', async () => {
    const endpoint = ['--endpoint-url-s3', s3.endpoint];
    expect((await exportTo(`s3://${BUCKET}/lake`, endpoint)).code).toBe(0);
    const json = join(servers.work, 'report.json');
    const ok = await runCli(['verify', '--out', `s3://${BUCKET}/lake`, ...endpoint, '--json', json], AWS_ENV);
    expect(ok.stdout).toContain('hyparquet and DuckDB');
    expect(ok.code).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.filesOk).toBe(report.filesExpected);
    expect(report.rows.operations).toBe(source.reduce((n, e) => n + e.expectedOperations.length, 0));

    // Replace a committed object behind the tool's back (s3rver has no Object Lock): truncated.
    const client = s3.client();
    const victim = (await dataFilesOnS3()).at(-1) as string;
    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: victim }));
    const body = await (
      object.Body as { transformToByteArray(): Promise<Uint8Array> }
    ).transformToByteArray();
    await client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: victim, Body: body.subarray(0, body.length - 100) }),
    );
    const bad = await runCli(['verify', '--out', `s3://${BUCKET}/lake`, ...endpoint], AWS_ENV);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`CORRUPT +${victim}: size \\d+ bytes, manifest says \\d+`));
  });

  it('reports executions exported twice by two overlapping jobs as duplicates', async () => {
    const lake = join(servers.work, 'overlap');
    expect((await exportTo(lake)).code).toBe(0);
    // Another job (another window) over the same executions: each job is idempotent, not the pair.
    // (With the same batch size its batches would name the same files and adopt them instead.)
    // --force-reexport: without it, the export index skips the executions the first job exported.
    const other = await exportTo(lake, ['--started-after', '2000-01-01T00:00:00Z', '--force-reexport'], {
      DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '4',
    });
    expect(other.code).toBe(0);
    const result = await runCli(['verify', '--out', lake, '--no-duckdb'], AWS_ENV);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/DUPLICATE .*execution\(s\) also in/);
    expect(result.stdout).toContain('manifests             2 (2 jobs)');
  });

  async function dataFilesOnS3(): Promise<string[]> {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const page = await s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'lake/' }));
    return (page.Contents ?? [])
      .map((o) => o.Key as string)
      .filter((k) => k.endsWith('.parquet') && !k.includes('/_'))
      .sort();
  }
});
