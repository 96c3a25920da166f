import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressLine, renderProgress } from '../src/cli/progress-line.js';
import { RunLogger } from '../src/cli/run-logger.js';
import { emptySummary } from '../src/pipeline/export-summary.js';
import type { ExportSummary } from '../src/pipeline/run-export.js';

function summary(overrides: Partial<ExportSummary> = {}): ExportSummary {
  return {
    ...emptySummary('history', { requests: 50, throttled: 3, failedAttempts: 1 }),
    executionsListed: 100,
    listingComplete: true,
    executionsExported: 24,
    executionsFailed: 1,
    operations: 812,
    pages: 25,
    bytesWritten: 3 * 1024 * 1024,
    durationMs: 10_000,
    ...overrides,
  };
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => {
    text += c.toString();
  });
  return { stream, text: () => text };
}

describe('progress on a terminal', () => {
  it('shows counts, the achieved rate against the limit, retries and an ETA', () => {
    // 25 of 100 executions in 10 s: 75 left at 2.5/s is 30 s.
    expect(renderProgress(summary(), 10, 5)).toBe(
      'executions 25/100 listed (1 failed) | 812 operations | 3.0 MiB | 5.0/10 req/s | 4 retries | ETA 30s',
    );
  });

  it('shows each API called with its achieved rate against its own limit, and a throttled one slowed', () => {
    const line = renderProgress(summary(), undefined, 19, [
      { api: 'list', rate: 1, limit: 15 },
      { api: 'history', rate: 7.2, limit: 15, slowedTo: 7.5 },
    ]);
    expect(line).toContain('| list 1.0/15, history 7.2/15 (slowed to 7.5) req/s |');
  });

  it('measures each API’s rate from its own counts', () => {
    let clock = 0;
    const out = capture();
    const progress = new ProgressLine(out.stream, { intervalMs: 0, now: () => clock });
    const apis = (history: number, getExecution: number) => ({
      list: { requests: 0, throttled: 0, slowdowns: 0, rate: 15, limit: 15 },
      history: { requests: history, throttled: 0, slowdowns: 0, rate: 15, limit: 15 },
      getExecution: { requests: getExecution, throttled: 0, slowdowns: 0, rate: 30, limit: 30 },
      state: { requests: 0, throttled: 0, slowdowns: 0, rate: 10_000, limit: 10_000 },
      listFunctions: { requests: 0, throttled: 0, slowdowns: 0, rate: 15, limit: 15 },
    });
    for (clock = 1000; clock <= 10_000; clock += 1000) {
      const requests = {
        requests: 0,
        throttled: 0,
        failedAttempts: 0,
        apis: apis(clock * 0.015, clock * 0.003),
      };
      progress.update(summary({ durationMs: clock, requests }));
    }
    expect(out.text().split('\r\x1b[2K').at(-1)).toContain('history 15.0/15, getExecution 3.0/30 req/s');
  });

  it('gives no ETA while executions are still being listed', () => {
    const line = renderProgress(summary({ listingComplete: false }), 10, 5);
    expect(line).toContain('25/100+ listed');
    expect(line).not.toContain('ETA');
  });

  it('redraws in place, at most once per interval of the clock', () => {
    let clock = 0;
    const out = capture();
    const progress = new ProgressLine(out.stream, {
      requestsPerSecond: 10,
      intervalMs: 250,
      now: () => clock,
    });
    progress.update(summary({ executionsExported: 1 }));
    clock = 100;
    progress.update(summary({ executionsExported: 2 }));
    clock = 300;
    progress.update(summary({ executionsExported: 3 }));
    progress.end();
    const writes = out.text().split('\r\x1b[2K').filter(Boolean);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toContain('executions 2/100');
    expect(writes[1]).toContain('executions 4/100');
    expect(out.text().endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('the achieved request rate on the progress line', () => {
  /** The rates the line showed, in order. */
  const shownRates = (text: string): number[] =>
    [...text.matchAll(/\| ([\d.]+)\/10 req\/s/g)].map((m) => Number(m[1]));

  it('is measured over a real window: never above the busiest second, about the limit when steady', () => {
    // A limiter at 10 requests/s sends at 0, 100, 200, ... ms: no one-second window holds more
    // than 11. Outcomes (and redraws) come at 120 ms and then every 250 ms, for 20 s.
    const sentBy = (t: number) => Math.floor(t / 100) + 1;
    let clock = 0;
    const out = capture();
    const progress = new ProgressLine(out.stream, {
      requestsPerSecond: 10,
      intervalMs: 250,
      now: () => clock,
    });
    for (clock = 120; clock <= 20_000; clock += 250) {
      progress.update(
        summary({
          durationMs: clock,
          requests: { requests: sentBy(clock), throttled: 0, failedAttempts: 0 },
        }),
      );
    }
    const rates = shownRates(out.text());
    expect(rates).toHaveLength(80);
    // The run's average since the start showed 16.7 here (2 requests in 0.12 s).
    expect(rates[0]).toBe(2);
    expect(Math.max(...rates)).toBeLessThanOrEqual(11);
    for (const rate of rates.slice(20)) expect(rate).toBeGreaterThanOrEqual(9.5);
    for (const rate of rates.slice(20)) expect(rate).toBeLessThanOrEqual(10.5);
  });

  it('falls when requests stop, rather than keeping the average since the start', () => {
    let clock = 0;
    const out = capture();
    const progress = new ProgressLine(out.stream, {
      requestsPerSecond: 10,
      intervalMs: 250,
      now: () => clock,
    });
    const at = (t: number, requests: number) => {
      clock = t;
      progress.update(summary({ durationMs: t, requests: { requests, throttled: 0, failedAttempts: 0 } }));
    };
    at(10_000, 100);
    at(20_000, 100);
    expect(shownRates(out.text())).toEqual([10, 0]);
  });
});

describe('done executions on the progress line', () => {
  it('counts skipped ones, as listed ones do: a re-run of a finished job is 12/12, not 0/12', () => {
    const rerun = summary({
      executionsListed: 12,
      executionsSkipped: 12,
      executionsExported: 0,
      executionsFailed: 0,
    });
    expect(renderProgress(rerun, 10, 0)).toContain('executions 12/12 listed (0 failed)');
    expect(renderProgress(rerun, 10, 0)).not.toContain('ETA');
  });
});

describe('structured logs when not on a terminal', () => {
  const at = () => new Date('2026-11-25T12:00:00.000Z');

  it('writes one JSON object per line at or above the level', () => {
    const out = capture();
    const log = new RunLogger({ level: 'info', format: 'json', stream: out.stream, now: at });
    log.debug('not shown');
    log.info('execution exported', { executionArn: 'arn:x', operations: 12 });
    log.error('execution failed', { executionArn: 'arn:y', reason: 'KMSAccessDeniedException' });
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        time: '2026-11-25T12:00:00.000Z',
        level: 'info',
        message: 'execution exported',
        executionArn: 'arn:x',
        operations: 12,
      },
      {
        time: '2026-11-25T12:00:00.000Z',
        level: 'error',
        message: 'execution failed',
        executionArn: 'arn:y',
        reason: 'KMSAccessDeniedException',
      },
    ]);
  });

  it('writes readable text lines with key=value pairs', () => {
    const out = capture();
    const log = new RunLogger({ level: 'warn', format: 'text', stream: out.stream, now: at });
    log.info('hidden');
    log.warn('marker expired, re-reading', { executionArn: 'arn:z', page: 3, reason: 'two words' });
    expect(out.text()).toBe(
      '2026-11-25T12:00:00.000Z WARN  marker expired, re-reading executionArn=arn:z page=3 reason="two words"\n',
    );
  });
});
