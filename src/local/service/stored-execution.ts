/**
 * The data the local durable-execution service serves: one record per durable execution, kept in the
 * exact wire JSON the REST bodies carry (timestamps as epoch-second numbers with millisecond precision).
 */

import { EXECUTION_STATUSES } from '../../config/execution-statuses.js';

/** Wire JSON exactly as the REST bodies carry it (epoch-second numbers). */
export interface StoredExecution {
  execution: Record<string, unknown>; // a GetDurableExecution response body: DurableExecutionArn, DurableExecutionName, FunctionArn, Status, StartTimestamp, EndTimestamp?, InputPayload?, Result?, Error?, Version?, ...
  events: Record<string, unknown>[]; // history events as GetDurableExecutionHistory's body carries them, EventId ascending
}

/**
 * Local extension: `ContextSucceededDetails.ReplayChildren: true` on a stored event marks a context
 * whose children stay in the `GetDurableExecutionState` replay view. No modelled history event carries
 * `ContextDetails.ReplayChildren`, so the stored history keeps it here; the service reads it for the
 * state view and strips it from `GetDurableExecutionHistory` responses (the SDK would drop it anyway).
 */
export const REPLAY_CHILDREN_MEMBER = 'ReplayChildren';

/**
 * Local extension: a payload wrapper that history cut short (`{ Payload, Truncated: true }`) may keep the
 * full text in `FullPayload`. The state view serves it, as `GetDurableExecutionState` returns the
 * checkpointed payload whole; `GetDurableExecutionHistory` responses strip it.
 */
export const FULL_PAYLOAD_MEMBER = 'FullPayload';

/** Execution statuses of `GetDurableExecution` and `ListDurableExecutionsByFunction` (one list with the config's). */
export { EXECUTION_STATUSES };
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** Converts an epoch-seconds wire number to epoch milliseconds the way the SDK parses it. */
export function epochSecondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

/** Converts epoch milliseconds to the wire's epoch-seconds number (millisecond precision). */
export function msToEpochSeconds(ms: number): number {
  return ms / 1000;
}

/** The `DurableExecutionArn` of a stored execution (validated on load, see `assertStoredExecutions`). */
export function arnOf(stored: StoredExecution): string {
  return stored.execution.DurableExecutionArn as string;
}
