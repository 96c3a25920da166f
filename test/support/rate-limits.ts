import type { RateLimits } from '../../src/aws/rate-limiter.js';

/** The same rate for every Lambda API: tests that want the local service, not the quotas, to set the pace. */
export function rateLimitsAll(requestsPerSecond: number): RateLimits {
  return {
    list: requestsPerSecond,
    history: requestsPerSecond,
    getExecution: requestsPerSecond,
    state: requestsPerSecond,
    listFunctions: requestsPerSecond,
  };
}

/** `DURABLE_EXPORT_LAMBDA_RATE_LIMITS` for a CLI child: every API at `requestsPerSecond`. */
export function rateLimitsEnv(requestsPerSecond: number): NodeJS.ProcessEnv {
  return { DURABLE_EXPORT_LAMBDA_RATE_LIMITS: JSON.stringify(rateLimitsAll(requestsPerSecond)) };
}
