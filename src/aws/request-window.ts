import { setTimeout as sleep } from 'node:timers/promises';

const GUARD_MS = 1;

/**
 * The hard edge of a rate: at most `n = max(1, floor(rate))` request starts in any sliding window of
 * `1000 * n / rate` ms (one second for a whole-number rate), on the monotonic clock. `bottleneck`'s
 * `minTime` spreads the starts evenly but is not exact on its own: it plans on `Date.now()` and Node
 * fires its timers up to a millisecond early, so at 150/s a busiest one-second window held 155
 * starts. Awaited first thing in a limiter's job, this log of the last `n` starts holds the window
 * exactly, and lets a start that came late be followed at once. The window is held `GUARD_MS`
 * longer, so a start observed a little later (by the next middleware, by the server) still falls in
 * it; that costs 0.1% of the rate.
 */
export class RequestWindow {
  private readonly starts: number[] = [];
  private n = 1;
  private windowMs = 1000;

  constructor(
    rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.setRate(rate);
  }

  /** Changes the rate from the next start on. */
  setRate(rate: number): void {
    this.n = Math.max(1, Math.floor(rate));
    this.windowMs = (1000 * this.n) / rate + GUARD_MS;
  }

  /** Resolves at the earliest moment the next request may start, and records that start. */
  async acquire(): Promise<void> {
    for (;;) {
      const t = this.now();
      const oldest = this.starts.length >= this.n ? this.starts[this.starts.length - this.n] : undefined;
      if (oldest === undefined || t >= oldest + this.windowMs) {
        this.starts.push(t);
        if (this.starts.length > this.n) this.starts.splice(0, this.starts.length - this.n);
        return;
      }
      await sleep(Math.max(1, Math.ceil(oldest + this.windowMs - t)));
    }
  }
}
