/**
 * Compares exported `operations` rows with the operations AWS's durable SDK reported for the same
 * executions (test/fixtures/sdk-executions.json, recorded by `make fixtures`). The expected row of an
 * SDK operation comes from `expectedOperationRow` (computed from the operation alone, independently of
 * src/); the few known differences between what the SDK's emulator reports and what history can carry
 * are applied as named exceptions, each counted so a test can show it was needed.
 */
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadDataFile } from '../../src/local/data-file.js';
import type { StoredExecution } from '../../src/local/service/stored-execution.js';
import { depthsOf, expectedOperationRow, historyColumnsOf, truncatedIdsOf } from './expected-rows.js';

type Wire = Record<string, unknown>;

/** The recorded executions (`make fixtures` writes them); the second holds payloads over 256 KB. */
export const SDK_FIXTURE_FILES = ['sdk-executions.json', 'sdk-large-result.json'].map((file) =>
  join(import.meta.dirname, '../fixtures', file),
);

/** Every recorded execution, loaded as `--data FILE` loads a data file. */
export async function loadSdkFixtures(): Promise<SdkFixture[]> {
  const files = await Promise.all(SDK_FIXTURE_FILES.map((file) => loadDataFile(file)));
  return files.flat() as SdkFixture[];
}

/** Every member an SDK `Operation` (and its details) may have: each one has a column. */
const OPERATION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  '': ['Id', 'ParentId', 'Name', 'Type', 'SubType', 'Status', 'StartTimestamp', 'EndTimestamp'],
  ExecutionDetails: ['InputPayload'],
  ContextDetails: ['ReplayChildren', 'Result', 'Error'],
  StepDetails: ['Attempt', 'NextAttemptTimestamp', 'Result', 'Error'],
  WaitDetails: ['ScheduledEndTimestamp'],
  CallbackDetails: ['CallbackId', 'Result', 'Error'],
  ChainedInvokeDetails: ['Result', 'Error'],
  Error: ['ErrorType', 'ErrorMessage', 'ErrorData', 'StackTrace'],
};

/** Members of `op` the comparison would not see (no column for them): `StepDetails.Foo`, `Error.Cause`. */
export function unmodelledMembers(op: Wire): string[] {
  const found: string[] = [];
  for (const [key, value] of Object.entries(op)) {
    const details = OPERATION_MEMBERS[key];
    if (!details) {
      if (!OPERATION_MEMBERS['']?.includes(key)) found.push(key);
      continue;
    }
    for (const [member, inner] of Object.entries(value as Wire)) {
      if (!details.includes(member)) found.push(`${key}.${member}`);
      if (member !== 'Error') continue;
      for (const field of Object.keys(inner as Wire)) {
        if (!OPERATION_MEMBERS.Error?.includes(field)) found.push(`${key}.Error.${field}`);
      }
    }
  }
  return found;
}

/** A fixture record: the local service's data plus the SDK's operations (a member the service ignores). */
export interface SdkFixture extends StoredExecution {
  sdkOperations: Wire[];
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'STOPPED']);
/** The types the emulator completes without an EndTimestamp (see `endNotStampedByEmulator`). */
const COMPLETED_BY_UPDATE = new Set(['WAIT', 'CHAINED_INVOKE', 'EXECUTION']);

/**
 * The documented exceptions. Each key names one difference between the SDK's operation and the row the
 * history source must produce, and why the row is right.
 */
export const EXCEPTIONS = {
  /**
   * `ContextDetails.ReplayChildren` is set by the SDK's SUCCEED/FAIL checkpoint (`ContextOptions`), but no
   * history event models it (ContextSucceededDetails carries only Result; docs/DURABLE-API.md §1.6), so the
   * history source cannot know it: the column is NULL, as the README states for `replay_children`.
   */
  replayChildrenNotInHistory: 'replay_children is NULL: no history event carries ReplayChildren',
  /**
   * The emulator completes WAIT, CHAINED_INVOKE and EXECUTION operations through `updateOperation`, which
   * merges the new Status without stamping EndTimestamp (STEP, CONTEXT and CALLBACK completions go
   * through `markOperationCompleted`, which does). Its history still records the terminal event
   * (WaitSucceeded, ChainedInvokeSucceeded/Failed, ExecutionSucceeded/Failed) with its EventTimestamp.
   * The row's end_timestamp is that event's time, as the fold does for every other type.
   */
  endNotStampedByEmulator: 'end_timestamp is the terminal event time: the emulator leaves EndTimestamp unset',
} as const;

export type ExceptionName = keyof typeof EXCEPTIONS;

/** True when `endNotStampedByEmulator` applies: a finished WAIT, CHAINED_INVOKE or EXECUTION without EndTimestamp. */
export function endLeftUnset(op: Wire): boolean {
  const finished = TERMINAL.has(String(op.Status));
  return op.EndTimestamp === undefined && finished && COMPLETED_BY_UPDATE.has(String(op.Type));
}

const at = (seconds: unknown): Date | null =>
  typeof seconds === 'number' ? new Date(Math.round(seconds * 1000)) : null;

/** The EventTimestamp of the last terminal event of operation `id` (its EventType ends in a terminal status). */
function terminalEventTime(events: Wire[], id: string): Date | null {
  const end = events.findLast(
    (e) => e.Id === id && /(Succeeded|Failed|TimedOut|Stopped|Cancelled)$/.test(String(e.EventType)),
  );
  return at(end?.EventTimestamp);
}

export interface Comparison {
  compared: number;
  /** `EXECUTION-NAME/OPERATION-ID column: row … sdk …` for every column that differs; empty when all agree. */
  differences: string[];
  /** How often each exception was applied. */
  applied: Record<ExceptionName, number>;
}

/** Compares the rows of `fixtures` (keyed `ARN|OPERATION_ID`) with the SDK's operations, column by column. */
export function compareWithSdk(
  fixtures: SdkFixture[],
  rows: Map<string, Record<string, unknown>>,
): Comparison {
  const result: Comparison = {
    compared: 0,
    differences: [],
    applied: { replayChildrenNotInHistory: 0, endNotStampedByEmulator: 0 },
  };
  for (const fixture of fixtures) {
    const arn = String(fixture.execution.DurableExecutionArn);
    const name = String(fixture.execution.DurableExecutionName);
    const context = {
      arn,
      functionName: String(fixture.execution.FunctionArn).split(':')[6] ?? '',
      truncatedIds: truncatedIdsOf(fixture.events),
      depthOf: depthsOf(fixture.sdkOperations),
    };
    for (const op of fixture.sdkOperations) {
      const id = String(op.Id);
      const row = rows.get(`${arn}|${id}`);
      if (!row) {
        result.differences.push(`${name}/${id}: no row`);
        continue;
      }
      for (const member of unmodelledMembers(op))
        result.differences.push(`${name}/${id}: ${member} has no column`);
      // The history-only columns are in no SDK operation: the recorded raw events are their truth.
      const expected = expectedOperationRow(op, context, historyColumnsOf(fixture.events, id));
      if ((op.ContextDetails as Wire | undefined)?.ReplayChildren !== undefined) {
        expected.replay_children = null; // EXCEPTIONS.replayChildrenNotInHistory
        result.applied.replayChildrenNotInHistory++;
      }
      if (endLeftUnset(op)) {
        const end = terminalEventTime(fixture.events, id);
        if (!end) result.differences.push(`${name}/${id}: finished, but no terminal event in history`);
        expected.end_timestamp = end; // EXCEPTIONS.endNotStampedByEmulator
        const start = expected.start_timestamp as Date;
        expected.duration_ms = end ? BigInt(end.getTime() - start.getTime()) : null;
        result.applied.endNotStampedByEmulator++;
      }
      // Provenance says which export wrote the row, not what the SDK reported.
      const { dt: _partition, exported_at: _at, export_run_id: _run, ...columns } = row;
      for (const column of new Set([...Object.keys(expected), ...Object.keys(columns)])) {
        if (isDeepStrictEqual(columns[column], expected[column])) continue;
        const show = (v: unknown) => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v));
        result.differences.push(
          `${name}/${id} ${column}: row ${show(columns[column])}, sdk ${show(expected[column])}`,
        );
      }
      result.compared++;
    }
  }
  return result;
}
