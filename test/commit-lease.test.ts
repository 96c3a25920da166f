/**
 * Issue 16, item 13: one run of a job at a time. A run takes `_state/<jobId>/lease.json` before it
 * reads anything and renews it while it lives; a second copy of the same command started meanwhile
 * exits 3 at once, naming the lease's owner and expiry, having sent no Lambda request. A lease
 * left by a killed run (same host, process gone) or an expired one (a crashed run elsewhere) is
 * taken over. The built CLI runs as child processes against the local service and local S3 (behind
 * the proxy that answers `If-None-Match`/`If-Match` as S3 does) or a local directory. The second
 * run talks to its own instance of the local service, so its Lambda requests are counted alone.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitionOf, jobIdOf } from '../src/commit/job-id.js';
import { JobLease } from '../src/commit/job-lease.js';
import { leaseKey } from '../src/commit/state-keys.js';
import { LocalConditionalObjects } from '../src/lake/conditional-objects.js';
import { type Lake, openLake } from '../src/lake/open-lake.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { type CliResult, endedWithin, type RunningCli, startCli, waitUntil } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const BUCKET = 'lease-lake';
const source = generateSyntheticExecutions({ count: 90, seed: 16, functionNames: ['orders'] });
const jobId = jobIdOf(jobDefinitionOf({ functions: ['orders'], statuses: [], out: '' }, 'history'));

/** Far longer than any run here needs: a run still going then is a hang, and is killed. */
const GUARD_MS = 40_000;

async function ended(run: RunningCli): Promise<CliResult> {
  const result = await endedWithin(run, GUARD_MS);
  expect(result.hung, 'the run had to be killed').toBe(false);
  return result;
}

const until = (condition: () => boolean | Promise<boolean>, what: string) =>
  waitUntil(condition, what, GUARD_MS);

describe.each(['s3', 'local'] as const)('the lease of a job (%s)', (kind) => {
  const servers = useTestServers('lease-');
  let proxy: PreconditionProxy;
  /** The first run's Lambda endpoint, and the second run's own. */
  let first: RunningLocalService;
  let second: RunningLocalService;
  let scenario = 0;

  beforeAll(async () => {
    Object.assign(process.env, LOCAL_AWS_ENV);
    const s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    first = await servers.localService({ executions: source });
    second = await servers.localService({ executions: source });
  });

  /** A fresh lake for each test, opened to look at its lease. */
  function freshLake(): { out: string; lake: Lake } {
    scenario++;
    const out = kind === 's3' ? `s3://${BUCKET}/lake-${scenario}` : join(servers.work, `lake-${scenario}`);
    return { out, lake: openLake(parseOutputLocation(out), { endpointUrlS3: proxy.endpoint }) };
  }

  const leaseOf = async (lake: Lake) => {
    const found = await lake.conditional.read(leaseKey(lake.prefix, jobId));
    return found && JSON.parse(new TextDecoder().decode(found.bytes));
  };

  /** `export -f orders` into `out` against `service`; 15 requests/s make the first run last ~6 s. */
  const exportRun = (out: string, service: RunningLocalService, env: NodeJS.ProcessEnv = {}) =>
    startCli(
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
        '--no-progress',
      ],
      { ...LOCAL_AWS_ENV, DURABLE_EXPORT_SINK_BATCH_EXECUTIONS: '10', ...env },
    );

  /** The same command against the second service takes the lease over, finishes and releases it. */
  async function exportsToTheEnd(out: string, lake: Lake): Promise<void> {
    const result = await ended(exportRun(out, second, rateLimitsEnv(1000)));
    expect(result.code, result.stderr).toBe(0);
    expect(await leaseOf(lake), 'the lease after the run').toBeUndefined();
  }

  it(
    'a second copy of a running job exits 3 at once, naming the owner and expiry, and reads nothing',
    async () => {
      const { out, lake } = freshLake();
      try {
        // A 3 s lease renewed every second: still held after 3.5 s only if renewal works.
        const base = first.requestCount();
        const running = exportRun(out, first, {
          DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '15',
          DURABLE_EXPORT_SINK_LEASE_DURATION_MS: '3000',
        });
        const started = Date.now();
        await until(() => first.requestCount() - base >= 3, 'the first run to read');
        await until(() => Date.now() - started >= 3500, 'a lease renewal or two');
        const lease = await leaseOf(lake);
        expect(lease).toMatchObject({ jobId, host: hostname(), pid: running.child.pid });

        const secondBase = second.requestCount();
        const copy = await ended(exportRun(out, second));
        expect(copy.code, copy.stderr).toBe(3);
        expect(copy.stderr).toContain(`_state/${jobId}/lease.json is held by run ${lease.runId}`);
        expect(copy.stderr).toContain(`(host ${hostname()}, pid ${running.child.pid}) until `);
        expect(copy.stderr).toContain('nothing was read');
        expect(second.requestCount() - secondBase, 'Lambda requests of the second run').toBe(0);

        // --dry-run reads and writes no state: it neither takes nor checks the lease.
        const dry = await ended(
          startCli(
            ['export', '-f', 'orders', '--out', out, '--endpoint-url-lambda', second.url, '--dry-run'],
            { ...LOCAL_AWS_ENV, AWS_ENDPOINT_URL_S3: proxy.endpoint },
          ),
        );
        expect(dry.stderr).not.toContain('lease');

        const result = await ended(running);
        expect(result.code, result.stderr).toBe(0);
        expect(await leaseOf(lake), 'the lease after the run').toBeUndefined();
      } finally {
        lake.close();
      }
    },
    3 * GUARD_MS,
  );

  it(
    'a lease left by a killed run on this host is taken over at once',
    async () => {
      const { out, lake } = freshLake();
      try {
        const base = first.requestCount();
        const killed = exportRun(out, first, { DURABLE_EXPORT_LAMBDA_REQUESTS_PER_SECOND: '15' });
        await until(() => first.requestCount() - base >= 5, 'the first run to read');
        killed.child.kill('SIGKILL');
        await killed.done;
        expect(await leaseOf(lake)).toMatchObject({ pid: killed.child.pid });

        await exportsToTheEnd(out, lake);
      } finally {
        lake.close();
      }
    },
    3 * GUARD_MS,
  );

  it(
    "another host's lease stops the run until it expires, then is taken over",
    async () => {
      const { out, lake } = freshLake();
      const key = leaseKey(lake.prefix, jobId);
      const leaseFrom = (expiresAt: Date) =>
        new TextEncoder().encode(
          JSON.stringify({
            kind: 'durable-export/lease',
            format: 1,
            jobId,
            runId: 'elsewhere-run',
            host: 'another-host.example',
            pid: 1,
            acquiredAt: new Date(expiresAt.getTime() - 60_000).toISOString(),
            renewedAt: new Date(expiresAt.getTime() - 60_000).toISOString(),
            expiresAt: expiresAt.toISOString(),
            toolVersion: '0.1.0',
          }),
        );
      try {
        const live = new Date(Date.now() + 10 * 60_000);
        expect(await lake.conditional.create(key, leaseFrom(live))).toBe(true);
        const secondBase = second.requestCount();
        const held = await ended(exportRun(out, second));
        expect(held.code, held.stderr).toBe(3);
        expect(held.stderr).toContain(
          `held by run elsewhere-run (host another-host.example, pid 1) until ${live.toISOString()}`,
        );
        expect(second.requestCount() - secondBase).toBe(0);

        const current = await lake.conditional.read(key);
        expect(current).toBeDefined();
        if (!current) return;
        const expired = new Date(Date.now() - 1000);
        expect(await lake.conditional.replace(key, leaseFrom(expired), current.version)).toBe(true);
        await exportsToTheEnd(out, lake);
      } finally {
        lake.close();
      }
    },
    3 * GUARD_MS,
  );
});

describe('a lease taken over while its run goes on', () => {
  const servers = useTestServers('lease-lost-');

  it('stops the run (onLost, naming the new owner) and is not deleted by the old run', async () => {
    const objects = new LocalConditionalObjects(servers.work);
    const lost: Error[] = [];
    const lease = await JobLease.acquire({
      objects,
      prefix: '',
      jobId,
      runId: 'first-run',
      durationMs: 1500,
      onLost: (error) => lost.push(error),
    });
    const key = leaseKey('', jobId);
    const mine = await objects.read(key);
    if (!mine) throw new Error('no lease after acquire');
    // Another run takes the lease over, as if this one had been suspended past its expiry.
    const other = { ...JSON.parse(new TextDecoder().decode(mine.bytes)), runId: 'second-run', pid: 1 };
    expect(await objects.replace(key, new TextEncoder().encode(JSON.stringify(other)), mine.version)).toBe(
      true,
    );
    await until(() => lost.length > 0, 'the renewal to notice');
    expect(lost[0]?.message).toContain('run first-run lost its lease');
    expect(lost[0]?.message).toContain('run second-run (host');
    await lease.release();
    const after = await objects.read(key);
    expect(after && JSON.parse(new TextDecoder().decode(after.bytes)).runId).toBe('second-run');
  });
});
