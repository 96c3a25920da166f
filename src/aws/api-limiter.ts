import Bottleneck from 'bottleneck';
import { RequestWindow } from './request-window.js';
import type { StartGate } from './shared-limiter.js';

/** What one API's limiter saw and where its rate stands. */
export interface ApiRequestStats {
  /** HTTP attempts sent to this API, retries included. */
  requests: number;
  /** Attempts answered with throttling. */
  throttled: number;
  /** Times the limiter halved its rate after throttling. */
  slowdowns: number;
  /** The rate the limiter holds now (requests/s): the limit, or less after throttling. */
  rate: number;
}

/** The lowest rate throttling can push a limiter to, as a share of its limit. */
const FLOOR_SHARE = 1 / 16;
/** Each step of the recovery adds this share of the limit. */
const RECOVERY_SHARE = 1 / 10;

/**
 * One Lambda API's limiter: a `bottleneck` queue (at most `maxConcurrent` attempts in flight, starts
 * spaced `1000 / rate` ms apart) with a `RequestWindow` holding the rate exactly in every window.
 *
 * It adapts to throttling as TCP does (AIMD): a throttled attempt halves the rate (down to 1/16 of
 * the limit), once per round, since attempts started before the cut saw the old rate; then, after
 * each run of successes as long as one second at the current rate (`ceil(rate)` attempts), the rate
 * grows by a tenth of the limit, back up to the limit. Counted in attempts rather than time, the
 * recovery is the same on a slow machine, and a quota shared with other tools is not hammered.
 */
export class ApiLimiter {
  readonly stats: ApiRequestStats;
  private readonly bottleneck: Bottleneck;
  private readonly window: RequestWindow;
  /** Bumped by each cut: a throttled attempt of an earlier round does not cut again. */
  private round = 0;
  private successes = 0;

  /**
   * `shared`: the start gate of a limit shared with other workers (`SharedLimiter`), passed before
   * this worker's own window; its rate follows this limiter's (a cut here slows every worker).
   */
  constructor(
    public limit: number,
    maxConcurrent: number,
    private shared?: StartGate,
  ) {
    this.stats = { requests: 0, throttled: 0, slowdowns: 0, rate: limit };
    this.bottleneck = new Bottleneck({ maxConcurrent, minTime: 1000 / limit });
    this.window = new RequestWindow(limit);
  }

  /** Runs one attempt at this API's rate; `isThrottled` tells a throttling error from others. */
  schedule<T>(attempt: () => Promise<T>, isThrottled: (error: unknown) => boolean): Promise<T> {
    return this.bottleneck.schedule(async () => {
      await this.shared?.acquire();
      const start = await this.window.acquire();
      const round = this.round;
      this.stats.requests++;
      try {
        // The SDK writes the request in a `process.nextTick` queued while `attempt()` runs (on a
        // kept-alive socket), after the promise jobs already queued; this tick, queued after it,
        // counts the start from when the request left (`RequestWindow.restamp`).
        const sent = attempt();
        process.nextTick(() => this.window.restamp(start));
        const result = await sent;
        this.succeeded();
        return result;
      } catch (error) {
        if (isThrottled(error)) this.throttled(round);
        throw error;
      }
    });
  }

  async stop(): Promise<void> {
    await this.bottleneck.stop({ dropWaitingJobs: true });
  }

  /**
   * Goes on alone at `1 / workers` of the limit, when the shared limit failed: a start waiting on
   * the gate is released to this limiter's window, at the new rate.
   */
  fallBack(workers: number): void {
    this.shared = undefined;
    this.limit = this.limit / workers;
    this.setRate(Math.min(this.stats.rate, this.limit));
  }

  private throttled(round: number): void {
    this.stats.throttled++;
    if (round !== this.round) return;
    this.round++;
    this.stats.slowdowns++;
    this.setRate(Math.max(this.stats.rate / 2, this.limit * FLOOR_SHARE));
  }

  private succeeded(): void {
    if (this.stats.rate >= this.limit) return;
    this.successes++;
    if (this.successes < Math.ceil(this.stats.rate)) return;
    this.setRate(Math.min(this.limit, this.stats.rate + this.limit * RECOVERY_SHARE));
  }

  private setRate(rate: number): void {
    this.successes = 0;
    this.stats.rate = rate;
    this.window.setRate(rate);
    this.bottleneck.updateSettings({ minTime: 1000 / rate });
    this.shared?.setRate(rate);
  }
}
