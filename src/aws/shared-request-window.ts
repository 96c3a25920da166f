import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { WINDOW_GUARD_MS } from './request-window.js';

/**
 * Atomically, on Redis's clock (`TIME`, so workers on other machines agree): drops the starts that
 * left the window, then records a start now and answers 0 if fewer than `n` remain, else answers
 * the milliseconds until the oldest leaves. `n` and the window come from the rate stored under
 * KEYS[2] (the one every worker's slow-down writes), else ARGV[1], as `windowOf` computes them.
 */
const ACQUIRE = `
local rate = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
local n = math.max(1, math.floor(rate))
local window = (rate >= 1 and 1000 or 1000 / rate) + tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < n then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
  return '0'
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window - now)
`;

/** A start granted by Redis reaches the service a little later, by more on one worker than on another. */
const GUARD_MS = WINDOW_GUARD_MS;

/**
 * The spacing of starts the window accepts without a wait: `1000 / rate` plus the guard spread over
 * the window's `n` starts, to the nearest millisecond. The shared `bottleneck` limiter spaces starts
 * by it (`minTime`), so a start it grants on time is rarely refused here and delayed by a round
 * trip. Whole milliseconds: with a fractional `minTime` a clustered limiter stops granting starts.
 */
export function startSpacingMs(rate: number): number {
  return Math.max(1, Math.round(1000 / rate + GUARD_MS / Math.max(1, Math.floor(rate))));
}

/**
 * `RequestWindow` for every worker at once: at most `n = max(1, floor(rate))` request starts in any
 * sliding second (`windowOf`), counted in Redis (a sorted set of start times). The
 * shared `bottleneck` limiter spaces the starts `1000 / rate` apart, but it plans each start ahead
 * and a worker runs it on its own timer, late when its event loop is busy, next to another
 * worker's on-time start; this log, asked right before the request, holds the window exactly.
 */
export class SharedRequestWindow {
  private readonly client: Redis;
  private readonly startsKey: string;
  private readonly rateKey: string;
  private readonly worker = randomBytes(6).toString('hex');
  private started = 0;

  constructor(
    client: Redis,
    id: string,
    private readonly limit: number,
  ) {
    this.client = client;
    this.startsKey = `${id}:starts`;
    this.rateKey = `${id}:rate`;
  }

  /** Milliseconds to wait before asking again; 0 when a start was recorded now. */
  async tryAcquire(): Promise<number> {
    const member = `${this.worker}:${this.started++}`;
    const answer = await this.client.eval(
      ACQUIRE,
      2,
      this.startsKey,
      this.rateKey,
      this.limit,
      GUARD_MS,
      member,
    );
    return Math.max(0, Number(answer));
  }

  /** The rate every worker's window holds from now on (a slow-down or its recovery). */
  async setRate(rate: number): Promise<void> {
    await this.client.set(this.rateKey, String(rate), 'PX', 15 * 60_000);
  }
}
