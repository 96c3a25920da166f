/**
 * The request window's hard edge, counted on the starts it grants (a count on its own clock, not a
 * race with another process): a burst of waiting requests never puts more than `floor(rate)`
 * starts into one second, also at a fractional rate such as a fallen-back worker's `limit / workers`.
 */
import { describe, expect, it } from 'vitest';
import { RequestWindow, windowOf } from '../src/aws/request-window.js';

/** The most starts any window of `ms` milliseconds holds. */
function busiest(starts: readonly number[], ms: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (const [i, t] of sorted.entries())
    most = Math.max(most, sorted.filter((u, j) => j >= i && u < t + ms).length);
  return most;
}

describe('RequestWindow', () => {
  it('holds floor(rate) starts in any second when requests bunch, at a fractional rate too', async () => {
    // 20/3 per second, as a worker holds after a Redis outage with 3 workers; 14 requests at once.
    const window = new RequestWindow(20 / 3);
    const starts = await Promise.all(Array.from({ length: 14 }, () => window.acquire()));
    const times = starts.map((s) => s.t);
    expect(busiest(times, 1000)).toBe(6);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2000);
  });

  it('spaces a rate below one per second by 1000 / rate', () => {
    expect(windowOf(0.5)).toEqual({ n: 1, ms: 2010 });
    expect(windowOf(15)).toEqual({ n: 15, ms: 1010 });
    expect(windowOf(7.5)).toEqual({ n: 7, ms: 1010 });
  });
});
