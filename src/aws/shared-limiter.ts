import { setTimeout as sleep } from 'node:timers/promises';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { LambdaApi } from './rate-limiter.js';
import { RedisHealth } from './redis-health.js';
import { type QuotaScope, redactedRedisUrl, redisOptionsOf, sharedLimiterId } from './shared-limiter-id.js';
import { SharedRequestWindow, startSpacingMs } from './shared-request-window.js';

/** A limiter's keys leave Redis after this long unused: ids of old settings do not pile up. */
const KEY_TTL_MS = 15 * 60_000;
/** Pause before asking again for a start after Redis answered with an error. */
const RETRY_MS = 100;

export interface SharedLimiterOptions {
  /** `lambda.limiter`: `redis://HOST:PORT[/db]` or `rediss://...`. */
  readonly url: string;
  /** The account and Region whose quotas the limits are. */
  readonly scope: QuotaScope;
  /** `lambda.workers`: after a fallback each worker keeps `1 / workers` of every limit. */
  readonly workers: number;
  /** `lambda.limiterTimeoutMs`: how long Redis may fail before the fallback. */
  readonly timeoutMs: number;
}

/** The shared limiter in the run summary (`requests.sharedLimiter`). */
export interface SharedLimiterStats {
  /** The Redis URL, without its password. */
  redis: string;
  workers: number;
  /** `shared` while Redis holds the limits; `fallback` once this worker went on alone at its share. */
  mode: 'shared' | 'fallback';
  /** Why the worker fell back: Redis silent or failing for `limiterTimeoutMs`, and its last error. */
  fallbackReason?: string;
}

/** Where an API limiter's starts are granted: the shared limit's start, before the local window. */
export interface StartGate {
  acquire(): Promise<void>;
  setRate(rate: number): void;
}

/**
 * The limits shared by every worker through Redis (`bottleneck`'s clustering, `ioredis`): per
 * (account, Region, API) one clustered limiter (`sharedLimiterId`) that spaces request starts
 * about `1000 / rate` ms apart across all workers (`minTime`; a reservoir would send bursts), then a
 * `SharedRequestWindow` that holds every one-second window exactly. It grants starts only: how many requests a worker has in flight
 * stays the worker's own (`lambda.maxConcurrent`), and a worker that dies holds nothing in Redis.
 *
 * It never hangs a run: `RedisHealth` watches Redis, and when it stays unreachable or failing for
 * `timeoutMs`, the limiter falls back: every start waiting on Redis is released, the listeners of
 * `onFallback` (the API limiters) switch to `limit / workers` on their own, and Redis is left.
 */
export class SharedLimiter {
  readonly stats: SharedLimiterStats;
  private readonly client: Redis;
  private readonly connection: Bottleneck.IORedisConnection;
  private readonly health: RedisHealth;
  private readonly fallbackListeners: ((workers: number) => void)[] = [];
  private releaseWaiting: () => void = () => {};
  /** Resolves when the limiter fell back: every start waiting on Redis goes on. */
  private readonly fellBack = new Promise<void>((resolve) => {
    this.releaseWaiting = resolve;
  });

  constructor(private readonly options: SharedLimiterOptions) {
    this.stats = { redis: redactedRedisUrl(options.url), workers: options.workers, mode: 'shared' };
    this.client = new Redis(redisOptionsOf(options.url, options.timeoutMs));
    this.connection = new Bottleneck.IORedisConnection({ client: this.client, Redis });
    this.health = new RedisHealth({
      ping: () => this.client.ping(),
      timeoutMs: options.timeoutMs,
      onDown: (reason) => this.fallBack(reason),
    });
    this.connection.on('error', (error) => this.health.failed(error));
  }

  /** True once this worker went on at its local share. */
  get local(): boolean {
    return this.stats.mode === 'fallback';
  }

  /** Calls `listener` with the number of workers when the limiter falls back. */
  onFallback(listener: (workers: number) => void): void {
    this.fallbackListeners.push(listener);
  }

  /**
   * The start gate of one API at `limit` requests per second. A worker starting sets the shared
   * rate back to the limit (a throttled run may have left it lower in Redis), as a local limiter
   * starts at its limit.
   */
  gate(api: LambdaApi, limit: number): StartGate {
    const id = sharedLimiterId(this.options.scope, api, limit);
    const spacing = new Bottleneck({
      id,
      datastore: 'ioredis',
      connection: this.connection,
      minTime: startSpacingMs(limit),
      timeout: KEY_TTL_MS,
    });
    spacing.on('error', (error) => this.health.failed(error));
    const window = new SharedRequestWindow(this.client, id, limit);
    const setRate = (rate: number): void => {
      if (this.local) return;
      // bottleneck's types say it returns the limiter; it returns a promise (of the Redis update).
      const updated = spacing.updateSettings({
        minTime: startSpacingMs(rate),
      }) as unknown as Promise<unknown>;
      Promise.all([updated, window.setRate(rate)]).catch((error: unknown) => this.health.failed(error));
    };
    setRate(limit);
    // Each step waits on Redis, or ends when the limiter falls back (the local window takes over).
    const untilFallback = <T>(step: Promise<T>, fallback: T): Promise<T> =>
      Promise.race([step, this.fellBack.then(() => fallback)]);
    return {
      acquire: async () => {
        while (!this.local) {
          try {
            await untilFallback(
              spacing.schedule(() => Promise.resolve()),
              undefined,
            );
            for (let wait = await untilFallback(window.tryAcquire(), 0); wait > 0; ) {
              await untilFallback(sleep(Math.ceil(wait)), undefined);
              wait = this.local ? 0 : await untilFallback(window.tryAcquire(), 0);
            }
            return;
          } catch (error) {
            // Redis answered with an error: ask again (the watchdog decides when to give up).
            this.health.failed(error);
            await untilFallback(sleep(RETRY_MS), undefined);
          }
        }
      },
      setRate,
    };
  }

  /** Leaves Redis: at the end of a run, or after the fallback (without waiting on a dead Redis). */
  async stop(): Promise<void> {
    this.health.stop();
    if (this.local) return;
    // A quit Redis does not answer in time is not waited for: the sockets are closed.
    const quit = this.connection.disconnect(true).then(
      () => true,
      () => false,
    );
    const quitInTime = await Promise.race([quit, sleep(this.options.timeoutMs, false, { ref: false })]);
    if (!quitInTime) await this.connection.disconnect(false);
  }

  private fallBack(reason: string): void {
    if (this.local) return;
    this.stats.mode = 'fallback';
    this.stats.fallbackReason = reason;
    for (const listener of this.fallbackListeners) listener(this.options.workers);
    this.releaseWaiting();
    void this.connection.disconnect(false);
  }
}
