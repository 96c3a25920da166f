/**
 * The export index (docs/RELIABILITY.md 2.8) through the built CLI, local service and local lakes:
 * two overlapping jobs (different windows over the same executions) no longer double the lake; an
 * execution that was RUNNING at the first export is exported again once it ended; `--force-reexport`
 * exports again (the latest views still hold each operation once); `--dry-run` counts the skips;
 * and a run stopped before its manifest (so before its index entries) leads to a re-export, never to
 * a loss.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TERMINAL_STATUSES } from '../src/commit/export-index.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import type { StoredExecution } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import type { ExportPlan } from '../src/pipeline/plan-export.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { readLakeTable } from './support/lake-reader.js';
import { runCli } from './support/run-cli.js';
import { whileRunning } from './support/test-executions.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const finished = generateSyntheticExecutions({ count: 10, seed: 12, functionNames: ['orders'] }).filter((e) =>
  TERMINAL_STATUSES.has(String(e.execution.Status)),
);
const arnOf = (e: StoredExecution) => String(e.execution.DurableExecutionArn);
/** Two executions still RUNNING when the first job of the second lake exports them. */
const runningAtFirst = new Set(finished.slice(0, 2).map(arnOf));
const operationCount = finished.reduce((n, e) => n + e.expectedOperations.length, 0);

describe('the export index: overlapping jobs do not double the lake', () => {
  const servers = useTestServers('export-index-');
  let ended: RunningLocalService;
  let early: RunningLocalService;

  beforeAll(async () => {
    expect(finished.length).toBeGreaterThanOrEqual(5);
    ended = await servers.localService({ executions: finished });
    early = await servers.localService({
      executions: finished.map((e) => (runningAtFirst.has(arnOf(e)) ? whileRunning(e) : e)),
    });
  });

  let run = 0;
  async function exportTo(lake: string, service: RunningLocalService, args: string[] = []) {
    const json = join(servers.work, `summary-${++run}.json`);
    const result = await runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        lake,
        '--endpoint-url-lambda',
        service.url,
        '--summary-json',
        json,
        ...args,
      ],
      { ...LOCAL_AWS_ENV, DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '3' },
    );
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(await readFile(json, 'utf8')) as ExportSummary & ExportPlan;
  }

  /** How many rows of the plain `operations` table (every data file) each (ARN, operation id) has. */
  async function operationCopies(lake: string): Promise<Map<string, number>> {
    const { rows } = await readLakeTable(lake, 'operations');
    const copies = new Map<string, number>();
    for (const row of rows) {
      const id = `${row.execution_arn}|${row.operation_id}`;
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    return copies;
  }

  async function queryCount(lake: string, sql: string): Promise<number> {
    const result = await runCli(['query', '--out', lake, '--format', 'csv', sql], LOCAL_AWS_ENV);
    expect(result.code, result.stderr).toBe(0);
    return Number(result.stdout.trim().split('\n')[1]);
  }

  it('the second of two overlapping jobs skips the shared executions, naming the first run; verify passes', async () => {
    const lake = join(servers.work, 'overlap');
    const first = await exportTo(lake, ended);
    expect(first.executionsExported).toBe(finished.length);
    const firstRun = first.commit?.runId as string;

    const second = await exportTo(lake, ended, ['--started-after', '2000-01-01']);
    expect(second.executionsListed).toBe(finished.length);
    expect(second.executionsExported).toBe(0);
    expect(second.executionsSkipped).toBe(finished.length);
    expect(second.skipped).toEqual([
      { reason: `already exported by run ${firstRun}`, runId: firstRun, executions: finished.length },
    ]);
    // Skipped before reading: the second job sent its listing request and no history request.
    expect(second.pages).toBe(0);
    expect(second.requests.requests).toBeLessThan(first.requests.requests);
    expect(second.requests.requests).toBeLessThanOrEqual(2);

    const copies = await operationCopies(lake);
    expect(copies.size).toBe(operationCount);
    expect([...copies.values()].every((n) => n === 1)).toBe(true);
    const verify = await runCli(['verify', '--out', lake], LOCAL_AWS_ENV);
    expect(verify.stdout).not.toContain('DUPLICATE');
    expect(verify.code, verify.stdout).toBe(0);

    // --dry-run of a third window counts them as skipped, with the reason.
    const plan = await exportTo(lake, ended, ['--started-after', '2001-01-01', '--dry-run']);
    expect(plan.executions).toEqual([]);
    expect(plan.executionsSkipped).toBe(finished.length);
    expect(plan.skipped[0]?.reason).toBe(`already exported by run ${firstRun}`);

    // --force-reexport exports them again: the plain table doubles, the latest views do not.
    const forced = await exportTo(lake, ended, ['--started-after', '2002-01-01', '--force-reexport']);
    expect(forced.executionsExported).toBe(finished.length);
    expect(forced.executionsSkipped).toBe(0);
    expect([...(await operationCopies(lake)).values()].every((n) => n === 2)).toBe(true);
    expect(await queryCount(lake, 'SELECT count(*) FROM operations_latest')).toBe(operationCount);
  });

  it('an execution RUNNING at the first export and ended before the second is exported again', async () => {
    const lake = join(servers.work, 'running');
    const first = await exportTo(lake, early);
    expect(first.executionsExported).toBe(finished.length);
    const second = await exportTo(lake, ended, ['--started-after', '2000-01-01']);
    expect(second.executionsExported).toBe(runningAtFirst.size);
    expect(second.executionsSkipped).toBe(finished.length - runningAtFirst.size);
    expect(second.skipped).toEqual([
      expect.objectContaining({
        runId: first.commit?.runId,
        executions: finished.length - runningAtFirst.size,
      }),
    ]);
    // Only the re-exported executions have a second (newer) version of their operations.
    for (const [id, n] of await operationCopies(lake)) {
      expect(n, id).toBeLessThanOrEqual(runningAtFirst.has(id.split('|')[0] as string) ? 2 : 1);
    }
    expect(await queryCount(lake, "SELECT count(*) FROM executions_latest WHERE status = 'RUNNING'")).toBe(0);
    expect(await queryCount(lake, 'SELECT count(*) FROM operations_latest')).toBe(operationCount);
  });

  it('a run stopped before its manifest (so before its index entries) makes another job export again, never lose', async () => {
    const lake = join(servers.work, 'stopped');
    const first = await exportTo(lake, ended);
    const jobId = first.commit?.jobId as string;
    // As if killed after the last done record: no manifest, no index entries, no indexed markers.
    await rm(join(lake, '_manifests'), { recursive: true });
    await rm(join(lake, '_index'), { recursive: true });
    for (const name of await readdir(join(lake, '_state', jobId))) {
      if (name.endsWith('.indexed.json')) await rm(join(lake, '_state', jobId, name));
    }
    const other = await exportTo(lake, ended, ['--started-after', '2000-01-01']);
    expect(other.executionsSkipped).toBe(0);
    expect(other.executionsExported).toBe(finished.length);
    const copies = await operationCopies(lake);
    expect(copies.size).toBe(operationCount); // nothing lost (doubled instead)

    // The stopped job run again commits its manifest and its index entries, exporting nothing.
    const resumed = await exportTo(lake, ended);
    expect(resumed.executionsExported).toBe(0);
    expect(resumed.commit?.manifestWritten).toBe(true);
    const third = await exportTo(lake, ended, ['--started-after', '2001-01-01']);
    expect(third.executionsSkipped).toBe(finished.length);
    expect(third.executionsExported).toBe(0);
  });
});
