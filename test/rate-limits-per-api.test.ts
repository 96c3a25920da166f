import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { LAMBDA_APIS, type LambdaApi, RateLimiter, type RateLimits } from '../src/aws/rate-limiter.js';
import { type RunningLocalService, startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { startFaultProxy } from './support/fault-proxy.js';
import { throttled } from './support/fault-responses.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { busiestSecond } from './support/request-windows.js';

const source = generateSyntheticExecutions({ count: 4, seed: 13, functionNames: ['orders'] });
const arns = source.map((e) => String(e.execution.DurableExecutionArn));

const API_OF: Record<string, LambdaApi> = {
  GetDurableExecutionHistoryCommand: 'history',
  GetDurableExecutionCommand: 'getExecution',
};

/** The API a request to the local service calls, from its path. */
function apiOfPath(path: string): LambdaApi {
  if (path.endsWith('/history')) return 'history';
  if (path.endsWith('/state')) return 'state';
  if (path.includes('/functions/')) return 'list';
  return 'getExecution';
}

describe('one limiter per Lambda API', () => {
  let service: RunningLocalService;
  beforeAll(async () => {
    service = await startLocalService({ executions: source });
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
  });
  afterAll(() => service?.close());

  async function clientThroughProxy(
    rateLimits: RateLimits,
    respond?: () => ReturnType<typeof throttled> | undefined,
  ) {
    const starts = Object.fromEntries(LAMBDA_APIS.map((api) => [api, [] as number[]])) as Record<
      LambdaApi,
      number[]
    >;
    const received = Object.fromEntries(LAMBDA_APIS.map((api) => [api, 0])) as Record<LambdaApi, number>;
    const proxy = await startFaultProxy({
      upstream: service.url,
      service: 'lambda',
      seed: 1,
      // Counts each request the service receives, then forwards it (or answers for the test).
      respond: ({ url }) => {
        received[apiOfPath(url.pathname)]++;
        return respond?.();
      },
    });
    const limiter = new RateLimiter({ rateLimits, maxConcurrent: 4 });
    const client = createLambdaClient({
      region: 'us-east-1',
      endpoint: proxy.endpoint,
      maxAttempts: 5,
      connectionTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      limiter,
    });
    // Inside the limiter's job: when each attempt actually starts, by API (a new connection's setup
    // would blur the times the service sees; the counts it sees are checked against these).
    client.middlewareStack.add(
      (next, context) => (args) => {
        starts[API_OF[context.commandName ?? ''] ?? 'list'].push(performance.now());
        return next(args);
      },
      { step: 'deserialize', name: 'recordStart', priority: 'low' },
    );
    const close = async () => {
      client.destroy();
      await limiter.stop();
      await proxy.close();
    };
    return { starts, received, limiter, client, close };
  }

  it('holds each API to its own limit in every one-second window, independently', async () => {
    const limits = { ...rateLimitsAll(1000), history: 5, getExecution: 20 };
    const { starts, received, limiter, client, close } = await clientThroughProxy(limits);
    const arn = (i: number) => arns[i % arns.length];
    // 15 history pages (3 s at 5/s) and 60 GetDurableExecution calls (3 s at 20/s), all at once.
    await Promise.all([
      ...Array.from({ length: 15 }, (_, i) =>
        client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn(i), MaxItems: 1 })),
      ),
      ...Array.from({ length: 60 }, (_, i) =>
        client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn(i) })),
      ),
    ]);
    await close();
    expect(starts.history).toHaveLength(15);
    expect(starts.getExecution).toHaveLength(60);
    expect(received).toEqual({ list: 0, history: 15, getExecution: 60, state: 0, listFunctions: 0 });
    expect(limiter.stats.apis?.history.requests).toBe(15);
    expect(limiter.stats.apis?.getExecution.requests).toBe(60);
    expect(busiestSecond(starts.history)).toBeLessThanOrEqual(5);
    expect(busiestSecond(starts.getExecution)).toBeLessThanOrEqual(20);
    // Independent: while history requests were being sent at their limit, GetDurableExecution ran
    // near its own (one shared limit would have split 20 requests/s between the two).
    const historyEnd = Math.max(...starts.history);
    const alongside = starts.getExecution.filter((t) => t <= historyEnd);
    expect(busiestSecond(alongside)).toBeGreaterThanOrEqual(15);
    expect(busiestSecond([...starts.history, ...starts.getExecution])).toBeGreaterThan(20);
  });

  it('halves an API’s rate on throttling, and recovers it step by step as attempts succeed', async () => {
    let arrivals = 0;
    // The 3rd request to arrive is throttled; every other one is served.
    const { starts, received, limiter, client, close } = await clientThroughProxy(
      { ...rateLimitsAll(1000), history: 40 },
      () => {
        arrivals++;
        return arrivals === 3 ? throttled(0) : undefined;
      },
    );
    const rates: number[] = [];
    const history = () => limiter.stats.apis?.history;
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          client
            .send(
              new GetDurableExecutionHistoryCommand({
                DurableExecutionArn: arns[i % arns.length],
                MaxItems: 1,
              }),
            )
            .then(() => rates.push(history()?.rate ?? 0)),
        ),
      );
    }
    await close();
    const stats = history();
    expect(stats?.throttled).toBe(1);
    expect(stats?.slowdowns).toBe(1);
    expect(Math.min(...rates)).toBe(20);
    // Back up by a tenth of the limit after each second's worth of successes: 20, 24, ... 40.
    expect([...new Set(rates)].sort((a, b) => a - b)).toEqual([20, 24, 28, 32, 36, 40]);
    expect(stats?.rate).toBe(40);
    // 20 + 24 + 28 + 32 + 36 successes to climb back, counted from the cut.
    const cut = rates.indexOf(20);
    expect(rates.indexOf(40, cut) - cut).toBeGreaterThanOrEqual(140 - 4);
    // 200 requests and the throttled one's retry, all through the limiter.
    expect(starts.history).toHaveLength(201);
    expect(received.history).toBe(201);
    expect(busiestSecond(starts.history)).toBeLessThanOrEqual(40);
  });
});
