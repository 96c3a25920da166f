/**
 * Test data built on the synthetic generator: executions with large inputs (to force multipart
 * uploads) and helpers to reshape generated executions for bad-input cases.
 */
import { randomBytes } from 'node:crypto';
import type { StoredExecution } from '../../src/local/service/stored-execution.js';
import {
  generateSyntheticExecutions,
  type SyntheticExecution,
} from '../../src/local/synthetic/generate-executions.js';

/** History cuts payloads over 32 KiB, as the generator does; GetDurableExecution holds the full text. */
const HISTORY_PAYLOAD_LIMIT = 32 * 1024;

/**
 * `count` executions of `functionName` started on `day`, each with an incompressible input of
 * `inputBytes` (random base64): in history cut to 32 KiB and marked Truncated, in
 * GetDurableExecution and in the expected EXECUTION operation whole.
 */
export function largeInputExecutions(options: {
  count: number;
  seed: number;
  functionName: string;
  day: string;
  inputBytes: number;
}): SyntheticExecution[] {
  const executions = generateSyntheticExecutions({
    count: options.count,
    seed: options.seed,
    functionNames: [options.functionName],
    startFrom: new Date(`${options.day}T00:00:00Z`),
    spanDays: 0.5,
  });
  return executions.map((e) => withInput(e, randomBytes((options.inputBytes * 3) / 4).toString('base64')));
}

/** A copy of `e` whose execution input is `input`, consistently in the execution, history and expectations. */
export function withInput(e: SyntheticExecution, input: string): SyntheticExecution {
  const truncated = input.length > HISTORY_PAYLOAD_LIMIT;
  const events = e.events.map((event) => {
    if (event.EventType !== 'ExecutionStarted') return event;
    const details = event.ExecutionStartedDetails as Record<string, unknown>;
    const payload = truncated ? input.slice(0, HISTORY_PAYLOAD_LIMIT) : input;
    return {
      ...event,
      ExecutionStartedDetails: { ...details, Input: { Payload: payload, Truncated: truncated } },
    };
  });
  const expectedOperations = e.expectedOperations.map((op) =>
    op.Type === 'EXECUTION' ? { ...op, ExecutionDetails: { InputPayload: input } } : op,
  );
  return { ...e, execution: { ...e.execution, InputPayload: input }, events, expectedOperations };
}

/** The operations-table rows of a lake, keyed for a multiset comparison (see `canonicalRow`). */
export function canonicalRow(row: Record<string, unknown>): string {
  // Which run wrote the row (provenance) is not what the source said: left out of the comparison.
  const { dt: _dt, exported_at: _at, export_run_id: _run, ...columns } = row;
  if (columns.payload_truncated === true) columns.result = '(truncated in history)';
  const keys = Object.keys(columns).sort();
  return JSON.stringify(
    keys.map((k) => [k, columns[k]]),
    (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
  );
}

/** Counts of each distinct element; `missing` and `extra` of `actual` against `expected`. */
export function multisetDiff(
  expected: readonly string[],
  actual: readonly string[],
): { missing: number; extra: number; duplicates: number } {
  const counts = new Map<string, number>();
  for (const key of expected) counts.set(key, (counts.get(key) ?? 0) + 1);
  let extra = 0;
  for (const key of actual) {
    const left = counts.get(key) ?? 0;
    if (left === 0) extra++;
    else counts.set(key, left - 1);
  }
  const missing = [...counts.values()].reduce((n, c) => n + c, 0);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const key of actual) {
    if (seen.has(key)) duplicates++;
    seen.add(key);
  }
  return { missing, extra, duplicates };
}

/** The same execution earlier: RUNNING, with the first half of its history. */
export function whileRunning(e: StoredExecution): StoredExecution {
  const { EndTimestamp: _end, Result: _result, Error: _error, ...execution } = e.execution;
  return {
    execution: { ...execution, Status: 'RUNNING' },
    events: e.events.slice(0, Math.floor(e.events.length / 2)),
  };
}
