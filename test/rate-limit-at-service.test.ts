import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { startCountingService } from './support/counting-service.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { busiestSecond } from './support/request-windows.js';

const LIMIT = 10;
const REQUESTS = 60;
const WORKERS = 4;
/** CPU work after each page, as the fold, transform and encoding of a history page do. */
const WORK_PER_PAGE_MS = 80;
const blocker = new Int32Array(new SharedArrayBuffer(4));

const arns = generateSyntheticExecutions({ count: 4, seed: 13, functionNames: ['orders'] }).map((e) =>
  String(e.execution.DurableExecutionArn),
);

/**
 * Blocks the event loop for `ms`, as synchronous encoding does, without using the CPU (so the
 * service's process, on the other core, is not slowed by it).
 */
function busy(ms: number): void {
  Atomics.wait(blocker, 0, 0, ms);
}

describe('an API limit as the service counts it', () => {
  it('never holds more than the limit in any sliding second, though the client’s event loop is busy between pages', async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
    const arrivals: number[] = [];
    // Its own process, so the busy event loop here cannot delay the arrival times it records.
    const service = await startCountingService(
      { count: 4, seed: 13, functionNames: ['orders'], latency: { ms: 20, jitterMs: 5 } },
      (api, at) => {
        if (api === 'GetDurableExecutionHistory') arrivals.push(at);
      },
    );
    const limiter = new RateLimiter({
      rateLimits: { ...rateLimitsAll(1000), history: LIMIT },
      maxConcurrent: 4,
    });
    const client = createLambdaClient({
      region: 'us-east-1',
      endpoint: service.url,
      maxAttempts: 1,
      connectionTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      limiter,
    });
    // One kept-alive connection per worker first (GetDurableExecution, its own limit): a request
    // on a new connection leaves only when the connection is up, which no limiter sees.
    await Promise.all(
      Array.from({ length: WORKERS }, (_, i) =>
        client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arns[i] })),
      ),
    );
    let sent = 0;
    // Each worker reads a page, then spends CPU on it: a start granted while another worker's page
    // is being worked on leaves only after that work (Node writes it after the queued promise jobs).
    const worker = async () => {
      while (sent < REQUESTS) {
        const arn = arns[sent++ % arns.length];
        await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 1 }));
        busy(WORK_PER_PAGE_MS);
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, worker));
    } finally {
      client.destroy();
      await limiter.stop();
      await service.close();
    }
    expect(arrivals).toHaveLength(REQUESTS);
    expect(busiestSecond(arrivals)).toBeLessThanOrEqual(LIMIT);
    // The limit was the pace, not the work: some second held the limit.
    expect(busiestSecond(arrivals)).toBe(LIMIT);
  });
});
