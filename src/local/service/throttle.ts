import { createPrng, type Prng } from '../synthetic/prng.js';
import { tooManyRequests } from './errors.js';

/** `LocalServiceOptions.throttle`: answer 429 at random, reproducibly for a seed. */
export interface ThrottleOptions {
  /** Chance, 0..1, that a request is answered with 429 TooManyRequestsException. */
  probability: number;
  seed: number;
  /** The `Retry-After` header value in seconds; default 1. */
  retryAfterSeconds?: number;
}

/** Decides per request whether to throttle it; a seeded PRNG keeps test runs reproducible. */
export class Throttle {
  private readonly prng: Prng | undefined;
  private readonly probability: number;
  private readonly retryAfterSeconds: number;

  constructor(options: ThrottleOptions | undefined) {
    this.probability = options?.probability ?? 0;
    this.retryAfterSeconds = options?.retryAfterSeconds ?? 1;
    if (!(this.probability >= 0 && this.probability <= 1)) {
      throw new RangeError(`throttle.probability must be between 0 and 1, got ${options?.probability}`);
    }
    if (!Number.isInteger(this.retryAfterSeconds) || this.retryAfterSeconds < 0) {
      throw new RangeError(
        `throttle.retryAfterSeconds must be a non-negative integer, got ${this.retryAfterSeconds}`,
      );
    }
    this.prng = options && this.probability > 0 ? createPrng(options.seed) : undefined;
  }

  /** @throws LocalServiceError 429 TooManyRequestsException when this request is chosen. */
  check(): void {
    if (this.prng && this.prng.next() < this.probability) throw tooManyRequests(this.retryAfterSeconds);
  }
}
