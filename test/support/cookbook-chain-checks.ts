import { expect } from 'vitest';
import type { Truth } from './cookbook-checks.js';
import { byText, type TruthExecution } from './cookbook-truth.js';

type Row = Record<string, unknown>;

/** The chained invokes of the truth: parent execution, invoke operation, child ARN. */
function links({ executions }: Truth) {
  return executions.flatMap((parent) =>
    parent.operations
      .filter((o) => o.type === 'CHAINED_INVOKE' && o.childExecutionArn !== null)
      .map((invoke) => ({ parent, invoke, childArn: invoke.childExecutionArn as string })),
  );
}

/** Checks of the queries in src/athena/cookbook-chain-queries.ts, from the generator's ground truth. */
export const CHAIN_CHECKS: Record<string, (rows: Row[], t: Truth) => void> = {
  'chained-invoke-children'(rows, truth) {
    const byArn = new Map(truth.executions.map((e) => [e.arn, e]));
    const expected = links(truth)
      .sort(
        (a, b) =>
          byText(a.parent.name, b.parent.name) ||
          a.invoke.start - b.invoke.start ||
          byText(a.invoke.id, b.invoke.id),
      )
      .map(({ parent, invoke, childArn }) => {
        const child = byArn.get(childArn);
        return {
          parent_execution: parent.name,
          invoke_status: invoke.status,
          child_execution: child?.name ?? null,
          child_status: child?.status ?? null,
          child_duration_ms: child?.durationMs ?? null,
        };
      });
    const actual = rows.map(({ parent_function: _, invoke_name: __, child_function_name: ___, ...r }) => r);
    expect(actual).toEqual(expected);
    // Children in the lake and outside it, and invokes that ended every way a child can.
    expect(rows.some((r) => r.child_execution !== null)).toBe(true);
    expect(rows.some((r) => r.child_execution === null)).toBe(true);
    expect(new Set(rows.map((r) => r.invoke_status))).toEqual(
      new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED', 'STARTED']),
    );
    for (const r of rows) {
      if (r.child_status !== null && r.invoke_status !== 'STARTED') {
        expect(r.child_status).toBe(r.invoke_status);
      }
    }
  },
  'chained-execution-trees'(rows, truth) {
    const children = new Map<string, string[]>();
    for (const { parent, childArn } of links(truth)) {
      children.set(parent.arn, [...(children.get(parent.arn) ?? []), childArn]);
    }
    const isChild = new Set([...children.values()].flat());
    const byArn = new Map(truth.executions.map((e) => [e.arn, e]));
    const roots = truth.executions.filter((e) => children.has(e.arn) && !isChild.has(e.arn));
    const expected = roots.map((root: TruthExecution) => {
      const found: { arn: string; depth: number }[] = [];
      const walk = (arn: string, depth: number) => {
        for (const child of children.get(arn) ?? []) {
          found.push({ arn: child, depth });
          walk(child, depth + 1);
        }
      };
      walk(root.arn, 1);
      return {
        root_function: root.functionName,
        root_execution: root.name,
        descendants: found.length,
        generations: Math.max(...found.map((f) => f.depth)),
        not_in_lake: found.filter((f) => !byArn.has(f.arn)).length,
        not_succeeded: found.filter((f) => byArn.has(f.arn) && byArn.get(f.arn)?.status !== 'SUCCEEDED')
          .length,
      };
    });
    expected.sort(
      (a, b) =>
        b.descendants - a.descendants ||
        b.generations - a.generations ||
        byText(a.root_execution, b.root_execution),
    );
    expect(rows).toEqual(expected);
    // The walk goes further than one level.
    expect(Math.max(...rows.map((r) => Number(r.generations)))).toBeGreaterThan(1);
  },
};
