import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Each window is held this much longer than its length (`windowOf`): a start reaches the service a little
 * later than it was counted here (the server's own scheduling, the network), by more for one
 * request than for another. It costs 1% of the rate. Shared with `SharedRequestWindow`.
 */
export const WINDOW_GUARD_MS = 10;

/**
 * The window a rate holds: at most `n = max(1, floor(rate))` starts in any `ms` milliseconds, which
 * is one second (plus the guard) for a rate of 1/s or more, and `1000 / rate` below. For a
 * fractional rate this keeps `floor(rate)` in every second rather than the average: a window of
 * `1000 * n / rate` (under a second) would let two bursts of `n` into one second when starts
 * bunch, as they do when a fallen-back worker's waiting requests are released at `limit / workers`.
 * `SharedRequestWindow`'s script computes the same in Lua.
 */
export function windowOf(rate: number): { n: number; ms: number } {
  return { n: Math.max(1, Math.floor(rate)), ms: (rate >= 1 ? 1000 : 1000 / rate) + WINDOW_GUARD_MS };
}

/** One granted start in a `RequestWindow`: when the request started, as the window counts it. */
export interface WindowStart {
  t: number;
}

/**
 * The hard edge of a rate: at most `n = max(1, floor(rate))` request starts in any sliding second
 * (`windowOf`; below 1/s, one start per `1000 / rate` ms), on the monotonic clock. `bottleneck`'s
 * `minTime` spreads the starts evenly but is not exact on its own: it plans on `Date.now()` and Node
 * fires its timers up to a millisecond early, so at 150/s a busiest one-second window held 155
 * starts. Awaited first thing in a limiter's job, this log of the last `n` starts holds the window
 * exactly, and lets a start that came late be followed at once. The window is held
 * `WINDOW_GUARD_MS` longer, so a start observed a little later (by the server) still falls in it.
 *
 * A request leaves later than its grant when the event loop is busy: Node writes it to the socket
 * only after every queued promise job has run (the transform and encoding of the pages that just
 * arrived), tens of milliseconds in the quota bench. `restamp` moves a start to when the request
 * was written, so the next starts are counted from there and the server never sees the window
 * exceeded by that delay.
 */
export class RequestWindow {
  /** The last `n` starts, oldest first (a restamped start moves to the end). */
  private readonly starts: WindowStart[] = [];
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
    const { n, ms } = windowOf(rate);
    this.n = n;
    this.windowMs = ms;
  }

  /** Resolves at the earliest moment the next request may start, and records that start. */
  async acquire(): Promise<WindowStart> {
    for (;;) {
      const t = this.now();
      const oldest = this.starts.length >= this.n ? this.starts[this.starts.length - this.n] : undefined;
      if (oldest === undefined || t >= oldest.t + this.windowMs) return this.record({ t });
      await sleep(Math.max(1, Math.ceil(oldest.t + this.windowMs - t)));
    }
  }

  /** Moves `start` to now (when its request was actually sent): later starts keep a window from it. */
  restamp(start: WindowStart): void {
    const at = this.starts.lastIndexOf(start);
    if (at >= 0) this.starts.splice(at, 1);
    start.t = Math.max(start.t, this.now());
    this.record(start);
  }

  private record(start: WindowStart): WindowStart {
    this.starts.push(start);
    if (this.starts.length > this.n) this.starts.splice(0, this.starts.length - this.n);
    return start;
  }
}
