import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListDurableExecutionsByFunction } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { readLakeTable } from './support/lake-reader.js';
import { rateLimitsAll } from './support/rate-limits.js';

const source = generateSyntheticExecutions({ count: 30, seed: 5, functionNames: ['orders'] });
const totalOperations = source.reduce((n, e) => n + e.expectedOperations.length, 0);

describe('one rate limiter for every Lambda call', () => {
  let service: RunningLocalService;
  beforeAll(async () => {
    service = await startLocalService({ executions: source });
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  });
  afterAll(() => service?.close());

  it('never sends more than an API’s limit in any one-second window', async () => {
    const limiter = new RateLimiter({ rateLimits: { ...rateLimitsAll(1000), list: 20 }, maxConcurrent: 4 });
    const client = createLambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      maxAttempts: 1,
      connectionTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      limiter,
    });
    const sentAt: number[] = [];
    // Inside the limiter's job: records when each HTTP attempt actually starts.
    client.middlewareStack.add(
      (next) => (args) => {
        sentAt.push(performance.now());
        return next(args);
      },
      { step: 'deserialize', name: 'recordSend', priority: 'low' },
    );
    const pages = paginateListDurableExecutionsByFunction(
      { client, pageSize: 1 },
      { FunctionName: 'orders' },
    );
    let count = 0;
    for await (const _ of pages) count++;
    client.destroy();
    expect(count).toBe(source.length);
    expect(limiter.stats.requests).toBe(source.length);
    let busiest = 0;
    for (let i = 0; i < sentAt.length; i++) {
      const start = sentAt[i] ?? 0;
      busiest = Math.max(busiest, sentAt.filter((t) => t >= start && t < start + 1000).length);
    }
    expect(busiest).toBeLessThanOrEqual(21);
  });
});

describe('throttling storm', () => {
  let service: RunningLocalService;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'throttle-'));
    service = await startLocalService({
      executions: source,
      throttle: { probability: 0.3, seed: 9, retryAfterSeconds: 0 },
    });
    process.env.AWS_REGION = 'us-east-1';
  });
  afterAll(async () => {
    await service?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('backs off, retries the same page, and exports every operation exactly once', async () => {
    const config = await loadConfig({
      flags: {
        lambda: {
          pageSize: 25,
          rateLimits: rateLimitsAll(500),
          maxConcurrent: 16,
          executionsInFlight: 16,
          maxAttempts: 12,
        },
        export: { functions: ['orders'], out: join(work, 'lake') },
      },
    });
    const summary = await runExportJob(config, { endpointUrlLambda: service.url });
    expect(summary.failures).toEqual([]);
    expect(summary.requests.throttled).toBeGreaterThan(5);
    expect(summary.executionsExported).toBe(source.length);
    const rows = (await readLakeTable(join(work, 'lake'), 'operations')).rows;
    expect(rows).toHaveLength(totalOperations);
    expect(new Set(rows.map((r) => `${r.execution_arn}|${r.operation_id}`)).size).toBe(totalOperations);
  });
});
