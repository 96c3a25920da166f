import type { LambdaApi, RateLimitOptions, RateLimits } from './rate-limiter.js';

/** The `lambda` settings a run's limiter is built from. */
export interface SharedRateSettings extends RateLimitOptions {
  /**
   * Exporters that run at once against the same account and Region (`lambda.concurrentExporters`),
   * e.g. the SQS event source mapping's maximum concurrency for the events handler.
   */
  concurrentExporters?: number;
}

/**
 * This run's share of the account's quotas: every per-API rate, and the overall cap when one is
 * set, divided by the exporters running at once. With the events handler at maximum concurrency N,
 * N invocations each at `quota / N` together stay at the quota (README, "Event-driven export").
 */
export function rateShareOf(settings: SharedRateSettings): RateLimitOptions {
  const share = settings.concurrentExporters ?? 1;
  const rateLimits = Object.fromEntries(
    Object.entries(settings.rateLimits).map(([api, rate]) => [api, rate / share]),
  ) as Record<LambdaApi, number> satisfies RateLimits;
  return {
    rateLimits,
    requestsPerSecond:
      settings.requestsPerSecond === undefined ? undefined : settings.requestsPerSecond / share,
    maxConcurrent: settings.maxConcurrent,
  };
}
