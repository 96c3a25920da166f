/** A request count at one moment. */
interface Sample {
  readonly t: number;
  readonly requests: number;
}

/**
 * The achieved request rate over a sliding window, for the progress line: the requests made since
 * the newest sample at least `windowMs` old (or since the start), divided by that span, and by at
 * least `minSpanMs` so the first requests of a run do not read as a burst. The run's average since
 * the start is not used: over a fraction of a second it overstates the rate (3 requests in 0.19 s
 * read as 16/s while no one-second window held more than 11).
 */
export class RequestRate {
  private readonly samples: Sample[];

  constructor(
    readonly start: number,
    private readonly windowMs = 5000,
    private readonly minSpanMs = 1000,
  ) {
    this.samples = [{ t: start, requests: 0 }];
  }

  /** Records `requests` (the run's count so far) at time `t`; returns requests per second. */
  at(t: number, requests: number): number {
    this.samples.push({ t, requests });
    // Keep one sample at or before the window's start as the base; older ones are not needed.
    while (this.samples.length > 2 && (this.samples[1] as Sample).t <= t - this.windowMs) {
      this.samples.shift();
    }
    const base = this.samples[0] as Sample;
    const spanMs = Math.max(t - base.t, this.minSpanMs);
    return ((requests - base.requests) * 1000) / spanMs;
  }
}
