import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLambdaClient,
  type ExecutionResult,
  ExportInterrupted,
  exportExecutions,
  historySource,
  loadConfig,
  parquetSink,
  RateLimiter,
  runExportJob,
} from '../src/index.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';

describe('the library API: exportExecutions(historySource, parquetSink)', () => {
  const source = generateSyntheticExecutions({ count: 8, seed: 33, functionNames: ['orders'] });
  let service: RunningLocalService;
  let work: string;

  beforeAll(async () => {
    service = await startLocalService({ executions: source });
    work = await mkdtemp(join(tmpdir(), 'library-'));
  });
  afterAll(async () => {
    await service?.close();
    await rm(work, { recursive: true, force: true });
  });

  function sourceAndClient() {
    const limiter = new RateLimiter({ rateLimits: rateLimitsAll(200), maxConcurrent: 4 });
    const client = createLambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      maxAttempts: 3,
      connectionTimeoutMs: 5000,
      requestTimeoutMs: 10_000,
      limiter,
    });
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
    const history = historySource({
      client,
      functions: ['orders'],
      statuses: [],
      pageSize: 100,
      executionsInFlight: 4,
      markerRestartLimit: 1,
    });
    const close = async () => {
      await limiter.stop();
      client.destroy();
    };
    return { history, close };
  }

  it('yields one result per execution as it is written, and returns the summary', async () => {
    const { history, close } = sourceAndClient();
    const out = join(work, 'lake');
    const results: ExecutionResult[] = [];
    const run = exportExecutions({ source: history, sink: parquetSink({ out }) });
    let next = await run.next();
    while (!next.done) {
      results.push(next.value);
      next = await run.next();
    }
    await close();
    expect(results).toHaveLength(source.length);
    expect(new Set(results.map((r) => (r.kind === 'exported' ? r.executionArn : r.kind)))).toEqual(
      new Set(source.map((e) => e.execution.DurableExecutionArn)),
    );
    expect(next.value.executionsExported).toBe(source.length);
    const rows = await readLakeTable(out, 'operations');
    expect(rows.rows).toHaveLength(source.reduce((n, e) => n + e.expectedOperations.length, 0));
  });

  it('a consumer that stops early leaves no file visible', async () => {
    const { history, close } = sourceAndClient();
    const out = join(work, 'stopped');
    for await (const result of exportExecutions({ source: history, sink: parquetSink({ out }) })) {
      expect(result.kind).toBe('exported');
      break;
    }
    await close();
    await expect(readLakeTable(out, 'operations')).rejects.toThrow();
  });
});

describe('runExportJob with an AbortSignal', () => {
  const source = generateSyntheticExecutions({ count: 20, seed: 35, functionNames: ['orders'] });
  let service: RunningLocalService;
  let work: string;
  beforeAll(async () => {
    service = await startLocalService({ executions: source });
    work = await mkdtemp(join(tmpdir(), 'abort-'));
    process.env.AWS_REGION ??= 'us-east-1';
  });
  afterAll(async () => {
    await service?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('stops when aborted, commits no manifest, and the same job then resumes to every row once', async () => {
    const out = join(work, 'lake');
    const config = await loadConfig({
      flags: {
        lambda: { requestsPerSecond: 10, maxConcurrent: 2 },
        sink: { batchExecutions: 3 },
        export: { functions: ['orders'], out },
      },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('operator pressed ctrl-c')), 900);
    const stopped = await runExportJob(config, {
      endpointUrlLambda: service.url,
      signal: controller.signal,
    }).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(ExportInterrupted);
    expect((stopped as ExportInterrupted).message).toMatch(/ctrl-c/);
    // The summary so far, marked interrupted; its counts add up with the unfinished executions.
    const so = (stopped as ExportInterrupted).summary;
    expect(so.interrupted).toBe(true);
    expect(so.executionsListed).toBe(
      so.executionsExported + so.executionsSkipped + so.executionsFailed + so.executionsUnfinished,
    );
    await expect(readdir(join(out, '_manifests'))).rejects.toThrow();
    const summary = await runExportJob(
      await loadConfig({
        flags: { lambda: { rateLimits: rateLimitsAll(500) }, export: { functions: ['orders'], out } },
      }),
      { endpointUrlLambda: service.url },
    );
    expect(summary.executionsFailed).toBe(0);
    expect(summary.executionsExported + summary.executionsSkipped).toBe(source.length);
    expect(summary.executionsListed).toBe(source.length);
    const rows = (await readLakeTable(out, 'operations')).rows;
    expect(rows).toHaveLength(source.reduce((n, e) => n + e.expectedOperations.length, 0));
    expect(new Set(rows.map((r) => `${r.execution_arn}|${r.operation_id}`)).size).toBe(rows.length);
  });
});
