import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { outputUntil } from './support/local-servers-cli.js';
import { replayVisible } from './support/replay-truth.js';
import { type RunningCli, runCli, startCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * Trying `--source state` locally: `local-service --token-manifest-out FILE` writes each
 * execution's checkpoint token in the manifest format `export --source state --manifest` reads.
 */
describe('durable-export local-service --token-manifest-out', () => {
  const servers = useTestServers('token-manifest-');
  const running = new Set<RunningCli>();
  afterEach(async () => {
    for (const cli of running) cli.child.kill('SIGKILL');
    await Promise.allSettled([...running].map((cli) => cli.done));
    running.clear();
  });

  it('writes a manifest of every execution that export --source state exports whole', async () => {
    const manifest = join(servers.work, 'tokens.jsonl');
    const service = startCli([
      'local-service',
      '--synthetic',
      '12',
      '--seed',
      '5',
      '--token-manifest-out',
      manifest,
    ]);
    running.add(service);
    const url = (await outputUntil(service, /listening on (http:\S+)/)).match[1] as string;

    const data = generateSyntheticExecutions({ count: 12, seed: 5, functionNames: ['orders', 'payments'] });
    const lines = (await readFile(manifest, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line).durableExecutionArn)).toEqual(
      data.map((e) => e.execution.DurableExecutionArn),
    );

    const out = join(servers.work, 'lake');
    const result = await runCli(
      ['export', '--source', 'state', '--manifest', manifest, '--out', out, '--endpoint-url-lambda', url],
      LOCAL_AWS_ENV,
    );
    expect(result.stderr).not.toMatch(/"level":"(warn|error)"/);
    expect(result.code).toBe(0);
    const executions = await readLakeTable(out, 'executions');
    expect(executions.rows.map((r) => r.execution_arn).sort()).toEqual(
      data.map((e) => e.execution.DurableExecutionArn as string).sort(),
    );
    const operations = await readLakeTable(out, 'operations');
    expect(operations.rows).toHaveLength(
      data.reduce((n, e) => n + replayVisible(e.expectedOperations).length, 0),
    );
    expect(new Set(operations.rows.map((r) => r.source))).toEqual(new Set(['state']));
  });

  it('stops with exit 2 naming the file when it cannot write the manifest', async () => {
    const manifest = join(servers.work, 'no-such-dir', 'tokens.jsonl');
    const result = await runCli(['local-service', '--synthetic', '2', '--token-manifest-out', manifest]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write --token-manifest-out ${manifest}: ENOENT`);
  });
});
