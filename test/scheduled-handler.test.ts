import type { ScheduledEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLake } from '../src/lake/open-lake.js';
import { handler } from '../src/lambda/scheduled-handler.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../src/local/synthetic/generate-executions.js';
import { queryLake } from '../src/query/query-lake.js';
import { parseOutputLocation } from '../src/sink/output-location.js';
import { type PreconditionProxy, startPreconditionProxy } from './sink-precondition-proxy.js';
import { lambdaContext } from './support/lambda-context.js';
import { rateLimitsEnv } from './support/rate-limits.js';
import { asRunning } from './support/running-execution.js';
import { LOCAL_AWS_ENV, useTestServers } from './support/test-servers.js';
import { expectVerifiedOnce as expectVerified } from './support/verified-lake.js';

const BUCKET = 'scheduled-lake';
const DAY_MS = 86_400_000;

/** An EventBridge rule's scheduled event carrying the handler's fields in `detail`. */
function scheduledEvent(detail: Record<string, unknown>): ScheduledEvent<Record<string, unknown>> {
  return {
    version: '0',
    id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:123456789012:rule/durable-export-hourly'],
    detail,
  };
}

const arnOf = (e: SyntheticExecution) => String(e.execution.DurableExecutionArn);
const operationsOf = (executions: SyntheticExecution[]) =>
  executions.reduce((n, e) => n + e.expectedOperations.length, 0);

describe('the scheduled Lambda handler: incremental export with a time budget', () => {
  const servers = useTestServers('scheduled-');
  let proxy: PreconditionProxy;
  let service: RunningLocalService | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    const s3 = await servers.localS3(BUCKET);
    proxy = servers.own(await startPreconditionProxy(s3.endpoint));
    Object.assign(process.env, LOCAL_AWS_ENV, rateLimitsEnv(1000), { AWS_ENDPOINT_URL_S3: proxy.endpoint });
  });
  afterAll(async () => {
    await service?.close();
    process.env = saved;
  });

  /** Serves `executions` (replacing what was served before), as the Lambda endpoint of the handler. */
  async function serve(executions: SyntheticExecution[], latencyMs = 0): Promise<void> {
    await service?.close();
    service = await startService(executions, latencyMs);
    process.env.AWS_ENDPOINT_URL_LAMBDA = service.url;
  }

  const expectVerifiedOnce = (out: string, expectedOperations: number) =>
    expectVerified(out, expectedOperations, proxy.endpoint);

  it('re-checks executions RUNNING at the last run and re-exports those that ended', async () => {
    const out = `s3://${BUCKET}/ended`;
    const startFrom = new Date(Date.now() - 2 * DAY_MS);
    const finished = generateSyntheticExecutions({
      count: 8,
      seed: 14,
      functionNames: ['orders'],
      startFrom,
      spanDays: 1,
    });
    const ending = finished.filter((e) => e.execution.Status === 'SUCCEEDED').slice(0, 2);
    const endingArns = new Set(ending.map(arnOf));
    const nativeRunning = finished.filter((e) => e.execution.Status === 'RUNNING').length;
    await serve(finished.map((e) => (endingArns.has(arnOf(e)) ? asRunning(e) : e)));
    const fields = { functions: ['orders'], out, startedAfter: startFrom.toISOString().slice(0, 10) };

    const first = await handler(scheduledEvent(fields), lambdaContext(600_000));
    expect(first).toMatchObject({ complete: true, executionsExported: 8, executionsFailed: 0 });
    expect(first.incremental).toEqual({
      new: 8,
      rechecked: 0,
      reexported: 0,
      stillRunning: 2 + nativeRunning,
    });
    await expectVerifiedOnce(out, operationsOf(finished));

    // Between the runs the two executions end, and three new ones start.
    const later = generateSyntheticExecutions({
      count: 3,
      seed: 15,
      functionNames: ['orders'],
      startFrom: new Date(Date.now() + 5),
      spanDays: 20 / DAY_MS,
    });
    await serve([...finished, ...later]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const second = await handler(scheduledEvent(fields), lambdaContext(600_000));
    const laterRunning = later.filter((e) => e.execution.Status === 'RUNNING').length;
    expect(second).toMatchObject({ complete: true, executionsExported: 5, executionsFailed: 0 });
    expect(second.incremental).toEqual({
      new: 3,
      rechecked: 2 + nativeRunning,
      reexported: 2,
      stillRunning: nativeRunning + laterRunning,
    });
    await expectVerifiedOnce(out, operationsOf([...finished, ...later]));
    const statuses = await queryLake(
      out,
      `SELECT execution_arn, status FROM executions_latest WHERE execution_arn IN (${[...endingArns].map((a) => `'${a}'`).join(', ')})`,
      { endpointUrlS3: proxy.endpoint },
    );
    expect(statuses.rows.map((r) => r[1])).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    // Nothing new: the third run reads only the listing and the still-running re-checks.
    const third = await handler(scheduledEvent(fields), lambdaContext(600_000));
    expect(third).toMatchObject({ complete: true, executionsExported: 0 });
  });

  it('stops taking executions at its time budget, commits them, and the next invocation finishes the job', async () => {
    const out = `s3://${BUCKET}/budget`;
    const startFrom = new Date(Date.now() - 2 * DAY_MS);
    const executions = generateSyntheticExecutions({
      count: 40,
      seed: 41,
      functionNames: ['orders'],
      startFrom,
      spanDays: 1,
    });
    await serve(executions, 40);
    const fields = {
      functions: ['orders'],
      out,
      startedAfter: startFrom.toISOString(),
      sink: { batchExecutions: 3 },
      lambda: { executionsInFlight: 2 },
      export: { safetyMarginMs: 2000 },
    };

    const first = await handler(scheduledEvent(fields), lambdaContext(2000 + 900));
    expect(first.complete).toBe(false);
    expect(first.executionsExported).toBeGreaterThan(0);
    expect(first.executionsRemaining).toBeGreaterThan(0);
    expect(first.commit?.manifestWritten).toBe(true);
    await expectVerifiedOnce(out, await committedOperations(out));
    expect(await committedOperations(out)).toBe(first.operations);

    const second = await handler(scheduledEvent(fields), lambdaContext(600_000));
    expect(second).toMatchObject({ complete: true, executionsRemaining: 0, executionsFailed: 0 });
    expect(second.executionsSkipped).toBe(first.executionsExported);
    expect(second.executionsExported + second.executionsSkipped).toBe(executions.length);
    expect(second.commit?.jobId).toBe(first.commit?.jobId);
    await expectVerifiedOnce(out, operationsOf(executions));
  });

  it('reads its configuration from DURABLE_EXPORT_* variables, and the event fields over them', async () => {
    const startFrom = new Date(Date.now() - 2 * DAY_MS);
    const executions = generateSyntheticExecutions({
      count: 3,
      seed: 7,
      functionNames: ['payments'],
      startFrom,
      spanDays: 1,
    });
    await serve(executions);
    Object.assign(process.env, {
      DURABLE_EXPORT_EXPORT_FUNCTIONS: 'payments',
      DURABLE_EXPORT_EXPORT_OUT: `s3://${BUCKET}/from-env`,
      DURABLE_EXPORT_EXPORT_STARTED_AFTER: startFrom.toISOString(),
    });
    try {
      // EventBridge Scheduler delivers its input as the event: here only `out`, over the variable's.
      const summary = await handler({ out: `s3://${BUCKET}/from-event` }, lambdaContext(600_000));
      expect(summary).toMatchObject({ complete: true, executionsExported: 3 });
      await expectVerifiedOnce(`s3://${BUCKET}/from-event`, operationsOf(executions));
    } finally {
      delete process.env.DURABLE_EXPORT_EXPORT_FUNCTIONS;
      delete process.env.DURABLE_EXPORT_EXPORT_OUT;
      delete process.env.DURABLE_EXPORT_EXPORT_STARTED_AFTER;
    }
  });

  it('refuses unknown event fields by name', async () => {
    await expect(
      handler(scheduledEvent({ functions: ['orders'], outt: 'x' }), lambdaContext(600_000)),
    ).rejects.toThrow(/outt/);
  });

  it('with allFunctions exports every durable function found, each from its own watermark', async () => {
    const out = `s3://${BUCKET}/all`;
    const startFrom = new Date(Date.now() - 2 * DAY_MS);
    const executions = generateSyntheticExecutions({
      count: 9,
      seed: 21,
      functionNames: ['orders', 'payments', 'refunds'],
      startFrom,
      spanDays: 1,
    });
    await serve(executions);
    const fields = { allFunctions: true, out, startedAfter: startFrom.toISOString().slice(0, 10) };
    const first = await handler(scheduledEvent(fields), lambdaContext(600_000));
    expect(first).toMatchObject({ complete: true, executionsExported: 9, executionsFailed: 0 });
    expect(first.incremental?.new).toBe(9);
    await expectVerifiedOnce(out, operationsOf(executions));
    // Each function got its own watermark (and the local service's non-durable function none).
    const lake = openLake(parseOutputLocation(out), { endpointUrlS3: proxy.endpoint });
    try {
      const keys: string[] = [];
      for await (const { key } of lake.reader.list(`${lake.prefix}/_state/watermarks/`)) keys.push(key);
      expect(keys.map((k) => k.slice(k.lastIndexOf('/') + 1)).sort()).toEqual([
        'orders.json',
        'payments.json',
        'refunds.json',
      ]);
    } finally {
      lake.close();
    }
    const second = await handler(scheduledEvent(fields), lambdaContext(600_000));
    expect(second).toMatchObject({ complete: true, executionsExported: 0, executionsFailed: 0 });
  });

  /** Operation rows in the lake's data files. */
  async function committedOperations(out: string): Promise<number> {
    const result = await queryLake(out, 'SELECT count(*) FROM operations', { endpointUrlS3: proxy.endpoint });
    return Number(result.rows[0]?.[0]);
  }
});

function startService(executions: SyntheticExecution[], latencyMs: number): Promise<RunningLocalService> {
  return startLocalService({ executions, latency: latencyMs > 0 ? { ms: latencyMs } : undefined });
}
