import type { ExportSummary } from '../pipeline/run-export.js';
import { RequestRate } from './request-rate.js';
import { formatBytes } from './summary-report.js';

export interface ProgressLineOptions {
  /** The Lambda request limit, shown next to the achieved rate. */
  requestsPerSecond: number;
  /** Redraw at most this often. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * A single live status line on a terminal: executions listed and done, operations, bytes, the
 * achieved request rate (over the last seconds, `RequestRate`) against the limit, retries, and an
 * ETA once every execution is listed.
 */
export class ProgressLine {
  private last = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly rate: RequestRate;

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
    this.stream.write(`\r\x1b[2K${renderProgress(s, this.options.requestsPerSecond, rate)}`);
  }

  /** Clears the line so the summary starts on a clean one. */
  end(): void {
    this.stream.write('\r\x1b[2K');
  }
}

/**
 * The text of the progress line (no terminal control codes); `rate` is the achieved requests per
 * second. Done executions include skipped ones, as listed ones do.
 */
export function renderProgress(s: Readonly<ExportSummary>, limit: number, rate: number): string {
  const seconds = s.durationMs / 1000;
  const done = s.executionsExported + s.executionsSkipped + s.executionsFailed;
  const retries = s.requests.throttled + s.requests.failedAttempts;
  const listed = `${s.executionsListed}${s.listingComplete ? '' : '+'} listed`;
  const parts = [
    `executions ${done}/${listed} (${s.executionsFailed} failed)`,
    `${s.operations} operations`,
    formatBytes(s.bytesWritten),
    `${rate.toFixed(1)}/${limit} req/s`,
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

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
