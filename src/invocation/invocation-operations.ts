import type { Operation, StepDetails, WaitDetails } from '@aws-sdk/client-lambda';
import type { InitialState } from '../source/read-state.js';

/** A timestamp as an invocation event carries it: epoch MILLISECONDS (a `Date` is taken as is). */
export type EventTimestamp = number | Date;

/**
 * An operation as the durable invocation event carries it in `InitialExecutionState.Operations`: the
 * `GetDurableExecutionState` `Operation` shape, but with timestamps in epoch milliseconds, where the
 * REST API sends epoch seconds (docs/DURABLE-API.md §3.4).
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

/**
 * Epoch milliseconds to a `Date`, as the durable SDKs read the event (`new Date(v)`). A numeric
 * string is read as a number.
 */
function fromMillis(value: unknown): Date {
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) return new Date(Number(value));
  // A Date stays; anything else is passed on so the transform rejects it with the field named.
  return value as Date;
}

/** One invocation-event operation in the SDK's `Operation` form (timestamps as `Date`). */
export function operationFromInvocation(op: InvocationOperation): Operation {
  const out = { ...op } as Operation;
  if (op.StartTimestamp !== undefined) out.StartTimestamp = fromMillis(op.StartTimestamp);
  if (op.EndTimestamp !== undefined) out.EndTimestamp = fromMillis(op.EndTimestamp);
  if (op.StepDetails?.NextAttemptTimestamp !== undefined) {
    out.StepDetails = {
      ...op.StepDetails,
      NextAttemptTimestamp: fromMillis(op.StepDetails.NextAttemptTimestamp),
    };
  }
  if (op.WaitDetails?.ScheduledEndTimestamp !== undefined) {
    out.WaitDetails = {
      ...op.WaitDetails,
      ScheduledEndTimestamp: fromMillis(op.WaitDetails.ScheduledEndTimestamp),
    };
  }
  return out;
}

/** The invocation event's `InitialExecutionState` as the first page of a state read. */
export function initialStateFromInvocation(state: InvocationExecutionState): InitialState {
  return {
    operations: (state.Operations ?? []).map(operationFromInvocation),
    nextMarker: state.NextMarker || undefined,
  };
}
