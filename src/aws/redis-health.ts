import { describeError } from '../errors.js';

/** How often the watchdog asks Redis whether it is there. */
const PING_INTERVAL_MS = 250;

export interface RedisHealthOptions {
  /** One round trip to Redis (`PING`); it may hang, the watchdog does not wait for it past a tick. */
  ping: () => Promise<unknown>;
  /** Redis may fail this long (no answer, or errors from the limiters) before `onDown`. */
  timeoutMs: number;
  /** Called once, with why, when Redis stayed unhealthy for `timeoutMs`. */
  onDown: (reason: string) => void;
  now?: () => number;
}

/**
 * Watches the Redis a shared limiter depends on, because `bottleneck` does not: when Redis goes
 * away its jobs neither run nor fail, its limiters emit `error` events for ever, and a Redis
 * restarted on the same port leaves them stuck on `ERR SETTINGS_KEY_NOT_FOUND`. Every
 * `PING_INTERVAL_MS` it pings Redis; a tick is healthy when the ping answered within the tick and
 * no limiter reported an error (`failed`) since the tick before. After `timeoutMs` without a
 * healthy tick, from the start (a Redis that never answers) or from the last healthy one, it calls
 * `onDown` once and stops.
 */
export class RedisHealth {
  private readonly now: () => number;
  private lastHealthy: number;
  private lastError: string | undefined;
  private erredSinceTick = false;
  private pingAnswered = true;
  private pinging = false;
  private readonly timer: NodeJS.Timeout;
  private down = false;

  constructor(private readonly options: RedisHealthOptions) {
    this.now = options.now ?? (() => performance.now());
    this.lastHealthy = this.now();
    this.timer = setInterval(() => this.tick(), PING_INTERVAL_MS);
    // The watchdog alone never keeps a finished process alive.
    this.timer.unref();
    this.ping();
  }

  /** Records an error from Redis or a limiter: the current tick is not healthy. */
  failed(error: unknown): void {
    this.erredSinceTick = true;
    this.lastError = describeError(error);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private ping(): void {
    if (this.pinging) {
      this.pingAnswered = false;
      return;
    }
    this.pinging = true;
    this.pingAnswered = false;
    this.options.ping().then(
      () => {
        this.pinging = false;
        this.pingAnswered = true;
      },
      (error: unknown) => {
        this.pinging = false;
        this.failed(error);
      },
    );
  }

  private tick(): void {
    if (this.down) return;
    const t = this.now();
    if (this.pingAnswered && !this.erredSinceTick) this.lastHealthy = t;
    this.erredSinceTick = false;
    if (t - this.lastHealthy >= this.options.timeoutMs) {
      this.down = true;
      this.stop();
      const silent = `no answer from Redis for ${Math.round(t - this.lastHealthy)} ms`;
      this.options.onDown(this.lastError ? `${silent} (last error: ${this.lastError})` : silent);
      return;
    }
    this.ping();
  }
}
