import type { ExportSummary } from '../pipeline/run-export.js';
import { formatBytes } from './summary-report.js';

/** A single live status line on a terminal, redrawn at most every `intervalMs`. */
export class ProgressLine {
  private last = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  update(s: Readonly<ExportSummary>): void {
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    const rate = s.durationMs > 0 ? (s.requests.requests / (s.durationMs / 1000)).toFixed(1) : '0';
    this.stream.write(
      `\r\x1b[2Kexecutions ${s.executionsExported} exported, ${s.executionsFailed} failed | ${s.operations} operations | ${rate} req/s | ${s.requests.throttled} throttled | ${formatBytes(s.bytesWritten)}`,
    );
  }

  end(): void {
    this.stream.write('\r\x1b[2K');
  }
}
