/**
 * The latest views through the built CLI, over a lake that holds an execution more than once: an
 * export while executions were RUNNING, another job after they ended, and a third, overlapping
 * job. `query` sees each operation and execution exactly once, with its final status.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredExecution } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { runCli } from './support/run-cli.js';
import { whileRunning } from './support/test-executions.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const finished = generateSyntheticExecutions({ count: 8, seed: 5, functionNames: ['orders'] });
const arnOf = (e: StoredExecution) => String(e.execution.DurableExecutionArn);

describe('latest views over an execution exported while RUNNING, after it ended, and by an overlapping job', () => {
  const servers = useTestServers('latest-cli-');
  let lake: string;

  const query = async (sql: string): Promise<string[][]> => {
    const result = await runCli(['query', '--out', lake, '--format', 'csv', sql], LOCAL_AWS_ENV);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
  };

  beforeAll(async () => {
    lake = join(servers.work, 'lake');
    const running = await servers.localService({ executions: finished.map(whileRunning) });
    const ended = await servers.localService({ executions: finished });
    for (const [service, args] of [
      [running, []],
      [ended, ['--status', 'SUCCEEDED']],
      // An overlapping job that exports them again (the export index would skip them otherwise).
      [ended, ['--started-after', '2020-01-01', '--force-reexport']],
    ] as const) {
      const run = await runCli(
        ['export', '-f', 'orders', ...args, '--out', lake, '--endpoint-url-lambda', service.url],
        LOCAL_AWS_ENV,
      );
      expect(run.code, run.stderr).toBe(0);
    }
  });

  it('the tables hold several versions', async () => {
    const [[rows] = []] = await query('SELECT count(*) FROM executions');
    expect(Number(rows)).toBeGreaterThan(finished.length);
    const [[running] = []] = await query("SELECT count(*) FROM executions WHERE status = 'RUNNING'");
    expect(Number(running)).toBe(finished.length);
  });

  it('executions_latest holds each execution once, with its final status', async () => {
    const rows = await query('SELECT execution_arn, status FROM executions_latest ORDER BY 1');
    expect(rows).toEqual(
      finished
        .map((e) => [arnOf(e), String(e.execution.Status)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('operations_latest holds each operation once, with its final status', async () => {
    const expected = new Map(
      finished.flatMap((e) =>
        e.expectedOperations.map((op) => [`${arnOf(e)}|${String(op.Id)}`, String(op.Status)]),
      ),
    );
    const rows = await query('SELECT execution_arn, operation_id, status FROM operations_latest');
    expect(rows).toHaveLength(expected.size);
    const actual = new Map(rows.map(([arn, id, status]) => [`${arn}|${id}`, status]));
    expect(actual.size).toBe(expected.size);
    expect(actual).toEqual(expected);
  });
});
