import { expect } from 'vitest';
import type { Truth } from './cookbook-checks.js';
import { byText, groupBy, round, sum } from './cookbook-truth.js';

type Row = Record<string, unknown>;

/** Checks of the `invocations` cookbook queries (cookbook-invocation-queries.ts), from the generator's events. */
export const INVOCATION_CHECKS: Record<string, (rows: Row[], t: Truth) => void> = {
  'invocation-time-per-function'(rows, { executions }) {
    const expected = [...groupBy(executions, (e) => e.functionName)].map(([fn, g]) => {
      const d = g.flatMap((e) => e.invocationRows.map((i) => i.duration_ms as number));
      return {
        function_name: fn,
        executions: g.filter((e) => e.invocationRows.length > 0).length,
        invocations: d.length,
        invocation_ms: sum(d),
        avg_invocation_ms: round(sum(d) / d.length, 1),
        max_invocation_ms: Math.max(...d),
      };
    });
    expected.sort((a, b) => b.invocation_ms - a.invocation_ms || byText(a.function_name, b.function_name));
    expect(rows).toEqual(expected);
  },
  'slowest-executions-by-invocation-time'(rows, { executions }) {
    const expected = executions
      .filter((e) => e.invocationRows.length > 0)
      .map((e) => {
        const d = e.invocationRows.map((i) => i.duration_ms as number);
        return {
          function_name: e.functionName,
          execution_name: e.name,
          status: e.status,
          invocations: d.length,
          invocation_ms: sum(d),
          longest_invocation_ms: Math.max(...d),
          wall_ms: e.durationMs,
        };
      })
      .sort(
        (a, b) =>
          b.invocation_ms - a.invocation_ms ||
          byText(a.execution_name, b.execution_name) ||
          byText(a.function_name, b.function_name),
      );
    expect(rows).toEqual(expected.slice(0, 20));
  },
  'failed-invocations'(rows, { executions }) {
    const expected = executions
      .flatMap((e) => e.invocationRows.map((i): Row => ({ ...i, execution_name: e.name })))
      .filter((i) => i.error_type !== null)
      .sort(
        (a, b) =>
          (b.start_timestamp as number) - (a.start_timestamp as number) ||
          byText(String(a.execution_name), String(b.execution_name)) ||
          (a.invocation as number) - (b.invocation as number),
      )
      .map((i) => ({
        function_name: i.function_name,
        execution_name: i.execution_name,
        invocation: i.invocation,
        request_id: i.request_id,
        start_timestamp: i.start_timestamp,
        duration_ms: i.duration_ms,
        error_type: i.error_type,
        error_message: i.error_message,
      }));
    expect(rows).toEqual(expected);
  },
};
