import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { downloadLake } from '../src/lake/download-lake.js';
import { openLake } from '../src/lake/open-lake.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { createPrng } from '../src/local/synthetic/prng.js';
import { openLakeSession } from '../src/query/lake-session.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { verifyLake } from '../src/verify/verify-lake.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { compareLakeWithSource, noDifference } from './support/lake-equality.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { runCli, startCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

/**
 * kill -9 of `compact` at seeded moments (stopped at a step by DURABLE_EXPORT_COMPACT_PAUSE_AFTER,
 * or after a seeded delay), then: `verify` passes and `query` sees every row once, right after the
 * kill; the same command again finishes the job and leaves few files that plain readers (a glob
 * over every data file) read exactly once.
 */

const source = generateSyntheticExecutions({ count: 30, seed: 12, functionNames: ['orders'] });
const BUCKET = 'compact-crash';
/** Step kills land on every machine; the timed kills after them may come after a fast run ended. */
const STEPS = [
  'intent:1',
  'file:1',
  'file:3',
  'manifest:1',
  'manifest:2',
  'delete:1',
  'delete:5',
  'file:2',
  'delete:2',
];
const SCENARIOS = 12;

async function dataFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((e) => e.endsWith('.parquet') && !e.split('/').some((s) => s.startsWith('_'))).sort();
}

/** Rows and distinct row keys per table, as `query` sees them. */
async function readerCounts(dir: string): Promise<string> {
  const session = await openLakeSession(dir);
  try {
    const ops = await session.query(
      'SELECT count(*) AS n, count(DISTINCT (execution_arn, operation_id)) AS k FROM operations',
    );
    const execs = await session.query(
      'SELECT count(*) AS n, count(DISTINCT execution_arn) AS k FROM executions',
    );
    return JSON.stringify([ops.rows, execs.rows], (_, v) => (typeof v === 'bigint' ? Number(v) : v));
  } finally {
    session.close();
  }
}

describe('crash safety of compact: SIGKILL at seeded moments, then the same command again', () => {
  const servers = useTestServers('compact-crash-');
  let s3: LocalS3;
  let proxy: PreconditionProxy;
  let service: RunningLocalService;
  let base: string;
  let baseCounts: string;

  const exportTo = async (out: string) => {
    const exported = await runCli(
      [
        'export',
        '-f',
        'orders',
        '--out',
        out,
        '--endpoint-url-lambda',
        service.url,
        '--no-progress',
        ...s3Flags(),
      ],
      { ...LOCAL_AWS_ENV, ...rateLimitsEnv(1000), DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '1' },
    );
    expect(exported.code, exported.stderr).toBe(0);
  };
  const s3Flags = () => ['--endpoint-url-s3', proxy.endpoint];

  /** The lake as a local directory: itself, or a fresh copy of an S3 lake. */
  let copies = 0;
  async function localView(out: string): Promise<string> {
    if (!out.startsWith('s3://')) return out;
    const dir = join(servers.work, `copy-${copies++}`);
    await downloadLake(s3.client(), BUCKET, out.slice(`s3://${BUCKET}/`.length), dir);
    return dir;
  }

  async function verifyProblems(out: string): Promise<unknown[]> {
    const lake = openLake(parseOutputLocation(out), { endpointUrlS3: proxy.endpoint });
    try {
      return (await verifyLake(lake, { duckdb: false })).problems;
    } finally {
      lake.close();
    }
  }

  beforeAll(async () => {
    // verify runs in this process and reads the S3 lake with the same credentials.
    Object.assign(process.env, LOCAL_AWS_ENV);
    s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    service = await servers.localService({ executions: source });
    base = join(servers.work, 'base');
    await exportTo(base);
    expect(await verifyProblems(base)).toEqual([]);
    baseCounts = await readerCounts(base);
  }, 60_000);

  const compactArgs = (out: string) => [
    'compact',
    '--out',
    out,
    '--before',
    '2100-01-01',
    '--target-file-mb',
    '0.01',
    ...s3Flags(),
  ];

  it(`leaves a verified lake read once after kills at ${SCENARIOS} seeded moments (S3 and local)`, async () => {
    const prng = createPrng(20261130);
    let killed = 0;
    const killedAt: string[] = [];
    const baseFiles = (await dataFiles(base)).length;
    for (let scenario = 0; scenario < SCENARIOS; scenario++) {
      const onS3 = scenario % 2 === 1;
      const out = onS3 ? `s3://${BUCKET}/scenario-${scenario}` : join(servers.work, `lake-${scenario}`);
      if (onS3) await exportTo(out);
      else await cp(base, out, { recursive: true });
      const step = scenario < STEPS.length ? STEPS[scenario] : undefined;
      const delayMs = prng.int(300, 2500);
      // spawn ignores an undefined variable.
      const env = { ...LOCAL_AWS_ENV, DURABLE_EXPORT_COMPACT_PAUSE_AFTER: step };
      const run = startCli(compactArgs(out), env);
      const timer = step ? undefined : setTimeout(() => run.child.kill('SIGKILL'), delayMs);
      run.child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('paused after')) run.child.kill('SIGKILL');
      });
      const result = await run.done;
      clearTimeout(timer);
      const moment = `${onS3 ? 'S3' : 'local'} ${step ?? `${delayMs} ms`}`;
      if (result.signal === 'SIGKILL') {
        killed++;
        killedAt.push(moment);
      } else expect(result.code, `${moment}: ${result.stderr}`).toBe(0);

      expect(await verifyProblems(out), `right after the kill at ${moment}`).toEqual([]);
      expect(await readerCounts(await localView(out)), `query right after the kill at ${moment}`).toBe(
        baseCounts,
      );

      const again = await runCli(compactArgs(out), LOCAL_AWS_ENV);
      expect(again.code, again.stderr).toBe(0);
      expect(await verifyProblems(out), `after the re-run (${moment})`).toEqual([]);
      const dir = await localView(out);
      expect(await compareLakeWithSource(dir, source), `plain readers (${moment})`).toEqual(
        noDifference(source),
      );
      expect((await dataFiles(dir)).length).toBeLessThan(baseFiles);
      const state = await readdir(join(dir, '_state'), { recursive: true });
      expect(state.filter((f) => f.startsWith('compact-') && f.endsWith('intent.json'))).toEqual([]);
    }
    console.log(`compact crash test: ${killed} runs killed, at ${killedAt.join(', ')}`);
    // Every step kill landed (at least 8 moments, whatever the machine's speed), plus any timed one.
    expect(killed).toBeGreaterThanOrEqual(STEPS.length);
  }, 300_000);
});
