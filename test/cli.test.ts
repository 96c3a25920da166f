import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { problemLines } from './support/log-lines.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const AWS_ENV = LOCAL_AWS_ENV;

describe('durable-export CLI', () => {
  const servers = useTestServers('cli-');
  let service: RunningLocalService;
  const source = generateSyntheticExecutions({ count: 12, seed: 3, functionNames: ['orders'] });

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
  });

  it('explains itself with --help and --version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('export');
    expect(help.stdout).toContain('local-service');
    const exportHelp = await runCli(['export', '--help']);
    expect(exportHelp.code).toBe(0);
    expect(exportHelp.stdout).toMatch(/--function <name>/);
    expect(exportHelp.stdout).toMatch(/--out <location>/);
    expect(exportHelp.stdout).toContain('Examples:');
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exports to a local directory with the same layout as S3, exit code 0', async () => {
    const out = join(servers.work, 'lake');
    const summaryFile = join(servers.work, 'summary.json');
    const result = await runCli(
      [
        'export',
        '--function',
        'orders',
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--summary-json',
        summaryFile,
      ],
      AWS_ENV,
    );
    expect(problemLines(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('export complete');
    const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
    expect(summary.executionsExported).toBe(source.length);
    const operations = await readLakeTable(out, 'operations');
    expect(operations.rows).toHaveLength(source.reduce((n, e) => n + e.expectedOperations.length, 0));
  });

  it('honours AWS_ENDPOINT_URL_LAMBDA like the AWS CLI does', async () => {
    const out = join(servers.work, 'lake-env');
    const result = await runCli(['export', '-f', 'orders', '--out', out], {
      ...AWS_ENV,
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`executions exported   ${source.length}`);
  });

  it('a usage error gives one clear line and exit code 2', async () => {
    const noFunction = await runCli(['export', '--out', join(servers.work, 'x')], AWS_ENV);
    expect(noFunction.code).toBe(2);
    expect(noFunction.stderr).toContain('no function to export');
    const unknownOption = await runCli(['export', '--frobnicate'], AWS_ENV);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--frobnicate'");
    const badWindow = await runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        'x',
        '--started-after',
        '2026-02-01T00:00:00Z',
        '--started-before',
        '2026-01-01T00:00:00Z',
      ],
      AWS_ENV,
    );
    expect(badWindow.code).toBe(2);
    expect(badWindow.stderr).toContain('the window is empty');
  });

  it('a config file with an unknown key is refused, naming the key and the file', async () => {
    const file = join(servers.work, 'bad.json');
    await writeFile(file, JSON.stringify({ lambda: { requestsPerSecnd: 5 } }));
    const result = await runCli(['export', '-f', 'orders', '--out', 'x', '--config', file], AWS_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('lambda.requestsPerSecnd');
    expect(result.stderr).toContain(file);
  });

  it('an unknown function is reported for that function, exit code 1 (partial)', async () => {
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '-f',
        'no-such-fn',
        '--out',
        join(servers.work, 'lake-partial'),
        '--endpoint-url-lambda',
        service.url,
      ],
      AWS_ENV,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('no-such-fn');
    expect(result.stdout).toContain('ResourceNotFoundException');
    expect(result.stdout).toContain(`executions exported   ${source.length}`);
  });
});

describe('durable-export config print', () => {
  it('shows the effective value of every key and where it came from, in precedence order', async () => {
    const work = await mkdtemp(join(tmpdir(), 'config-print-'));
    const file = join(work, 'user.json');
    await writeFile(file, JSON.stringify({ lambda: { requestsPerSecond: 5, maxConcurrent: 2 } }));
    const result = await runCli(['config', 'print', '--config', file], {
      DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '20',
    });
    await rm(work, { recursive: true, force: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /lambda\.requestsPerSecond\s+20\s+\(DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND\)/,
    );
    expect(result.stdout).toMatch(
      new RegExp(`lambda\\.maxConcurrent\\s+2\\s+\\(${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`),
    );
    expect(result.stdout).toMatch(/sink\.rowGroupRows\s+50000\s+\(defaults \(config\/default\.json\)\)/);
  });

  it('names the variable when a DURABLE_EXPORT_ variable has the wrong type', async () => {
    const result = await runCli(['config', 'print'], { DURABLE_EXPORT_LAMBDA_MAX_CONCURRENT: 'lots' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'invalid DURABLE_EXPORT_LAMBDA_MAX_CONCURRENT: expected number, got "lots"',
    );
  });
});

describe('configuration from the environment', () => {
  it('sets any section, including export and redaction, with JSON values where given', async () => {
    const result = await runCli(['config', 'print', '--format', 'json'], {
      DURABLE_EXPORT_EXPORT_FUNCTIONS: '["orders","payments"]',
      DURABLE_EXPORT_EXPORT_OUT: './lake',
      DURABLE_EXPORT_REDACTION_INPUT_PAYLOAD: 'drop',
    });
    expect(result.code).toBe(0);
    const { config, origins } = JSON.parse(result.stdout);
    expect(config.export).toMatchObject({ functions: ['orders', 'payments'], out: './lake' });
    expect(config.redaction).toMatchObject({ input_payload: 'drop' });
    expect(origins['export.out']).toBe('DURABLE_EXPORT_EXPORT_OUT');
  });
});
