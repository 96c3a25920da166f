import { expect } from 'vitest';
import type { Truth } from './cookbook-checks.js';
import { byText, groupBy, round } from './cookbook-truth.js';

type Row = Record<string, unknown>;

const FAILED = ['FAILED', 'TIMED_OUT', 'STOPPED'];

/** Checks of the fleet cookbook queries, from the account and Region fields of each execution's ARN. */
export const FLEET_CHECKS: Record<string, (rows: Row[], t: Truth) => void> = {
  'fleet-failure-rate'(rows, { executions }) {
    const placeOf = (arn: string) => arn.split(':').slice(3, 5).reverse().join('|');
    const expected = [...groupBy(executions, (e) => placeOf(e.arn))]
      .sort(([a], [b]) => byText(a, b))
      .map(([place, g]) => {
        const [account_id, region] = place.split('|');
        const finished = g.filter((e) => e.status !== 'RUNNING').length;
        const failed = g.filter((e) => FAILED.includes(e.status)).length;
        return {
          account_id,
          region,
          functions: new Set(g.map((e) => e.functionName)).size,
          executions: g.length,
          running: g.length - finished,
          failed,
          failure_rate_pct: finished === 0 ? null : round((100 * failed) / finished, 2),
        };
      });
    expect(rows.map(({ failure_rate_pct: _, ...r }) => r)).toEqual(
      expected.map(({ failure_rate_pct: _, ...e }) => e),
    );
    for (const [i, r] of rows.entries()) {
      const pct = expected[i]?.failure_rate_pct;
      if (pct === null || pct === undefined) expect(r.failure_rate_pct).toBeNull();
      else expect(r.failure_rate_pct).toBeCloseTo(pct, 1);
    }
  },
};
