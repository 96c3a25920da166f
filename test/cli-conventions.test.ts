import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { functionArn } from '../src/local/synthetic/model.js';
import { logLines } from './support/log-lines.js';
import { runCli, startCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const AWS_ENV = LOCAL_AWS_ENV;

describe('every command explains itself', () => {
  const commands = [
    [],
    ['export'],
    ['plan'],
    ['local-service'],
    ['local-s3'],
    ['config', 'print'],
    ['ddl'],
    ['query'],
    ['verify'],
    ['cleanup'],
    ['compact'],
  ];
  for (const command of commands) {
    it(`durable-export ${command.join(' ')} --help`.replace(/\s+/g, ' '), async () => {
      const result = await runCli([...command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatchSnapshot();
    });
  }
});

describe('a run seen from a scheduler', () => {
  const servers = useTestServers('cli-conventions-');
  let service: RunningLocalService;
  const source = generateSyntheticExecutions({ count: 9, seed: 21, functionNames: ['orders'] });

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
  });

  it('--dry-run lists the executions and estimates requests and time, and writes nothing', async () => {
    const out = join(servers.work, 'dry');
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        out,
        '--dry-run',
        '--requests-per-second',
        '2',
        '--endpoint-url-lambda',
        service.url,
      ],
      AWS_ENV,
    );
    expect(result.code).toBe(0);
    for (const e of source) expect(result.stdout).toContain(String(e.execution.DurableExecutionArn));
    expect(result.stdout).toContain(`executions            ${source.length}`);
    // One list page plus one history page per execution, at 2 requests/s.
    expect(result.stdout).toContain(`requests, at least    ${source.length + 1}`);
    // Each API's part at its own limit; the overall cap of 2/s is slower, so it sets the time.
    expect(result.stdout).toContain(`(list 1 at 15/s, history ${source.length} at 15/s)`);
    expect(result.stdout).toContain(`5s at 2 requests/s (lambda.requestsPerSecond, every API together)`);
    await expect(readFile(join(out, 'operations'))).rejects.toThrow();
  });

  it('--dry-run lists an execution once when its function is given by name and by ARN', async () => {
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '-f',
        functionArn('orders', null),
        '--out',
        join(servers.work, 'dry-twice'),
        '--dry-run',
        '--endpoint-url-lambda',
        service.url,
      ],
      AWS_ENV,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`executions            ${source.length}`);
  });

  it('--summary-json holds the same figures as the printed summary; logs are JSON lines on stderr', async () => {
    const out = join(servers.work, 'lake');
    const file = join(servers.work, 'summary.json');
    const result = await runCli(
      ['export', '-f', 'orders', '--out', out, '--summary-json', file, '--endpoint-url-lambda', service.url],
      AWS_ENV,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(await readFile(file, 'utf8'));
    const operations = source.reduce((n, e) => n + e.expectedOperations.length, 0);
    expect(summary).toMatchObject({
      source: 'history',
      executionsListed: source.length,
      executionsExported: source.length,
      executionsFailed: 0,
      operations,
      failures: [],
    });
    expect(result.stdout).toContain(`operations (rows)     ${operations}`);
    const logs = logLines(result.stderr);
    expect(logs.map((l) => l.message)).toEqual(['export started', 'export finished']);
    expect(logs[1]).toMatchObject({ level: 'info', executionsExported: source.length, operations });
  });

  it('--log-format text and --log-level warn: only problems, as readable lines', async () => {
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '-f',
        'nope',
        '--out',
        join(servers.work, 'lake-text'),
        '--log-format',
        'text',
        '--log-level',
        'warn',
        '--endpoint-url-lambda',
        service.url,
      ],
      AWS_ENV,
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\S+Z WARN {2}failed subject=nope reason=".*ResourceNotFoundException/,
    );
  });

  it('exit code 3 when nothing could be exported (the only function does not exist)', async () => {
    const result = await runCli(
      [
        'export',
        '-f',
        'nope',
        '--out',
        join(servers.work, 'lake-none'),
        '--endpoint-url-lambda',
        service.url,
      ],
      AWS_ENV,
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('nope');
  });
});

describe('output piped into a reader that stops early (durable-export ... | head)', () => {
  it('ends quietly with its exit code, no stack trace', async () => {
    const run = startCli(['config', 'print']);
    // The reader is gone before the first line is written: every write meets a closed pipe.
    run.child.stdout?.destroy();
    const result = await run.done;
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.code).toBe(0);
  });
});
