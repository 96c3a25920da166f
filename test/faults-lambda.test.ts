/**
 * Lambda-side faults one at a time, through the fault proxy in front of the local service: an
 * expired pagination marker, KMS 502s (permanent), a 5xx storm that outlasts the retries, and
 * answers slower than the request timeout.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetDurableExecutionCommand } from '@aws-sdk/client-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import { exitCodeOf } from '../src/cli/exit-status.js';
import type { PartialConfig } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { type FaultProxyOptions, startFaultProxy } from './support/fault-proxy.js';
import { expiredMarker, kmsException, serviceException } from './support/fault-responses.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll, rateLimitsEnv } from './support/rate-limits.js';
import { runCli } from './support/run-cli.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const source = generateSyntheticExecutions({ count: 12, seed: 61, functionNames: ['orders'] });
const arnOf = (i: number) => String(source[i]?.execution.DurableExecutionArn);
const encoded = (i: number) => encodeURIComponent(arnOf(i));
const operationCount = (i: number) => source[i]?.expectedOperations.length ?? 0;
const totalOperations = source.reduce((n, e) => n + e.expectedOperations.length, 0);

describe('Lambda faults, one at a time', () => {
  const servers = useTestServers('faults-lambda-');
  let service: RunningLocalService;
  let run = 0;

  beforeAll(async () => {
    service = await servers.localService({ executions: source });
    Object.assign(process.env, LOCAL_AWS_ENV);
  });

  /** Exports every execution through a proxy with `proxy` options into a fresh local lake. */
  async function exportThrough(proxy: Omit<FaultProxyOptions, 'upstream' | 'service'>, lambda = {}) {
    const faults = await startFaultProxy({ upstream: service.url, service: 'lambda', ...proxy });
    const out = join(servers.work, `lake-${run++}`);
    const flags: PartialConfig = {
      lambda: { pageSize: 4, rateLimits: rateLimitsAll(1000), maxConcurrent: 8, ...lambda },
      export: { functions: ['orders'], out },
    };
    try {
      const summary = await runExportJob(await loadConfig({ flags }), { endpointUrlLambda: faults.endpoint });
      const rows = summary.executionsExported > 0 ? (await readLakeTable(out, 'operations')).rows : [];
      return { summary, rows, proxy: faults };
    } finally {
      await faults.close();
    }
  }

  it('an expired marker re-reads that execution from its first page, without duplicates', async () => {
    let expired = 0;
    const { summary, rows, proxy } = await exportThrough({
      seed: 1,
      respond: ({ url }) => {
        const isTarget = url.pathname === `/2025-12-01/durable-executions/${encoded(3)}/history`;
        if (!isTarget || !url.searchParams.has('Marker') || expired > 0) return undefined;
        expired++;
        return expiredMarker();
      },
    });
    expect(proxy.counters.overridden).toBe(1);
    expect(summary.restarts).toBe(1);
    expect(summary.failures).toEqual([]);
    const target = rows.filter((r) => r.execution_arn === arnOf(3));
    expect(target).toHaveLength(operationCount(3));
    expect(new Set(target.map((r) => r.operation_id)).size).toBe(operationCount(3));
    expect(rows).toHaveLength(totalOperations);
  });

  it('a marker that keeps expiring fails that execution after markerRestartLimit re-reads, named', async () => {
    const { summary, rows } = await exportThrough(
      {
        seed: 1,
        respond: ({ url }) =>
          url.pathname.includes(encoded(5)) && url.searchParams.has('Marker') ? expiredMarker() : undefined,
      },
      { markerRestartLimit: 2 },
    );
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]?.subject).toBe(arnOf(5));
    expect(summary.failures[0]?.message).toMatch(
      /reading history of .* failed on page 2 \(marker .*\).*Marker expired/,
    );
    expect(rows.some((r) => r.execution_arn === arnOf(5))).toBe(false);
    expect(rows).toHaveLength(totalOperations - operationCount(5));
    expect(exitCodeOf(summary)).toBe(1);
  });

  it('KMS*Exception (502) is permanent: one attempt, that execution fails with the KMS error named', async () => {
    const { summary, proxy } = await exportThrough(
      {
        seed: 1,
        respond: ({ url }) =>
          url.pathname.includes(encoded(2)) ? kmsException('KMSDisabledException') : undefined,
      },
      { maxAttempts: 8 },
    );
    expect(proxy.counters.overridden).toBe(1);
    expect(proxy.counters.retriesSeen).toBe(0);
    expect(summary.failures).toEqual([
      {
        subject: arnOf(2),
        message: expect.stringContaining('KMSDisabledException'),
        stage: 'source',
        executionArn: arnOf(2),
      },
    ]);
    expect(summary.executionsExported).toBe(source.length - 1);
    expect(summary.requests.permanentErrors).toBe(1);
  });

  it('--summary-json names the stage, execution and page marker of a history page that fails', async () => {
    const faults = await startFaultProxy({
      upstream: service.url,
      service: 'lambda',
      seed: 1,
      respond: ({ url }) =>
        url.pathname.includes(encoded(5)) && url.searchParams.has('Marker') ? kmsException() : undefined,
    });
    const file = join(servers.work, 'failed-page-summary.json');
    try {
      const result = await runCli(
        ['export', '-f', 'orders', '--out', join(servers.work, `lake-${run++}`), '--summary-json', file],
        {
          ...LOCAL_AWS_ENV,
          AWS_ENDPOINT_URL_LAMBDA: faults.endpoint,
          DURABLE_EXPORT_LAMBDA_PAGE_SIZE: '4',
          ...rateLimitsEnv(1000),
          DURABLE_EXPORT_LAMBDA_MAX_CONCURRENT: '8',
        },
      );
      expect(result.code, result.stderr).toBe(1);
    } finally {
      await faults.close();
    }
    const { failures } = JSON.parse(await readFile(file, 'utf8'));
    expect(failures).toEqual([
      {
        subject: arnOf(5),
        message: expect.stringMatching(/failed on page 2 \(marker .+\): KMSAccessDeniedException/),
        stage: 'source',
        executionArn: arnOf(5),
        marker: expect.any(String),
      },
    ]);
    expect(failures[0].message).toContain(failures[0].marker);
  });

  it('only KMS errors skip the retries: a 5xx is still retried maxAttempts times', async () => {
    const faults = await startFaultProxy({
      upstream: service.url,
      service: 'lambda',
      seed: 1,
      respond: ({ url }) => (url.pathname.includes('kms') ? kmsException() : serviceException()),
    });
    const limiter = new RateLimiter({ rateLimits: rateLimitsAll(1000), maxConcurrent: 2 });
    const client = createLambdaClient({
      region: 'us-east-1',
      endpoint: faults.endpoint,
      maxAttempts: 4,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 1000,
      limiter,
    });
    const attempts = async (arn: string) =>
      client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })).then(
        () => 0,
        (e: { name: string; $metadata: { attempts?: number } }) => `${e.name} x${e.$metadata.attempts}`,
      );
    expect(await attempts('kms')).toBe('KMSAccessDeniedException x1');
    expect(await attempts('other')).toBe('ServiceException x4');
    expect(limiter.stats).toMatchObject({ requests: 5, retries: 3, permanentErrors: 1 });
    client.destroy();
    await limiter.stop();
    await faults.close();
  });

  it('a 5xx storm that outlasts maxAttempts fails only that execution, naming the error', async () => {
    const { summary } = await exportThrough(
      { seed: 1, respond: ({ url }) => (url.pathname.includes(encoded(8)) ? serviceException() : undefined) },
      { maxAttempts: 3 },
    );
    expect(summary.failures).toEqual([
      {
        subject: arnOf(8),
        message: expect.stringMatching(/failed on page 1: ServiceException: injected/),
        stage: 'source',
        executionArn: arnOf(8),
      },
    ]);
    expect(summary.executionsExported).toBe(source.length - 1);
  });

  it('answers slower than requestTimeoutMs time out and are retried; everything is exported', async () => {
    const { summary, rows, proxy } = await exportThrough(
      { seed: 4, rates: { slow: 0.1 }, slowMs: 1000 },
      { requestTimeoutMs: 300, maxAttempts: 10, pageSize: 50 },
    );
    expect(proxy.counters.faults.slow).toBeGreaterThan(0);
    expect(summary.requests.retries).toBeGreaterThanOrEqual(proxy.counters.faults.slow);
    expect(summary.failures).toEqual([]);
    expect(rows).toHaveLength(totalOperations);
  });
});
