import type { Config } from '../config/config-schema.js';
import { RateLimiter } from './rate-limiter.js';
import { rateShareOf } from './rate-share.js';
import { accountOfFunctions } from './shared-limiter-id.js';

/** Where a run's limits apply: the connection's Region and the functions it exports. */
export interface LimiterScope {
  /** The resolved Region of the run's connection. */
  readonly region: string | undefined;
  /** The run's function names or ARNs; an ARN names the account. */
  readonly functions?: readonly string[];
  /** The account read, when the target's role names it (it wins over the functions'). */
  readonly account?: string;
}

/**
 * The run's rate limiter from its `lambda` settings: this process's own limits (`lambda.limiter`
 * `local`: each API's quota divided by `lambda.concurrentExporters`, see `rateShareOf`), or limits
 * shared with the other workers through Redis (`redis://...`), one per (account, Region, API), at
 * the whole quota, since the workers draw from it together: see `SharedLimiter`.
 */
export async function openRateLimiter(lambda: Config['lambda'], scope: LimiterScope): Promise<RateLimiter> {
  if (lambda.limiter === 'local') return new RateLimiter(rateShareOf(lambda));
  // Loaded only for a shared limiter: ioredis takes about half a second to load on a busy machine,
  // which every local run would pay at its start.
  const { SharedLimiter } = await import('./shared-limiter.js');
  const shared = new SharedLimiter({
    url: lambda.limiter,
    scope: { account: scope.account ?? accountOfFunctions(scope.functions), region: scope.region ?? 'any' },
    workers: lambda.workers,
    timeoutMs: lambda.limiterTimeoutMs,
  });
  return new RateLimiter(lambda, shared);
}
