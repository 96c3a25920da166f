import Bottleneck from 'bottleneck';
import type { RetryStats } from './retry-strategy.js';

export interface RateLimitOptions {
  requestsPerSecond: number;
  maxConcurrent: number;
}

/** What the limiter saw, for progress and the run summary. */
export interface RequestStats {
  /** HTTP attempts sent, retries included. */
  requests: number;
  /** Attempts answered with throttling (429 / TooManyRequestsException). */
  throttled: number;
  /** Attempts answered with a 5xx or that failed without a response. */
  failedAttempts: number;
  /** Retries the SDK's retry strategy granted (attempts after the first); see `ExportRetryStrategy`. */
  retries?: number;
  /** Errors not retried because they are permanent (`KMS*Exception`). */
  permanentErrors?: number;
}

interface MiddlewareHost {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'deserialize'; name: string; priority: 'high' }): void;
  };
}

/**
 * One `bottleneck` limiter for every Lambda call of a run. It is attached inside the SDK's retry
 * loop, so retries are paced too: `minTime = 1000 / requestsPerSecond` holds the rate exactly
 * (a reservoir would let bursts through; test/rate-limit-and-throttling.test.ts checks every
 * one-second window), `maxConcurrent` bounds requests in flight.
 */
export class RateLimiter {
  readonly stats: RequestStats & RetryStats = {
    requests: 0,
    throttled: 0,
    failedAttempts: 0,
    retries: 0,
    permanentErrors: 0,
  };
  readonly options: RateLimitOptions;
  private readonly bottleneck: Bottleneck;

  constructor(options: RateLimitOptions, bottleneck?: Bottleneck) {
    this.options = options;
    this.bottleneck =
      bottleneck ??
      new Bottleneck({
        maxConcurrent: options.maxConcurrent,
        minTime: Math.ceil(1000 / options.requestsPerSecond),
      });
  }

  /** Runs one HTTP attempt under the limit and records its outcome. */
  schedule<T>(attempt: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      this.stats.requests++;
      try {
        return await attempt();
      } catch (error) {
        this.record(error);
        throw error;
      }
    });
  }

  /** Adds the limiter to a client's middleware stack, per attempt (below the retry middleware). */
  attachTo(client: MiddlewareHost): void {
    const middleware =
      (next: (args: unknown) => Promise<unknown>) =>
      (args: unknown): Promise<unknown> =>
        this.schedule(() => next(args));
    client.middlewareStack.add(middleware, {
      step: 'deserialize',
      name: 'durableExportRateLimit',
      priority: 'high',
    });
  }

  async stop(): Promise<void> {
    await this.bottleneck.stop({ dropWaitingJobs: true });
  }

  private record(error: unknown): void {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === 429 || e.name === 'TooManyRequestsException') this.stats.throttled++;
    else if (status === undefined || status >= 500) this.stats.failedAttempts++;
  }
}
