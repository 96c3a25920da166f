import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { type GlueStub, startGlueStub } from './support/glue-stub.js';
import { problemLines } from './support/log-lines.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const golden = (name: string) => readFile(join(import.meta.dirname, 'golden', name), 'utf8');
const AWS_ENV = LOCAL_AWS_ENV;

describe('durable-export ddl (child process)', () => {
  it('prints the golden DDL', async () => {
    const ddl = await runCli([
      'ddl',
      '--out',
      's3://example-lake/exports/durable',
      '--projection-start',
      '2026-01-01',
    ]);
    expect(problemLines(ddl.stderr)).toEqual([]);
    expect(ddl.code).toBe(0);
    expect(ddl.stdout).toBe(await golden('athena-ddl.sql'));
  });

  it('prints the golden Glue TableInput JSON', async () => {
    const json = await runCli([
      'ddl',
      '--out',
      's3://example-lake/exports/durable/',
      '--format',
      'glue-json',
      '--database',
      'analytics',
      '--table-prefix',
      'prod_',
      '--projection-start',
      '2026-01-01',
    ]);
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(await golden('glue-tables.json'));
  });

  it.each([
    [['--out', './lake'], /ddl needs --out s3:\/\/BUCKET\/PREFIX: Athena reads tables from S3/],
    [['--out', 's3://b-1/x', '--format', 'csv'], /argument 'csv' is invalid/],
    [['--out', 's3://b-1/x', '--projection-start', '1st of May'], /invalid --projection-start "1st of May"/],
    [[], /required option '-o, --out <location>' not specified/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await runCli(['ddl', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('durable-export query (child process) over a local lake', () => {
  const servers = useTestServers('query-cli-');
  let lake: string;
  let executions: number;

  beforeAll(async () => {
    lake = join(servers.work, 'lake');
    executions = (await exportSyntheticLake(lake, { count: 20, seed: 9 })).source.length;
  });

  it('prints a table, CSV or JSON', async () => {
    const sql = 'SELECT count(*) AS n, count(DISTINCT dt) > 0 AS has_days FROM executions';
    const table = await runCli(['query', '--out', lake, sql]);
    expect(table.code).toBe(0);
    // 20 executions: a two-digit count, right-aligned under its name.
    expect(table.stdout).toBe(` n  has_days\n--  --------\n${executions}  true\n(1 row)\n`);
    const csv = await runCli(['query', '--out', lake, sql, '--format', 'csv']);
    expect(csv.stdout).toBe(`n,has_days\n${executions},true\n`);
    const json = await runCli(['query', '--out', lake, sql, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([{ n: executions, has_days: true }]);
  });

  it('runs a cookbook query by id, in the Trino dialect', async () => {
    const result = await runCli([
      'query',
      '--out',
      lake,
      '--cookbook',
      'invocations-per-execution',
      '--format',
      'json',
    ]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { executions: number }[];
    expect(rows.reduce((n, r) => n + r.executions, 0)).toBe(executions);
  });

  it.each([
    [['SELEC 1'], /query failed: Parser Error: syntax error at or near "SELEC"/],
    [['--cookbook', 'nope'], /unknown cookbook query "nope"; the cookbook has: step-failure-rate-by-day, /],
    [[], /give either SQL or --cookbook <id>/],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const result = await runCli(['query', '--out', lake, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 when the lake directory does not exist', async () => {
    const result = await runCli(['query', '--out', join(servers.work, 'missing'), 'SELECT 1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no lake at .*missing: it is not a directory/);
  });
});

describe('export --register-glue, then query the S3 lake (child processes, local S3 and Glue)', () => {
  const servers = useTestServers('glue-cli-');
  let s3: LocalS3;
  let glue: GlueStub;
  let service: RunningLocalService;
  const source = generateSyntheticExecutions({ count: 15, seed: 4, functionNames: ['orders'] });
  const operations = source.reduce((n, e) => n + e.expectedOperations.length, 0);

  beforeAll(async () => {
    s3 = await servers.localS3('cli-lake');
    glue = servers.own(await startGlueStub());
    service = await servers.localService({ executions: source });
  });

  it('registers the tables after the export, then changes nothing on a re-run', async () => {
    const env = { ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: service.url, AWS_ENDPOINT_URL_S3: s3.endpoint };
    const args = [
      'export',
      '-f',
      'orders',
      '--out',
      's3://cli-lake/durable',
      '--requests-per-second',
      '500',
      '--register-glue',
    ];
    const first = await runCli([...args, '--endpoint-url-glue', glue.url], env);
    expect(problemLines(first.stderr)).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('glue: created table durable_export.operations\n');
    expect(first.stdout).toContain('glue: created table durable_export.executions\n');
    expect(first.stdout).toContain('glue: created view durable_export.operations_latest\n');
    expect(first.stdout).toContain('glue: created view durable_export.executions_latest\n');
    const stored = glue.tables.get('durable_export.operations') ?? {};
    expect((stored.StorageDescriptor as { Location: string }).Location).toBe(
      's3://cli-lake/durable/operations/',
    );

    glue.calls.length = 0;
    const again = await runCli(args, { ...env, AWS_ENDPOINT_URL_GLUE: glue.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('glue: table durable_export.operations is up to date\n');
    expect(again.stdout).toContain('glue: view durable_export.executions_latest is up to date\n');
    expect(glue.calls.filter((c) => c !== 'GetDatabase' && c !== 'GetTable')).toEqual([]);
  });

  it('queries the S3 lake through a temporary local copy', async () => {
    const env = { ...AWS_ENV, AWS_ENDPOINT_URL_S3: s3.endpoint };
    const result = await runCli(
      ['query', '--out', 's3://cli-lake/durable', 'SELECT count(*) AS n FROM operations', '--format', 'csv'],
      env,
    );
    expect(problemLines(result.stderr)).toEqual([]);
    expect(result.stdout).toBe(`n\n${operations}\n`);
  });

  it('refuses --register-glue with a local --out before exporting anything', async () => {
    const result = await runCli(
      ['export', '-f', 'orders', '--out', join(servers.work, 'local'), '--register-glue'],
      {
        ...AWS_ENV,
        AWS_ENDPOINT_URL_LAMBDA: service.url,
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--register-glue needs --out s3:\/\/BUCKET\/PREFIX/);
  });

  it('refuses Glue options without --register-glue', async () => {
    const result = await runCli([
      'export',
      '-f',
      'orders',
      '--out',
      join(servers.work, 'local'),
      '--glue-database',
      'x',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--glue-database: only with --register-glue/);
  });

  it('reports a refused registration and exits 1: the export itself is complete', async () => {
    const operationsTable = glue.tables.get('durable_export.operations') as Record<string, unknown>;
    const sd = operationsTable.StorageDescriptor as { Columns: { Name: string; Type: string }[] };
    sd.Columns = sd.Columns.map((c) => (c.Name === 'depth' ? { ...c, Type: 'string' } : c));
    const env = { ...AWS_ENV, AWS_ENDPOINT_URL_LAMBDA: service.url, AWS_ENDPOINT_URL_S3: s3.endpoint };
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        's3://cli-lake/durable',
        '--register-glue',
        '--endpoint-url-glue',
        glue.url,
      ],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /--register-glue failed \(the export itself is complete\): Glue table durable_export.operations: column "depth" is string there but int/,
    );
  });
});
