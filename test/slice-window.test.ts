import { describe, expect, it } from 'vitest';
import { createPrng } from '../src/local/synthetic/prng.js';
import { sliceWindow } from '../src/plan/slice-window.js';

/** The slice each start falls in, by the half-open rule after <= t < before. */
function slicesHolding(t: number, slices: ReturnType<typeof sliceWindow>): number {
  return slices.filter(
    (s) => (s.after === undefined || t >= s.after) && (s.before === undefined || t < s.before),
  ).length;
}

describe('sliceWindow: half-open slices of similar size, cut at execution starts', () => {
  it('keeps the given bounds, cuts at starts, and puts an execution on a cut in the later slice', () => {
    const starts = [100, 200, 300, 400, 500, 600];
    const slices = sliceWindow(starts, { after: 50, before: 1000 }, 2);
    expect(slices).toEqual([
      { after: 50, before: 300, executions: 2 },
      { after: 300, before: 500, executions: 2 },
      { after: 500, before: 1000, executions: 2 },
    ]);
  });

  it('keeps executions of the same millisecond together', () => {
    const slices = sliceWindow([10, 20, 20, 20, 20, 30], {}, 2);
    for (const t of [10, 20, 30]) expect(slicesHolding(t, slices)).toBe(1);
    expect(slices.reduce((n, s) => n + s.executions, 0)).toBe(6);
    expect(slices.find((s) => s.after === 20)?.executions).toBeGreaterThanOrEqual(4);
  });

  it('gives the whole window as one slice when nothing was listed', () => {
    expect(sliceWindow([], { after: 1, before: 2 }, 10)).toEqual([{ after: 1, before: 2, executions: 0 }]);
    expect(sliceWindow([], {}, 10)).toEqual([{ after: undefined, before: undefined, executions: 0 }]);
  });

  it('partitions any set of starts: each in exactly one slice, each slice within 1 of the share', () => {
    const prng = createPrng(7);
    for (let round = 0; round < 50; round++) {
      const n = 1 + Math.floor(prng.next() * 500);
      const starts = Array.from({ length: n }, () => Math.floor(prng.next() * 1e9));
      const target = 1 + Math.floor(prng.next() * 60);
      const slices = sliceWindow(starts, {}, target);
      for (const t of starts) expect(slicesHolding(t, slices)).toBe(1);
      const distinct = new Set(starts).size === n;
      for (const s of slices) {
        if (distinct) expect(Math.abs(s.executions - n / slices.length)).toBeLessThanOrEqual(1);
      }
      expect(slices.length).toBeLessThanOrEqual(Math.ceil(n / target));
    }
  });
});
