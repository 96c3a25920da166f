import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/cli/exit-status.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { downloadLake } from '../src/lake/download-lake.js';
import type { LocalS3 } from '../src/local/local-s3.js';
import type { RunningLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';
import { depthsOf, expectedOperationRow, truncatedIdsOf } from './support/expected-rows.js';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.js';
import { kmsException, s3InternalError } from './support/fault-responses.js';
import { type LakeTable, readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { canonicalRow, largeInputExecutions, multisetDiff } from './support/test-executions.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';

const SEED = 20260601;
const BUCKET = 'fault-lake';
const PREFIX = 'faults/durable';
const synthetic = generateSyntheticExecutions({
  count: 200,
  seed: SEED,
  functionNames: ['orders', 'payments'],
});
// 6 MiB inputs on a day of their own: the files holding them need multipart uploads (5 MiB parts).
const large = largeInputExecutions({
  count: 3,
  seed: SEED + 1,
  functionName: 'orders',
  day: '2026-02-01',
  inputBytes: 6 * 1024 * 1024,
});
const source = [...synthetic, ...large];
const arnOf = (e?: { execution: Record<string, unknown> }) => String(e?.execution.DurableExecutionArn);
const kmsArns = new Set([arnOf(synthetic[7]), arnOf(synthetic[77])]);

describe('a seeded fault run: every fault survived, the lake equals the source', () => {
  const servers = useTestServers('faults-');
  let s3: LocalS3;
  let service: RunningLocalService;
  let lambdaProxy: FaultProxy;
  let s3Proxy: FaultProxy;
  let summary: ExportSummary;
  let operations: LakeTable;
  let executions: LakeTable;
  const kmsRequests = new Map<string, number>();

  beforeAll(async () => {
    s3 = await servers.localS3(BUCKET);
    service = await servers.localService({ executions: source });
    lambdaProxy = servers.own(
      await startFaultProxy({
        upstream: service.url,
        service: 'lambda',
        seed: SEED,
        rates: { throttle: 0.1, serverError: 0.02, reset: 0.01, slow: 0.02, expiredMarker: 0.02 },
        respond: ({ url }) => {
          const arn = [...kmsArns].find((a) => url.pathname.includes(encodeURIComponent(a)));
          if (!arn) return undefined;
          kmsRequests.set(arn, (kmsRequests.get(arn) ?? 0) + 1);
          return kmsException();
        },
      }),
    );
    s3Proxy = servers.own(
      await startFaultProxy({
        upstream: s3.endpoint,
        service: 's3',
        seed: SEED,
        rates: { s3InternalError: 0.05, s3SlowDown: 0.02 },
        // Every first attempt of a second multipart part fails, so part retries are always exercised.
        respond: ({ method, url, attempt }) =>
          method === 'PUT' && url.searchParams.get('partNumber') === '2' && attempt === 1
            ? s3InternalError()
            : undefined,
      }),
    );
    Object.assign(process.env, {
      ...LOCAL_AWS_ENV,
      AWS_MAX_ATTEMPTS: '6', // the S3 client's attempts (the Lambda client's come from the config)
    });
    const config = await loadConfig({
      flags: {
        lambda: {
          pageSize: 25,
          rateLimits: rateLimitsAll(2000),
          maxConcurrent: 24,
          maxAttempts: 10,
          executionsInFlight: 24,
          markerRestartLimit: 6,
        },
        sink: { maxFileRows: 50, rowGroupRows: 50, partSizeBytes: 5 * 1024 * 1024 },
        export: { functions: ['orders', 'payments'], out: `s3://${BUCKET}/${PREFIX}` },
      },
    });
    summary = await runExportJob(config, {
      endpointUrlLambda: lambdaProxy.endpoint,
      endpointUrlS3: s3Proxy.endpoint,
      runId: 'fault-run',
    });
    const lake = join(servers.work, 'lake');
    await downloadLake(s3.client(), BUCKET, PREFIX, lake);
    operations = await readLakeTable(lake, 'operations');
    executions = await readLakeTable(lake, 'executions');
  }, 120_000);

  afterAll(async () => {
    delete process.env.AWS_MAX_ATTEMPTS;
  });

  it('injected every kind of fault', () => {
    for (const kind of ['throttle', 'serverError', 'reset', 'slow', 'expiredMarker'] as const) {
      expect(lambdaProxy.counters.faults[kind], kind).toBeGreaterThan(0);
    }
    expect(lambdaProxy.counters.faults.throttle / lambdaProxy.counters.requests).toBeGreaterThan(0.07);
    expect(s3Proxy.counters.faults.s3InternalError + s3Proxy.counters.faults.s3SlowDown).toBeGreaterThan(0);
    expect(s3Proxy.counters.overridden).toBeGreaterThan(0); // a multipart part failed and was retried
  });

  it('ends every execution in exactly one outcome; only the KMS ones fail, each named and tried once', () => {
    expect(summary.executionsExported + summary.executionsFailed).toBe(source.length);
    expect(summary.executionsFailed).toBe(kmsArns.size);
    expect(new Set(summary.failures.map((f) => f.subject))).toEqual(kmsArns);
    for (const f of summary.failures) expect(f.message).toContain('KMSAccessDeniedException');
    expect([...kmsRequests.values()]).toEqual([1, 1]);
    expect(summary.requests.permanentErrors).toBe(kmsArns.size);
    expect(summary.restarts).toBeGreaterThan(0);
    expect(exitCodeOf(summary)).toBe(1);
  });

  it('retried exactly the failed attempts: the summary agrees with the proxy', () => {
    expect(summary.requests.requests).toBe(lambdaProxy.counters.requests);
    expect(summary.requests.retries).toBe(lambdaProxy.counters.retriesSeen);
    const lambdaFaults = Object.values(lambdaProxy.counters.faults).reduce((n, c) => n + c, 0);
    const hardFaults =
      lambdaFaults - lambdaProxy.counters.faults.slow - lambdaProxy.counters.faults.expiredMarker;
    expect(summary.requests.retries).toBe(hardFaults);
    const s3Faults = s3Proxy.counters.faults.s3InternalError + s3Proxy.counters.faults.s3SlowDown;
    expect(s3Proxy.counters.retriesSeen).toBe(s3Faults + s3Proxy.counters.overridden);
  });

  it('holds the same multiset of operation rows as the source: 0 missing, 0 duplicates', () => {
    const expected: string[] = [];
    for (const e of source) {
      const arn = arnOf(e);
      if (kmsArns.has(arn)) continue;
      const context = {
        arn,
        functionName: String(e.execution.FunctionArn).split(':')[6] ?? '',
        truncatedIds: truncatedIdsOf(e.events),
        depthOf: depthsOf(e.expectedOperations),
      };
      for (const op of e.expectedOperations) {
        const history = e.expectedHistoryColumns[String(op.Id)];
        expected.push(canonicalRow(expectedOperationRow(op, context, history)));
      }
    }
    const actual = operations.rows.map(canonicalRow);
    expect(multisetDiff(expected, actual)).toEqual({ missing: 0, extra: 0, duplicates: 0 });
    expect(executions.rows.map((r) => r.execution_arn).sort()).toEqual(
      source
        .map(arnOf)
        .filter((a) => !kmsArns.has(a))
        .sort(),
    );
    console.log(
      `fault run: ${JSON.stringify({
        lambda: lambdaProxy.counters,
        s3: s3Proxy.counters,
        summaryRequests: summary.requests,
        outcomes: { exported: summary.executionsExported, failed: summary.executionsFailed },
        restarts: summary.restarts,
        rowsCompared: { operations: actual.length, executions: executions.rows.length },
        files: summary.files.length,
        durationMs: summary.durationMs,
      })}`,
    );
  });
});
