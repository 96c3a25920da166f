import type { Operation, StepDetails, WaitDetails } from '@aws-sdk/client-lambda';
import { ConfigError } from '../errors.js';
import type { InitialState } from '../source/read-state.js';

/**
 * A timestamp as an invocation event carries it (docs/DURABLE-API.md §3.4): an ISO-8601 string, as
 * the JS durable SDK's wire model declares (`WireTimestamp`) and its runtime parses the event; epoch
 * MILLISECONDS, as other SDKs read it (a numeric string counts as a number); or a `Date`, when the
 * caller has already parsed it.
 */
export type EventTimestamp = string | number | Date;

/**
 * An operation as the durable invocation event carries it in `InitialExecutionState.Operations`: the
 * `GetDurableExecutionState` `Operation` shape, but with its timestamps in one of the event's forms
 * (`EventTimestamp`), where the REST API sends epoch seconds.
 */
export type InvocationOperation = Omit<
  Operation,
  'StartTimestamp' | 'EndTimestamp' | 'StepDetails' | 'WaitDetails'
> & {
  StartTimestamp?: EventTimestamp;
  EndTimestamp?: EventTimestamp;
  StepDetails?: Omit<StepDetails, 'NextAttemptTimestamp'> & { NextAttemptTimestamp?: EventTimestamp };
  WaitDetails?: Omit<WaitDetails, 'ScheduledEndTimestamp'> & { ScheduledEndTimestamp?: EventTimestamp };
};

/** `event.InitialExecutionState`: the first page of the state, and the marker that continues it. */
export interface InvocationExecutionState {
  Operations?: InvocationOperation[];
  NextMarker?: string;
}

const EPOCH_MILLIS = /^\d+(\.\d+)?$/;
/** `2026-07-13T22:11:27.127Z`, `2026-07-13T22:11:27+02:00`: a date, a time and a zone, as ISO-8601 has them. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * One timestamp of the event as a `Date`, or a `ConfigError` naming the field and the operation: a
 * value that is none of the event's forms (or not a valid instant) is the caller's mistake.
 */
function eventDate(value: unknown, field: string, op: InvocationOperation, executionArn?: string): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value);
  else if (typeof value === 'string' && EPOCH_MILLIS.test(value)) date = new Date(Number(value));
  else if (typeof value === 'string' && ISO_8601.test(value)) date = new Date(value);
  if (date && !Number.isNaN(date.getTime())) return date;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  throw new ConfigError(
    `exportFromInvocation: InitialExecutionState operation ${op.Id ?? '(no Id)'}: ${field} is ${shown}, not an ISO-8601 string, epoch milliseconds or a Date`,
    { executionArn },
  );
}

/**
 * One invocation-event operation in the SDK's `Operation` form (timestamps as `Date`).
 *
 * @throws ConfigError naming the field and the operation when a timestamp is in none of the forms.
 */
export function operationFromInvocation(op: InvocationOperation, executionArn?: string): Operation {
  const at = (value: unknown, field: string) => eventDate(value, field, op, executionArn);
  const out = { ...op } as Operation;
  if (op.StartTimestamp !== undefined) out.StartTimestamp = at(op.StartTimestamp, 'StartTimestamp');
  if (op.EndTimestamp !== undefined) out.EndTimestamp = at(op.EndTimestamp, 'EndTimestamp');
  const next = op.StepDetails?.NextAttemptTimestamp;
  if (op.StepDetails && next !== undefined) {
    const NextAttemptTimestamp = at(next, 'StepDetails.NextAttemptTimestamp');
    out.StepDetails = { ...op.StepDetails, NextAttemptTimestamp };
  }
  const scheduled = op.WaitDetails?.ScheduledEndTimestamp;
  if (op.WaitDetails && scheduled !== undefined) {
    const ScheduledEndTimestamp = at(scheduled, 'WaitDetails.ScheduledEndTimestamp');
    out.WaitDetails = { ...op.WaitDetails, ScheduledEndTimestamp };
  }
  return out;
}

/** The invocation event's `InitialExecutionState` as the first page of a state read. */
export function initialStateFromInvocation(
  state: InvocationExecutionState,
  executionArn?: string,
): InitialState {
  return {
    operations: (state.Operations ?? []).map((op) => operationFromInvocation(op, executionArn)),
    nextMarker: state.NextMarker || undefined,
  };
}
