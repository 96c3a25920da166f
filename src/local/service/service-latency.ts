import { createPrng, type Prng } from '../synthetic/prng.js';

/** `LocalServiceOptions.latency`: answer each request after a delay, as a service across a network does. */
export interface LatencyOptions {
  /** The mean delay before an answer, e.g. 40. */
  ms: number;
  /** Each delay is drawn uniformly from `ms ± jitterMs` (default 0). */
  jitterMs?: number;
  /** Seed of the draws (default 1): the same delays in the same order for the same seed. */
  seed?: number;
}

/** The delay of each answer, reproducible for a seed. */
export class ServiceLatency {
  private readonly prng: Prng;

  constructor(private readonly options: LatencyOptions) {
    const jitter = options.jitterMs ?? 0;
    if (!(options.ms >= 0) || !(jitter >= 0) || jitter > options.ms) {
      throw new RangeError(
        `latency must have ms >= 0 and 0 <= jitterMs <= ms, got ms ${options.ms}, jitterMs ${jitter}`,
      );
    }
    this.prng = createPrng(options.seed ?? 1);
  }

  /** The next answer's delay in milliseconds. */
  nextMs(): number {
    const jitter = this.options.jitterMs ?? 0;
    return this.options.ms + (this.prng.next() * 2 - 1) * jitter;
  }
}
