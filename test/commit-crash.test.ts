import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitionOf, jobIdOf } from '../src/commit/job-id.js';
import { downloadLake } from '../src/lake/download-lake.js';
import { openLake } from '../src/lake/open-lake.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { createPrng } from '../src/local/synthetic/prng.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { readLakeTable } from './support/lake-reader.js';
import { problemLines } from './support/log-lines.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { startCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * kill -9 at seeded points, then the same command again: the lake must hold every source
 * operation exactly once and pass `verify`. The real CLI runs as a child process against the
 * local service (a slow rate limit makes a run last a few seconds) and S3 (s3rver behind the
 * If-None-Match proxy) or a local directory, alternately.
 */

const BUCKET = 'crash-lake';
const SCENARIOS = 12;
const source = generateSyntheticExecutions({ count: 48, seed: 5, functionNames: ['orders'] });

interface KillPoint {
  /** Kill after this many Lambda requests of the run, ... */
  readonly requests?: number;
  /** ... or after this many milliseconds, ... */
  readonly ms?: number;
  /** ... or `delayMs` after the run's `intent`-th batch intent appeared (kills inside a batch). */
  readonly intent?: number;
  readonly delayMs?: number;
}

const jobId = jobIdOf(jobDefinitionOf({ functions: ['orders'], statuses: [], out: '' }, 'history'));

describe('crash safety: SIGKILL at seeded points, then the same command again', () => {
  const servers = useTestServers('crash-');
  let s3: LocalS3;
  let proxy: PreconditionProxy;
  let service: RunningLocalService;
  const resumedBatches: number[] = [];
  /** Kills that left a batch with an intent and no done record. */
  let killedInsideBatch = 0;
  const adoptedFiles: number[] = [];

  beforeAll(async () => {
    // verify runs in this process and reads the S3 lake with the same credentials.
    Object.assign(process.env, LOCAL_AWS_ENV);
    s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    service = await servers.localService({ executions: source });
  });

  const env = {
    ...LOCAL_AWS_ENV,
    DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '3',
    DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '40',
  };

  /** The folder holding the job's state files on disk (s3rver keeps objects as files too). */
  function stateDir(out: string): string {
    return out.startsWith('s3://')
      ? join(servers.work, 's3', BUCKET, out.slice(`s3://${BUCKET}/`.length), '_state', jobId)
      : join(out, '_state', jobId);
  }

  function recordsOf(out: string, kind: 'intent' | 'done'): number {
    if (!existsSync(stateDir(out))) return 0;
    return readdirSync(stateDir(out)).filter((name) => name.includes(`.${kind}.json`)).length;
  }
  const intentsOf = (out: string) => recordsOf(out, 'intent');

  /** Runs the export; kills it with SIGKILL at `kill`, if it gets there. Resolves whether it was killed. */
  async function exportRun(out: string, summaryFile: string, kill?: KillPoint): Promise<{ killed: boolean }> {
    const base = service.requestCount();
    const intentsBefore = intentsOf(out);
    let intentSeen: number | undefined;
    const run = startCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--endpoint-url-s3',
        proxy.endpoint,
        '--summary-json',
        summaryFile,
        '--no-progress',
      ],
      // The run that finishes the job has no kill point to land: it need not be paced.
      kill ? env : { ...env, ...rateLimitsEnv(1000) },
    );
    const timer = kill?.ms !== undefined ? setTimeout(() => run.child.kill('SIGKILL'), kill.ms) : undefined;
    const poll =
      kill?.requests !== undefined || kill?.intent !== undefined
        ? setInterval(() => {
            if (kill.requests !== undefined && service.requestCount() - base >= kill.requests) {
              run.child.kill('SIGKILL');
            }
            if (kill.intent !== undefined && intentSeen === undefined) {
              if (intentsOf(out) - intentsBefore < kill.intent) return;
              intentSeen = Date.now();
              setTimeout(() => run.child.kill('SIGKILL'), kill.delayMs ?? 0);
            }
          }, 1)
        : undefined;
    const result = await run.done;
    clearTimeout(timer);
    clearInterval(poll);
    if (result.signal === 'SIGKILL') {
      if (recordsOf(out, 'intent') > recordsOf(out, 'done')) killedInsideBatch++;
      return { killed: true };
    }
    expect(problemLines(result.stderr), `problems logged by ${out}`).toEqual([]);
    expect(result.code, result.stdout).toBe(0);
    return { killed: false };
  }

  /**
   * Executions whose rows disagree on the export that wrote them: every row of an execution, in
   * every table, carries its batch's intent run and time, also when a resumed run adopted some of
   * the batch's files and wrote the others.
   */
  async function provenanceConflicts(dir: string): Promise<string[]> {
    const stamps = new Map<string, Set<string>>();
    for (const table of ['operations', 'executions']) {
      for (const row of (await readLakeTable(dir, table)).rows) {
        const arn = String(row.execution_arn);
        const stamp = `${String(row.export_run_id)}@${(row.exported_at as Date).toISOString()}`;
        stamps.set(arn, (stamps.get(arn) ?? new Set()).add(stamp));
      }
    }
    return [...stamps].filter(([, s]) => s.size !== 1).map(([arn, s]) => `${arn}: ${[...s].join(', ')}`);
  }

  it(`holds every operation exactly once after kills at ${SCENARIOS} seeded points`, async () => {
    const prng = createPrng(20261125);
    let killedRuns = 0;
    for (let scenario = 0; scenario < SCENARIOS; scenario++) {
      const onS3 = scenario % 2 === 0;
      const out = onS3 ? `s3://${BUCKET}/scenario-${scenario}` : join(servers.work, `lake-${scenario}`);
      const point = (): KillPoint => {
        const draw = prng.int(0, 2);
        if (draw === 0) return { requests: prng.int(1, 60) };
        if (draw === 1) return { ms: prng.int(400, 2200) };
        return { intent: prng.int(1, 8), delayMs: prng.int(0, 12) };
      };
      const kills = [point(), ...(prng.chance(0.5) ? [point()] : [])];
      for (const [i, kill] of kills.entries()) {
        if ((await exportRun(out, join(servers.work, `summary-${scenario}-${i}.json`), kill)).killed)
          killedRuns++;
      }
      const final = join(servers.work, `summary-${scenario}-final.json`);
      await exportRun(out, final);
      const summary = JSON.parse(await readFile(final, 'utf8'));
      resumedBatches.push(summary.commit.batchesResumed);
      adoptedFiles.push(summary.commit.filesAdopted);

      const lake = openLake(parseOutputLocation(out), { endpointUrlS3: proxy.endpoint });
      try {
        const report = await verifyLake(lake, { duckdb: false });
        expect(report.problems, `scenario ${scenario} (${JSON.stringify(kills)})`).toEqual([]);
      } finally {
        lake.close();
      }
      let dir = out;
      if (onS3) {
        dir = join(servers.work, `copy-${scenario}`);
        await downloadLake(s3.client(), BUCKET, `scenario-${scenario}`, dir);
      }
      expect(await compareLakeWithSource(dir, source), `scenario ${scenario}`).toEqual(noDifference(source));
      expect(await provenanceConflicts(dir), `scenario ${scenario}`).toEqual([]);
    }
    // At least 10 kills landed mid-run (a resumed run can finish before its kill point), and some
    // between a batch's intent and its done record.
    console.log(
      `crash test: ${killedRuns} runs killed, ${killedInsideBatch} inside a batch; final runs resumed ${resumedBatches} batches, adopted ${adoptedFiles} files`,
    );
    expect(killedRuns).toBeGreaterThanOrEqual(10);
    expect(killedInsideBatch).toBeGreaterThanOrEqual(3);
  }, 110_000);
});
