import Bottleneck from 'bottleneck';
import { ApiLimiter, type ApiRequestStats } from './api-limiter.js';
import type { RetryStats } from './retry-strategy.js';
import type { SharedLimiter, SharedLimiterStats } from './shared-limiter.js';

/** The Lambda APIs an export calls, each under its own quota (docs/DURABLE-API.md §3.2). */
export const LAMBDA_APIS = ['list', 'history', 'getExecution', 'state', 'listFunctions'] as const;
export type LambdaApi = (typeof LAMBDA_APIS)[number];

/** Requests per second for each API (`lambda.rateLimits`; AWS's quotas by default). */
export type RateLimits = Readonly<Record<LambdaApi, number>>;

/** The SDK command of each API, as the middleware context names it. */
const API_OF_COMMAND: Readonly<Record<string, LambdaApi>> = {
  ListDurableExecutionsByFunctionCommand: 'list',
  GetDurableExecutionHistoryCommand: 'history',
  GetDurableExecutionCommand: 'getExecution',
  GetDurableExecutionStateCommand: 'state',
  // Discovery: ListTags shares the control-plane rate with ListFunctions.
  ListFunctionsCommand: 'listFunctions',
  ListTagsCommand: 'listFunctions',
};

export interface RateLimitOptions {
  /** Requests per second, per API. */
  rateLimits: RateLimits;
  /** An overall cap over every API together (`lambda.requestsPerSecond`); default: none. */
  requestsPerSecond?: number;
  /** Attempts in flight at once, per API. */
  maxConcurrent: number;
}

/** What the limiters saw, for progress and the run summary. */
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
  /** Each API's attempts, throttles and current rate against its `limit`. */
  apis?: Record<LambdaApi, ApiRequestStats & { limit: number }>;
  /** With `lambda.limiter` `redis://...`: the shared limits, and whether this worker fell back. */
  sharedLimiter?: SharedLimiterStats;
}

interface MiddlewareHost {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'deserialize'; name: string; priority: 'high' }): void;
  };
}

/**
 * The Lambda rate limits of one connection (one account and Region): an `ApiLimiter` per API, each
 * at its own quota and slowing down on its own throttling, so history at its limit does not slow
 * `GetDurableExecution`. An optional overall cap (`requestsPerSecond`, a plain `bottleneck` with
 * `minTime`) goes first; the API's limiter, with its exact window, last, right before the attempt.
 *
 * It is attached inside the SDK's retry loop (the deserialize step), so every attempt and retry
 * counts; the API comes from the command's name in the middleware context. A command of no known
 * API goes through the cap alone.
 *
 * With a `SharedLimiter`, each API's limit is shared with the other workers through Redis: a start
 * is granted by the shared limit first, then by this process's window; if Redis fails, every API
 * limiter goes on at its share (`ApiLimiter.fallBack`).
 */
export class RateLimiter {
  readonly stats: RequestStats & RetryStats;
  readonly options: RateLimitOptions;
  private readonly apis: Record<LambdaApi, ApiLimiter>;
  private readonly cap?: Bottleneck;

  constructor(
    options: RateLimitOptions,
    private readonly shared?: SharedLimiter,
  ) {
    this.options = options;
    const apis = {} as Record<LambdaApi, ApiLimiter>;
    const apiStats = {} as NonNullable<RequestStats['apis']>;
    for (const api of LAMBDA_APIS) {
      const limit = options.rateLimits[api];
      apis[api] = new ApiLimiter(limit, options.maxConcurrent, shared?.gate(api, limit));
      // A view of the limiter's own counters, with its limit, for the summary and the progress line.
      Object.defineProperty(apiStats, api, {
        enumerable: true,
        get: () => ({ ...apis[api].stats, limit: apis[api].limit }),
      });
    }
    this.apis = apis;
    this.stats = {
      requests: 0,
      throttled: 0,
      failedAttempts: 0,
      retries: 0,
      permanentErrors: 0,
      apis: apiStats,
      sharedLimiter: shared?.stats,
    };
    shared?.onFallback((workers) => {
      for (const api of LAMBDA_APIS) apis[api].fallBack(workers);
    });
    if (options.requestsPerSecond !== undefined) {
      this.cap = new Bottleneck({ minTime: 1000 / options.requestsPerSecond });
    }
  }

  /** Runs one HTTP attempt of `commandName` under its API's limit (and the cap) and records its outcome. */
  schedule<T>(commandName: string | undefined, attempt: () => Promise<T>): Promise<T> {
    const api = commandName === undefined ? undefined : API_OF_COMMAND[commandName];
    const counted = async (): Promise<T> => {
      this.stats.requests++;
      try {
        return await attempt();
      } catch (error) {
        this.record(error);
        throw error;
      }
    };
    const limited = api ? () => this.apis[api].schedule(counted, isThrottling) : counted;
    return this.cap ? this.cap.schedule(limited) : limited();
  }

  /** Adds the limiter to a client's middleware stack, per attempt (below the retry middleware). */
  attachTo(client: MiddlewareHost): void {
    const middleware =
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      (args: unknown): Promise<unknown> =>
        this.schedule(context.commandName, () => next(args));
    client.middlewareStack.add(middleware, {
      step: 'deserialize',
      name: 'durableExportRateLimit',
      priority: 'high',
    });
  }

  async stop(): Promise<void> {
    await Promise.all([
      ...LAMBDA_APIS.map((api) => this.apis[api].stop()),
      this.cap?.stop({ dropWaitingJobs: true }),
      this.shared?.stop(),
    ]);
  }

  private record(error: unknown): void {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (isThrottling(error)) this.stats.throttled++;
    else if (status === undefined || status >= 500) this.stats.failedAttempts++;
  }
}

function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.$metadata?.httpStatusCode === 429 || e.name === 'TooManyRequestsException';
}
