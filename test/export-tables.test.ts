/**
 * `--tables` (config `export.tables`) chooses the tables an export writes; `executions` must be
 * among them. A lake written with `operations` and `executions` only has the layout of a lake from
 * before the `events` and `invocations` tables existed: `verify` and `query` must read it as it is.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

describe('export --tables, and a lake without the events and invocations tables', () => {
  const servers = useTestServers('export-tables-');
  const source = generateSyntheticExecutions({ count: 12, seed: 7, functionNames: ['orders'] });
  let service: RunningLocalService;
  let lake: string;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    lake = join(servers.work, 'lake');
    const result = await exportTo(lake, ['--tables', 'operations', 'executions']);
    expect(result.stderr).not.toContain('"level":"error"');
    expect(result.code).toBe(0);
  });

  const exportTo = (out: string, extra: string[]) =>
    runCli(
      ['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', service.url, ...extra],
      LOCAL_AWS_ENV,
    );

  it('writes only the tables asked for', async () => {
    const folders = (await readdir(lake)).filter((name) => !name.startsWith('_')).sort();
    expect(folders).toEqual(['executions', 'operations']);
  });

  it('verify passes the lake without the history-only tables', async () => {
    const result = await runCli(['verify', '--out', lake], LOCAL_AWS_ENV);
    expect(result.stdout).toContain('verify: OK');
    expect(result.code).toBe(0);
  });

  it('query reads the missing tables as empty, cookbook queries included', async () => {
    const sql =
      'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM invocations) AS invocations, (SELECT count(*) FROM executions) AS executions';
    const counts = await runCli(['query', '--out', lake, '--format', 'json', sql], LOCAL_AWS_ENV);
    expect(counts.code).toBe(0);
    expect(JSON.parse(counts.stdout)).toEqual([{ events: 0, invocations: 0, executions: source.length }]);
    const cookbook = await runCli(
      ['query', '--out', lake, '--format', 'csv', '--cookbook', 'invocation-time-per-function'],
      LOCAL_AWS_ENV,
    );
    expect(cookbook.code).toBe(0);
    expect(cookbook.stdout.trim().split('\n')).toHaveLength(1); // the header only
  });

  it('a re-run with other tables is another job, not the resumption of the first', async () => {
    const all = join(servers.work, 'all');
    expect((await exportTo(all, ['--tables', 'executions', 'events'])).code).toBe(0);
    expect((await readdir(all)).filter((name) => !name.startsWith('_')).sort()).toEqual([
      'events',
      'executions',
    ]);
    expect((await exportTo(all, [])).code).toBe(0);
    const jobs = await readdir(join(all, '_state'));
    expect(jobs).toHaveLength(2);
    expect((await readdir(all)).filter((name) => !name.startsWith('_')).sort()).toEqual([
      'events',
      'executions',
      'invocations',
      'operations',
    ]);
  });

  it('refuses tables without executions: usage error, exit 2', async () => {
    const result = await exportTo(join(servers.work, 'never'), ['--tables', 'operations']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--tables');
    expect(result.stderr).toContain('must include executions');
  });
});
