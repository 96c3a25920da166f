import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { logLines } from './support/log-lines.js';
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const BUCKET = 'query-lake';
const PREFIX = 'exports/durable';
const LAKE = `s3://${BUCKET}/${PREFIX}`;

/**
 * `durable-export query` over an `s3://` lake (the built CLI, local S3 behind a recording proxy)
 * fetches only the data files the query reads: the tables it names, the `dt` partitions its WHERE
 * selects; and refuses, before fetching anything, a query over `--max-download-mb`.
 */
describe('query over an s3:// lake fetches only what the query reads (child process, local S3)', () => {
  const servers = useTestServers('query-s3-');
  let proxy: RecordingProxy;
  let env: NodeJS.ProcessEnv;
  /** Every object of the lake, relative to PREFIX. */
  let paths: string[];
  let local: string;

  /** The object paths (relative to PREFIX) the proxy saw fetched with GetObject, sorted. */
  const fetchedObjects = (): string[] =>
    proxy.requests
      .filter((r) => r.method === 'GET' && r.url.startsWith(`/${BUCKET}/${PREFIX}/`))
      .map((r) =>
        decodeURIComponent(new URL(r.url, 'http://x').pathname).slice(`/${BUCKET}/${PREFIX}/`.length),
      )
      .sort();
  /**
   * The data files fetched. Besides them a query reads only the small records that say which files
   * `compact` superseded: the manifests and `_state/compact-*`.
   */
  const fetched = (): string[] => {
    const objects = fetchedObjects();
    const bookkeeping = objects.filter((p) => p.startsWith('_'));
    expect(bookkeeping.every((p) => p.startsWith('_manifests/') || p.startsWith('_state/compact-'))).toBe(
      true,
    );
    return objects.filter((p) => !p.startsWith('_'));
  };
  const dataFiles = (prefix: string): string[] =>
    paths.filter((p) => p.startsWith(prefix) && p.endsWith('.parquet') && !p.includes('/_')).sort();

  beforeAll(async () => {
    local = join(servers.work, 'lake');
    await exportSyntheticLake(local, { count: 30, seed: 13, spanDays: 3 });
    const s3 = await servers.localS3(BUCKET);
    const client = s3.client();
    paths = (await readdir(local, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) =>
        join(e.parentPath, e.name)
          .slice(local.length + 1)
          .split(/[\\/]/)
          .join('/'),
      );
    for (const path of paths) {
      const body = await readFile(join(local, ...path.split('/')));
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PREFIX}/${path}`, Body: body }));
    }
    client.destroy();
    proxy = servers.own(await startRecordingProxy(s3.endpoint));
    env = { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_S3: proxy.endpoint };
  });
  beforeEach(() => {
    proxy.requests.length = 0;
  });

  const query = (...args: string[]) => runCli(['query', '--out', LAKE, '--format', 'csv', ...args], env);

  it('a query naming one table fetches only that table’s data files, and logs files and bytes', async () => {
    const result = await query('SELECT count(*) AS n FROM executions');
    expect(result.code).toBe(0);
    const expected = await runCli([
      'query',
      '--out',
      local,
      '--format',
      'csv',
      'SELECT count(*) AS n FROM executions',
    ]);
    expect(result.stdout).toBe(expected.stdout);
    expect(result.stdout).toBe('n\n30\n');
    const files = dataFiles('executions/');
    expect(files.length).toBeGreaterThan(1);
    expect(fetched()).toEqual(files);
    const done = logLines(result.stderr).find((l) => l.message === 'query fetched');
    expect(done).toMatchObject({ level: 'info', lake: LAKE, files: files.length, totalFiles: files.length });
    expect(done?.bytes).toBeGreaterThan(0);
  });

  it('a dt filter fetches only that partition', async () => {
    const days = [...new Set(dataFiles('operations/').map((p) => p.split('/')[1]))].sort();
    expect(days.length).toBeGreaterThan(1);
    const day = (days[1] as string).slice('dt='.length);
    const sql = `SELECT dt, count(*) AS n FROM operations WHERE dt = '${day}' GROUP BY dt`;
    const result = await query(sql);
    expect(result.code).toBe(0);
    expect(fetched()).toEqual(dataFiles(`operations/dt=${day}/`));
    const expected = await runCli(['query', '--out', local, '--format', 'csv', sql]);
    expect(result.stdout).toBe(expected.stdout);
    expect(result.stdout).toMatch(new RegExp(`^dt,n\\n${day},\\d+\\n$`));
  });

  it('a cookbook query fetches only the tables it reads', async () => {
    const result = await query('--cookbook', 'step-failure-rate-by-day');
    expect(result.code).toBe(0);
    expect(fetched()).toEqual(dataFiles('operations/'));
  });

  it('refuses a query over --max-download-mb with exit 2, before fetching any file', async () => {
    const result = await query('--max-download-mb', '0.001', 'SELECT count(*) FROM operations');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /the query needs \d+ files of operations, [\d.]+ MB, over --max-download-mb 0\.001: narrow it with a dt filter on operations \(for example WHERE dt BETWEEN/,
    );
    expect(result.stderr).toMatch(/or raise --max-download-mb/);
    expect(fetched()).toEqual([]);
  });
});
