import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { watermarkKey, watermarkSchema } from '../src/incremental/watermark.js';
import { openLake } from '../src/lake/open-lake.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const DAY_MS = 86_400_000;

describe('export --since-last-run', () => {
  const servers = useTestServers('incremental-');
  const startFrom = new Date(Date.now() - 2 * DAY_MS);
  const executions = generateSyntheticExecutions({
    count: 10,
    seed: 140,
    functionNames: ['orders'],
    startFrom,
    spanDays: 1,
  });
  const running = executions.filter((e) => e.execution.Status === 'RUNNING').length;
  let service: RunningLocalService;

  beforeAll(async () => {
    service = await servers.localService({ executions });
  });

  const exportSinceLastRun = async (out: string, summary: string, ...extra: string[]) => {
    const args = ['export', '-f', 'orders', '--out', out, '--since-last-run', '--summary-json', summary];
    const result = await runCli([...args, ...extra], {
      ...LOCAL_AWS_ENV,
      ...rateLimitsEnv(1000),
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    return { ...result, summary: JSON.parse(await readFile(summary, 'utf8')) };
  };

  it('needs --started-after the first time, and refuses --dry-run', async () => {
    const out = join(servers.work, 'first');
    const first = await runCli(['export', '-f', 'orders', '--out', out, '--since-last-run'], {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('needs --started-after: there is no watermark yet');
    const dry = await runCli(['export', '-f', 'orders', '--out', out, '--since-last-run', '--dry-run'], {
      ...LOCAL_AWS_ENV,
      AWS_ENDPOINT_URL_LAMBDA: service.url,
    });
    expect(dry.code).toBe(2);
  });

  it('a crash between the manifest and the watermark update re-exports nothing', async () => {
    const out = join(servers.work, 'crash');
    const after = startFrom.toISOString();
    const first = await exportSinceLastRun(out, join(servers.work, 's1.json'), '--started-after', after);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      `since last run        10 new, 0 re-checked, 0 re-exported, ${running} still running`,
    );
    expect(first.summary.incremental).toEqual({
      new: 10,
      rechecked: 0,
      reexported: 0,
      stillRunning: running,
    });

    // The state a crash right after the manifest leaves: the window still pending, not advanced.
    const key = watermarkKey('', 'orders', 'us-east-1');
    const path = join(out, key);
    const advanced = watermarkSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    expect(advanced.pending).toBeUndefined();
    expect(advanced.recheck).toHaveLength(running);
    const pending = {
      ...advanced,
      startedAfter: after,
      recheck: [],
      pending: { startedAfter: after, startedBefore: advanced.startedAfter, recheck: [], running: [] },
    };
    await writeFile(path, JSON.stringify(pending));

    const resumed = await exportSinceLastRun(out, join(servers.work, 's2.json'));
    expect(resumed.code).toBe(0);
    expect(resumed.summary).toMatchObject({ executionsExported: 0, executionsSkipped: 10 });
    expect(resumed.summary.commit).toMatchObject({
      jobId: first.summary.commit.jobId,
      manifestWritten: false,
    });
    const again = watermarkSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    expect(again).toMatchObject({ startedAfter: advanced.startedAfter, recheck: advanced.recheck });
    expect(again.pending).toBeUndefined();

    const lake = openLake(parseOutputLocation(out));
    const report = await verifyLake(lake, { duckdb: false });
    expect(report.problems).toEqual([]);
    expect(report.rows.operations).toBe(executions.reduce((n, e) => n + e.expectedOperations.length, 0));
  });
});
