/**
 * Two different export commands into one `--out` are two jobs. The second skips what the first
 * exported in a final status (the export index, test/export-index.test.ts), unless it is run with
 * `--force-reexport`: then the lake holds an execution twice. The README's FAQ says so; this test
 * checks what it promises, through the built CLI: `verify` names the doubled files, and the latest
 * views the FAQ points to keep one row per (execution_arn, operation_id).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const source = generateSyntheticExecutions({ count: 12, seed: 44, functionNames: ['orders', 'payments'] });

/** The README's FAQ answer about two exports into one `--out`. */
async function faqAnswer(): Promise<string> {
  const readme = await readFile(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  return readme.split('**Can two different exports write into one `--out`?**')[1]?.split('\n**')[0] ?? '';
}

describe('two different exports into one --out', () => {
  const servers = useTestServers('shared-out-');
  let service: RunningLocalService;
  let lake: string;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    lake = join(servers.work, 'lake');
    for (const functions of [
      ['-f', 'orders', '-f', 'payments'],
      ['-f', 'orders', '--force-reexport'],
    ]) {
      const run = await runCli(
        ['export', ...functions, '--out', lake, '--endpoint-url-lambda', service.url],
        LOCAL_AWS_ENV,
      );
      expect(run.code, run.stderr).toBe(0);
    }
  });

  it('both succeed and the lake holds the orders executions twice: verify names the doubled files', async () => {
    const verify = await runCli(['verify', '--out', lake], LOCAL_AWS_ENV);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/DUPLICATE operations\/dt=\S+ \d+ execution\(s\) also in operations\//);
  });

  it('the latest views the README FAQ names keep one row per (execution_arn, operation_id)', async () => {
    expect(await faqAnswer()).toContain('`operations_latest`');
    const count = async (sql: string) => {
      const result = await runCli(['query', '--out', lake, '--format', 'csv', sql], LOCAL_AWS_ENV);
      expect(result.code, result.stderr).toBe(0);
      return Number(result.stdout.trim().split('\n')[1]);
    };
    const rows = await count('SELECT count(*) FROM operations');
    const distinct = await count(
      "SELECT count(DISTINCT execution_arn || '/' || operation_id) FROM operations",
    );
    expect(rows).toBeGreaterThan(distinct);
    expect(await count('SELECT count(*) FROM operations_latest')).toBe(distinct);
    expect(await count('SELECT count(*) FROM executions')).toBeGreaterThan(
      await count('SELECT count(*) FROM executions_latest'),
    );
  });
});
