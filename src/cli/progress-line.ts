import { LAMBDA_APIS, type LambdaApi } from '../aws/rate-limiter.js';
import type { ExportSummary } from '../pipeline/run-export.js';
import { RequestRate } from './request-rate.js';
import { formatBytes } from './summary-report.js';

export interface ProgressLineOptions {
  /** The overall cap (`lambda.requestsPerSecond`), shown next to the run's rate when there are no per-API counts. */
  requestsPerSecond?: number;
  /** Redraw at most this often. */
  intervalMs?: number;
  now?: () => number;
}

/** One API's achieved rate (`RequestRate`), its limit, and the rate throttling slowed it to. */
export interface ApiRate {
  api: LambdaApi;
  rate: number;
  limit: number;
  /** The limiter's current rate, when throttling lowered it below `limit`. */
  slowedTo?: number;
}

/**
 * A single live status line on a terminal: executions listed and done, operations, bytes, each
 * API's achieved request rate (over the last seconds, `RequestRate`) against its limit, retries,
 * and an ETA once every execution is listed.
 */
export class ProgressLine {
  private last = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly rate: RequestRate;
  private readonly apiRates = new Map<LambdaApi, RequestRate>();

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly options: ProgressLineOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.now = options.now ?? Date.now;
    this.rate = new RequestRate(this.now());
  }

  update(s: Readonly<ExportSummary>): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    const rate = this.rate.at(t, s.requests.requests);
    const line = renderProgress(s, this.options.requestsPerSecond, rate, this.ratesByApi(t, s));
    this.stream.write(`\r\x1b[2K${line}`);
  }

  /** The APIs called so far, each with its achieved rate. */
  private ratesByApi(t: number, s: Readonly<ExportSummary>): ApiRate[] {
    const rates: ApiRate[] = [];
    for (const api of LAMBDA_APIS) {
      const stats = s.requests.apis?.[api];
      if (!stats || stats.requests === 0) continue;
      const rate = this.apiRates.get(api) ?? new RequestRate(this.rate.start);
      this.apiRates.set(api, rate);
      const slowedTo = stats.rate < stats.limit ? stats.rate : undefined;
      rates.push({ api, rate: rate.at(t, stats.requests), limit: stats.limit, slowedTo });
    }
    return rates;
  }

  /** Clears the line so the summary starts on a clean one. */
  end(): void {
    this.stream.write('\r\x1b[2K');
  }
}

/**
 * The text of the progress line (no terminal control codes); `rate` is the run's achieved requests
 * per second against the overall `limit`, shown when no API's rate is given. Done executions
 * include skipped ones, as listed ones do.
 */
export function renderProgress(
  s: Readonly<ExportSummary>,
  limit: number | undefined,
  rate: number,
  apis: readonly ApiRate[] = [],
): string {
  const seconds = s.durationMs / 1000;
  const done = s.executionsExported + s.executionsSkipped + s.executionsFailed;
  const retries = s.requests.throttled + s.requests.failedAttempts;
  const listed = `${s.executionsListed}${s.listingComplete ? '' : '+'} listed`;
  const parts = [
    `executions ${done}/${listed} (${s.executionsFailed} failed)`,
    `${s.operations} operations`,
    formatBytes(s.bytesWritten),
    apis.length > 0
      ? formatApiRates(apis)
      : `${rate.toFixed(1)}${limit === undefined ? '' : `/${limit}`} req/s`,
    `${retries} retries`,
  ];
  // Skipped executions take no time: the pace is that of the executions read.
  const read = s.executionsExported + s.executionsFailed;
  if (s.listingComplete && read > 0 && seconds > 0) {
    const remaining = Math.max(0, s.executionsListed - done);
    parts.push(`ETA ${formatDuration((remaining / read) * seconds)}`);
  }
  return parts.join(' | ');
}

/** `history 14.9/15, getExecution 0.4/30 req/s`, with `(slowed to 7.5)` after throttling. */
function formatApiRates(apis: readonly ApiRate[]): string {
  const each = apis.map((a) => {
    const slowed = a.slowedTo === undefined ? '' : ` (slowed to ${a.slowedTo.toFixed(1)})`;
    return `${a.api} ${a.rate.toFixed(1)}/${a.limit}${slowed}`;
  });
  return `${each.join(', ')} req/s`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
