import type { SyntheticExecution } from '../../src/local/synthetic/generate-executions.js';
import { expectedInvocationRows } from './expected-event-rows.js';
import { depthsOf, expectedOperationRow, truncatedIdsOf } from './expected-rows.js';

/**
 * The synthetic lake as plain rows built from the generator's own record of each execution
 * (`execution`, `expectedOperations`, `expectedHistoryColumns`, `invocationCount`), never from the exported files: what the
 * cookbook queries must find, computed independently in JS.
 */

export interface TruthOperation {
  dt: string;
  executionArn: string;
  executionName: string;
  id: string;
  parentId: string | null;
  name: string | null;
  type: string;
  subType: string | null;
  status: string;
  start: number;
  end: number | null;
  durationMs: number | null;
  depth: number;
  isError: boolean;
  attempt: number | null;
  nextAttempt: number | null;
  errorType: string | null;
  errorMessage: string | null;
  /** CHAINED_INVOKE: the execution it started. */
  childExecutionArn: string | null;
}

export interface TruthExecution {
  dt: string;
  arn: string;
  name: string;
  functionName: string;
  version: string;
  status: string;
  start: number;
  end: number | null;
  durationMs: number | null;
  invocations: number;
  errorType: string | null;
  operations: TruthOperation[];
  /** The `invocations` rows of the execution, from its InvocationCompleted events (`dt` not included). */
  invocationRows: Record<string, unknown>[];
}

type Wire = Record<string, unknown>;
const ms = (seconds: unknown): number | null =>
  typeof seconds === 'number' ? Math.round(seconds * 1000) : null;
const time = (value: unknown): number | null => (value instanceof Date ? value.getTime() : null);

export function truthOf(source: readonly SyntheticExecution[]): TruthExecution[] {
  return source.map((e) => {
    const x = e.execution as Wire;
    const arn = String(x.DurableExecutionArn);
    const [, , , , , , functionName = '', version = ''] = String(x.FunctionArn).split(':');
    const start = ms(x.StartTimestamp) as number;
    const end = ms(x.EndTimestamp);
    const dt = new Date(start).toISOString().slice(0, 10);
    const context = {
      arn,
      functionName,
      truncatedIds: truncatedIdsOf(e.events),
      depthOf: depthsOf(e.expectedOperations),
    };
    const operations = e.expectedOperations.map((op): TruthOperation => {
      const row = expectedOperationRow(op, context, e.expectedHistoryColumns[String(op.Id)]);
      return {
        dt,
        executionArn: arn,
        executionName: String(x.DurableExecutionName),
        id: String(row.operation_id),
        parentId: row.parent_id as string | null,
        name: row.name as string | null,
        type: String(row.type),
        subType: row.sub_type as string | null,
        status: String(row.status),
        start: time(row.start_timestamp) as number,
        end: time(row.end_timestamp),
        durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
        depth: row.depth as number,
        isError: row.is_error as boolean,
        attempt: row.attempt as number | null,
        nextAttempt: time(row.next_attempt_timestamp),
        errorType: row.error_type as string | null,
        errorMessage: row.error_message as string | null,
        childExecutionArn: row.child_execution_arn as string | null,
      };
    });
    return {
      dt,
      arn,
      name: String(x.DurableExecutionName),
      functionName,
      version,
      status: String(x.Status),
      start,
      end,
      durationMs: end === null ? null : end - start,
      invocations: e.invocationCount,
      errorType: ((x.Error as Wire | undefined)?.ErrorType as string | undefined) ?? null,
      operations,
      invocationRows: plain(expectedInvocationRows(e.events, arn, functionName)),
    };
  });
}

/** Groups values by a string key, keeping first-seen order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The nearest-rank percentile (what `quantile_disc`, and so the shim's approx_percentile, returns). */
export function nearestRank(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] as number;
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
export const round = (value: number, digits: number): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** Result rows with bigint as number and Date as epoch ms, for comparing with plain JS values. */
export function plain(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : v,
      ]),
    ),
  );
}

/** Byte-order comparison, as DuckDB and Trino sort VARCHAR. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
