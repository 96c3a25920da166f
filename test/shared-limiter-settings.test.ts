import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../src/aws/rate-limiter.js';
import { SharedLimiter } from '../src/aws/shared-limiter.js';
import { accountOfFunctions, redactedRedisUrl, sharedLimiterId } from '../src/aws/shared-limiter-id.js';
import { rateLimitsAll } from './support/rate-limits.js';
import { type RunningRedis, startRedisServer } from './support/redis-server.js';

const HISTORY = 'GetDurableExecutionHistoryCommand';

describe('shared limiter ids', () => {
  it('one per account, Region, API and limit; the account from a function ARN, else any', () => {
    const scope = { account: '123456789012', region: 'eu-west-1' };
    expect(sharedLimiterId(scope, 'history', 15)).toMatch(
      /^durable-export:123456789012:eu-west-1:history:[0-9a-f]{8}$/,
    );
    expect(sharedLimiterId(scope, 'history', 15)).toBe(sharedLimiterId(scope, 'history', 15));
    expect(sharedLimiterId(scope, 'history', 15)).not.toBe(sharedLimiterId(scope, 'history', 10));
    expect(accountOfFunctions(['orders', 'arn:aws:lambda:eu-west-1:210987654321:function:pay'])).toBe(
      '210987654321',
    );
    expect(accountOfFunctions(['123456789012:function:orders'])).toBe('123456789012');
    expect(accountOfFunctions(['orders'])).toBe('any');
    expect(redactedRedisUrl('redis://user:secret@cache.example:6379/2')).toBe(
      'redis://user:***@cache.example:6379/2',
    );
  });
});

describe('a Redis that never answers', () => {
  it('falls back to limit / workers after limiterTimeoutMs, and the request goes on', async () => {
    // A port nothing listens on: the connection is refused, again and again.
    const shared = new SharedLimiter({
      url: 'redis://127.0.0.1:1',
      scope: { account: 'any', region: 'unreachable' },
      workers: 4,
      timeoutMs: 1000,
    });
    const limiter = new RateLimiter(
      { rateLimits: { ...rateLimitsAll(1000), history: 20 }, maxConcurrent: 4 },
      shared,
    );
    const started = performance.now();
    await limiter.schedule(HISTORY, async () => {});
    const waited = performance.now() - started;
    await limiter.stop();
    // From the limiter's start, a moment before this request's.
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(2500);
    expect(limiter.stats.sharedLimiter).toEqual({
      redis: 'redis://127.0.0.1:1',
      workers: 4,
      mode: 'fallback',
      fallbackReason: expect.stringMatching(/no answer from Redis for \d+ ms/),
    });
    expect(limiter.stats.apis?.history.limit).toBe(5);
  }, 10_000);
});

describe('limiters sharing one Redis (each with its own connection, as processes have)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  function worker(history: number, region: string): RateLimiter {
    const shared = new SharedLimiter({
      url: redis.url,
      scope: { account: 'any', region },
      workers: 2,
      timeoutMs: 5000,
    });
    return new RateLimiter({ rateLimits: { ...rateLimitsAll(1000), history }, maxConcurrent: 4 }, shared);
  }

  /** Sends `count` history attempts through each limiter at once; the start times, sorted. */
  async function starts(limiters: RateLimiter[], count: number): Promise<number[]> {
    const times: number[] = [];
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: count }, () =>
          limiter.schedule(HISTORY, async () => {
            times.push(performance.now());
          }),
        ),
      ),
    );
    return times.sort((a, b) => a - b);
  }

  const rateOf = (t: number[]) => ((t.length - 1) * 1000) / ((t.at(-1) ?? 0) - (t[0] ?? 0));

  it('holds a fractional limit (15/s, the default) between them, not 15/s each', async () => {
    const limiters = [worker(15, 'fractional'), worker(15, 'fractional')];
    const times = await starts(limiters, 15);
    await Promise.all(limiters.map((l) => l.stop()));
    expect(times).toHaveLength(30);
    expect(rateOf(times)).toBeGreaterThan(0.85 * 15);
    // Over 2 s a start observed a few ms late by this busy process weighs little; never 30/s.
    expect(rateOf(times)).toBeLessThanOrEqual(1.05 * 15);
  }, 20_000);

  it('a slow-down after throttling in one worker slows every worker sharing the limit', async () => {
    const [a, b] = [worker(20, 'adaptive'), worker(20, 'adaptive')];
    if (!a || !b) throw new Error('two workers');
    // Both connected, b's start (which sets the shared rate to its limit) done.
    await starts([a, b], 1);
    const throttling = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    await expect(a.schedule(HISTORY, () => Promise.reject(throttling))).rejects.toThrow('Rate exceeded');
    expect(a.stats.apis?.history.rate).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // b has seen no throttling; its starts follow the shared rate a set.
    const times = await starts([b], 15);
    await Promise.all([a.stop(), b.stop()]);
    expect(b.stats.apis?.history.rate).toBe(20);
    // About 10 starts in any second (all 15 within one second without a's cut), one more when
    // this process observes a start a few milliseconds late.
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(11);
  }, 20_000);
});
