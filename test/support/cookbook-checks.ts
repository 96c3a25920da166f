import { expect } from 'vitest';
import {
  byText,
  groupBy,
  nearestRank,
  round,
  sum,
  type TruthExecution,
  type TruthOperation,
} from './cookbook-truth.js';

type Row = Record<string, unknown>;
export type Truth = { executions: TruthExecution[]; ops: TruthOperation[] };
const label = (name: string | null) => name ?? '(unnamed)';
const HOUR = 3_600_000;

/**
 * What each cookbook query must return on the demo data set, computed from the generator's ground
 * truth. Every cookbook query needs an entry here (a test checks), so a new query comes with a check.
 */
export const CHECKS: Record<string, (rows: Row[], t: Truth) => void> = {
  'step-failure-rate-by-day'(rows, { ops }) {
    const groups = groupBy(
      ops.filter((o) => o.type === 'STEP' && ['SUCCEEDED', 'FAILED'].includes(o.status)),
      (o) => `${o.dt} ${label(o.name)}`,
    );
    const expected = [...groups].map(([key, g]) => {
      const failed = g.filter((o) => o.status === 'FAILED').length;
      return { key, finished: g.length, failed, pct: (100 * failed) / g.length };
    });
    const actual = rows.map((r) => ({
      key: `${r.dt} ${r.step_name}`,
      finished: r.finished_steps,
      failed: r.failed_steps,
    }));
    expect(actual.sort((a, b) => byText(a.key, b.key))).toEqual(
      expected.map(({ pct: _, ...e }) => e).sort((a, b) => byText(a.key, b.key)),
    );
    for (const r of rows) {
      const e = expected.find((x) => x.key === `${r.dt} ${r.step_name}`);
      expect(r.failure_rate_pct).toBeCloseTo(e?.pct ?? Number.NaN, 1);
    }
    expect(sum(expected.map((e) => e.failed))).toBeGreaterThan(0);
  },
  'step-duration-percentiles'(rows, { ops }) {
    const groups = groupBy(
      ops.filter((o) => o.type === 'STEP' && o.durationMs !== null),
      (o) => label(o.name),
    );
    const expected = [...groups].map(([name, g]) => {
      const d = g.map((o) => o.durationMs as number);
      const [p50_ms, p95_ms, p99_ms] = [0.5, 0.95, 0.99].map((p) => nearestRank(d, p));
      return { step_name: name, steps: g.length, p50_ms, p95_ms, p99_ms, max_ms: Math.max(...d) };
    });
    expected.sort((a, b) => (b.p95_ms ?? 0) - (a.p95_ms ?? 0) || byText(a.step_name, b.step_name));
    expect(rows).toEqual(expected);
  },
  'step-retries-share'(rows, { ops }) {
    const steps = ops.filter((o) => o.type === 'STEP' && o.subType === 'Step' && o.end !== null);
    const expected = [...groupBy(steps, (o) => label(o.name))].map(([name, g]) => {
      const retried = g.filter((o) => (o.attempt ?? 1) > 1);
      const retryMs = sum(retried.map((o) => (o.nextAttempt as number) - o.start));
      const totalMs = sum(g.map((o) => o.durationMs as number));
      return {
        step_name: name,
        steps: g.length,
        retried_steps: retried.length,
        retries: sum(g.map((o) => (o.attempt as number) - 1)),
        retry_ms: retryMs,
        total_ms: totalMs,
        retry_share_pct: round((100 * retryMs) / totalMs, 2),
      };
    });
    expected.sort((a, b) => b.retries - a.retries || byText(a.step_name, b.step_name));
    expect(rows.map(({ retry_share_pct: _, ...r }) => r)).toEqual(
      expected.map(({ retry_share_pct: _, ...e }) => e),
    );
    for (const [i, r] of rows.entries()) {
      expect(r.retry_share_pct).toBeCloseTo(expected[i]?.retry_share_pct ?? Number.NaN, 1);
    }
  },
  'callback-timeouts-by-name'(rows, { executions }) {
    const timedOut = executions.flatMap((e) =>
      e.operations
        .filter((o) => o.type === 'CALLBACK' && o.status === 'TIMED_OUT')
        .map((o) => ({
          o,
          name: o.name ?? e.operations.find((p) => p.id === o.parentId)?.name ?? '(unnamed)',
        })),
    );
    const expected = [...groupBy(timedOut, (x) => x.name)].map(([name, g]) => ({
      callback_name: name,
      timed_out: g.length,
      executions: new Set(g.map((x) => x.o.executionArn)).size,
    }));
    expected.sort((a, b) => b.timed_out - a.timed_out || byText(a.callback_name, b.callback_name));
    expect(
      rows.map((r) => ({ callback_name: r.callback_name, timed_out: r.timed_out, executions: r.executions })),
    ).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  },
  'error-types-ranked'(rows, { ops }) {
    const failed = ops.filter(
      (o) => o.isError && o.errorType !== null && !['CONTEXT', 'EXECUTION'].includes(o.type),
    );
    const groups = groupBy(failed, (o) => o.errorType as string);
    const expected = [...groups].map(([type, g]) => ({
      error_type: type,
      failed_operations: g.length,
      executions: new Set(g.map((o) => o.executionArn)).size,
    }));
    expected.sort((a, b) => b.failed_operations - a.failed_operations || byText(a.error_type, b.error_type));
    expect(rows.map(({ latest_message: _, ...r }) => r)).toEqual(expected);
    for (const r of rows) {
      const g = groups.get(String(r.error_type)) ?? [];
      const latest = Math.max(...g.map((o) => o.start));
      expect(g.filter((o) => o.start === latest).map((o) => o.errorMessage)).toContain(r.latest_message);
    }
  },
  'map-parallel-fan-out'(rows, { executions }) {
    const branches = executions.flatMap((e) =>
      e.operations
        .filter((p) => p.type === 'CONTEXT' && ['Map', 'Parallel'].includes(p.subType ?? ''))
        .flatMap((p) => e.operations.filter((b) => b.parentId === p.id).map((b) => ({ p, b }))),
    );
    const expected = [...groupBy(branches, (x) => `${label(x.p.name)}|${x.p.subType}`)].map(([key, g]) => {
      const contexts = new Set(g.map((x) => `${x.p.executionArn}/${x.p.id}`)).size;
      const [context_name, sub_type] = key.split('|');
      const failed = g.filter((x) => x.b.status === 'FAILED').length;
      return {
        context_name,
        sub_type,
        contexts,
        branches: g.length,
        avg_branches: round(g.length / contexts, 1),
        failed_branches: failed,
      };
    });
    expected.sort((a, b) => b.branches - a.branches || byText(a.context_name ?? '', b.context_name ?? ''));
    expect(rows).toEqual(expected);
  },
  'stuck-in-wait-or-callback'(rows, { executions }) {
    const cutoff = Date.now() - 6 * HOUR;
    const expected = executions
      .filter((e) => e.status === 'RUNNING')
      .flatMap((e) =>
        e.operations
          .filter((o) => o.status === 'STARTED' && ['WAIT', 'CALLBACK'].includes(o.type) && o.start < cutoff)
          .map((o) => ({
            execution_name: e.name,
            waiting_in: o.type,
            operation_name: label(o.name),
            waiting_since: o.start,
          })),
      )
      .sort((a, b) => a.waiting_since - b.waiting_since || byText(a.execution_name, b.execution_name));
    expect(rows.map(({ function_name: _, hours_waiting: __, ...r }) => r)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.hours_waiting).toBeGreaterThan(6);
  },
  'slowest-execution-path'(rows, { executions }) {
    const finished = executions.filter((e) => e.durationMs !== null);
    const slowest = finished.sort(
      (a, b) => (b.durationMs as number) - (a.durationMs as number) || byText(a.arn, b.arn),
    )[0];
    const ops = slowest?.operations ?? [];
    const pathOf = (o: TruthOperation): string => {
      const parent = ops.find((p) => p.id === o.parentId);
      const own = o.name ?? o.type;
      return parent ? `${pathOf(parent)} > ${own}` : own;
    };
    const leaves = ops
      .filter((o) => o.type !== 'EXECUTION' && !ops.some((c) => c.parentId === o.id))
      .map((o) => ({ path: pathOf(o), level: o.depth, duration_ms: o.durationMs }))
      .sort(
        (a, b) =>
          (a.duration_ms === null ? 1 : 0) - (b.duration_ms === null ? 1 : 0) ||
          (b.duration_ms ?? 0) - (a.duration_ms ?? 0) ||
          byText(a.path, b.path),
      );
    expect(rows).toEqual(leaves.slice(0, 5));
    expect(rows[0]?.level).toBeGreaterThan(0);
  },
  'invocations-per-execution'(rows, { executions }) {
    const expected = [...groupBy(executions, (e) => e.functionName)].map(([fn, g]) => {
      const n = g.map((e) => e.invocations);
      return {
        function_name: fn,
        executions: g.length,
        invocations: sum(n),
        avg_invocations: round(sum(n) / g.length, 2),
        p95_invocations: nearestRank(n, 0.95),
        max_invocations: Math.max(...n),
      };
    });
    expect(rows).toEqual(
      expected.sort((a, b) => b.invocations - a.invocations || byText(a.function_name, b.function_name)),
    );
  },
  'failures-since-version'(rows, { executions }) {
    const expected = executions
      .filter((e) => e.status === 'FAILED' && Number(e.version) >= 1)
      .sort((a, b) => b.start - a.start || byText(a.name, b.name))
      .map((e) => ({
        execution_name: e.name,
        version: e.version,
        start_timestamp: e.start,
        error_type: e.errorType,
      }));
    expect(
      rows.map((r) => ({
        execution_name: r.execution_name,
        version: r.version,
        start_timestamp: r.start_timestamp,
        error_type: r.error_type,
      })),
    ).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  },
  'waiting-vs-working'(rows, { executions }) {
    const durations = (ops: TruthOperation[]) => sum(ops.map((o) => o.durationMs ?? 0));
    const expected = executions
      .filter((e) => e.end !== null)
      .map((e) => ({
        execution_name: e.name,
        status: e.status,
        duration_ms: e.durationMs,
        waiting_ms: durations(
          e.operations.filter((o) => ['WAIT', 'CALLBACK', 'CHAINED_INVOKE'].includes(o.type)),
        ),
        step_ms: durations(e.operations.filter((o) => o.type === 'STEP')),
      }))
      .sort((a, b) => b.waiting_ms - a.waiting_ms || byText(a.execution_name, b.execution_name))
      .slice(0, 20);
    expect(rows.map(({ waiting_pct: _, ...r }) => r)).toEqual(expected);
    rows.forEach((r, i) => {
      const e = expected[i];
      expect(r.waiting_pct).toBeCloseTo((100 * (e?.waiting_ms ?? 0)) / (e?.duration_ms ?? 1), 0);
    });
  },
  'executions-per-day'(rows, { executions }) {
    const expected = [...groupBy(executions, (e) => `${e.dt}|${e.status}`)]
      .map(([key, g]) => ({ key, executions: g.length }))
      .sort((a, b) => byText(a.key, b.key));
    expect(rows.map((r) => ({ key: `${r.dt}|${r.status}`, executions: r.executions }))).toEqual(expected);
    const running = rows.filter((r) => r.status === 'RUNNING');
    for (const r of running) expect(r.avg_seconds).toBeNull();
  },
};
