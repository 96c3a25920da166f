import type { ErrorObject, Event, EventError, EventResult, Operation } from '@aws-sdk/client-lambda';
import { TERMINAL_STATUSES } from './history-event-table.js';
import type { OperationHistoryFacts } from './operation-history-facts.js';

/** Everything the fold has learnt so far about one operation id. */
export interface OperationAccumulator {
  id: string;
  type?: string;
  typeIsRaw: boolean;
  status?: string;
  startTimestamp?: Date;
  endTimestamp?: Date;
  name?: string;
  parentId?: string;
  subType?: string;
  /** Events that moved the operation to a terminal status. */
  terminalEvents: number;
  result?: string;
  error?: ErrorObject;
  inputPayload?: string;
  callbackId?: string;
  scheduledEndTimestamp?: Date;
  replayChildren?: boolean;
  /** StepSucceeded and StepFailed events seen: one per checkpointed attempt. */
  checkpointedAttempts: number;
  lastCurrentAttempt?: number;
  nextAttemptTimestamp?: Date;
  /** What history says beyond the `Operation` shape. */
  facts: OperationHistoryFacts;
}

export function newAccumulator(id: string): OperationAccumulator {
  return { id, typeIsRaw: false, terminalEvents: 0, checkpointedAttempts: 0, facts: {} };
}

interface PayloadDetails {
  Input?: EventResult;
  Result?: EventResult;
  Error?: EventError;
  RetryDetails?: { CurrentAttempt?: unknown; NextAttemptDelaySeconds?: unknown };
  ReplayChildren?: unknown;
  ContextOptions?: { ReplayChildren?: unknown };
}

/** The details member of `event` named `key`, loosely typed (the SDK validates nothing). */
export function detailsOf(event: Event, key: keyof Event | undefined): PayloadDetails | undefined {
  const value = key ? event[key] : undefined;
  return value !== null && typeof value === 'object' && !(value instanceof Date)
    ? (value as PayloadDetails)
    : undefined;
}

function finiteNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Whether a StepFailed or StepSucceeded event schedules another attempt.
 *
 * The SDKs checkpoint a step attempt that will be retried with the RETRY action and
 * `StepOptions.NextAttemptDelaySeconds` (the JS SDK always sends it, at least 1 s), and a final
 * outcome with FAIL or SUCCEED and no StepOptions. The history event is StepFailed (RETRY with an
 * Error) or StepSucceeded (RETRY with a Payload: a `waitForCondition` poll), and the service copies
 * the delay into `RetryDetails.NextAttemptDelaySeconds`; a final outcome has no delay. So a present
 * delay means the step is PENDING, not FAILED or SUCCEEDED (AWS's own example histories: the last
 * StepFailed of an exhausted retry has no delay, every earlier one has one). AWS's archived Python
 * emulator writes `NextAttemptDelaySeconds: 0` on a final FAIL; such a history would read as PENDING.
 */
export function retryScheduled(event: Event): boolean {
  const details = event.StepFailedDetails ?? event.StepSucceededDetails;
  const delay = (details?.RetryDetails as PayloadDetails['RetryDetails'])?.NextAttemptDelaySeconds;
  return delay !== undefined && delay !== null;
}

/**
 * Applies a StepSucceeded/StepFailed event: attempt count, retry timestamp.
 *
 * `StepDetails.Attempt` in state counts the checkpointed attempts (the SDKs run attempt Attempt + 1;
 * AWS's emulators add 1 on RETRY, SUCCEED and FAIL), so two retried failures then a success give 3,
 * and a step PENDING after N failures shows N. `RetryDetails.CurrentAttempt` is not reliable for
 * that: AWS's JS emulator writes 1, 1, 2 for those three events, its Python emulator 1, 2, 3. So
 * Attempt = max(number of StepSucceeded/StepFailed events, last CurrentAttempt).
 * NextAttemptTimestamp = EventTimestamp + NextAttemptDelaySeconds of the last event with a delay; it
 * stays after the step completes, as in state.
 */
export function applyStepAttempt(
  acc: OperationAccumulator,
  event: Event,
  details: PayloadDetails | undefined,
) {
  acc.checkpointedAttempts += 1;
  const current = finiteNumber(details?.RetryDetails?.CurrentAttempt);
  if (current !== undefined) acc.lastCurrentAttempt = current;
  const delay = finiteNumber(details?.RetryDetails?.NextAttemptDelaySeconds);
  if (delay !== undefined && event.EventTimestamp instanceof Date) {
    acc.nextAttemptTimestamp = new Date(event.EventTimestamp.getTime() + delay * 1000);
  }
}

/** An outcome event (terminal, or a step retry) replaces Result and Error, as a checkpoint does in state. */
export function applyOutcome(acc: OperationAccumulator, details: PayloadDetails | undefined) {
  acc.result = details?.Result?.Payload;
  acc.error = details?.Error?.Payload;
  const replay = details?.ReplayChildren ?? details?.ContextOptions?.ReplayChildren;
  if (typeof replay === 'boolean') acc.replayChildren = replay;
}

/** True when any Input, Result or Error payload in the event's details says Truncated. */
export function hasTruncatedPayload(event: Event): boolean {
  // Keys, not entries: this runs for every event twice (fold and transform), and an entry is an allocation.
  for (const key of Object.keys(event)) {
    if (!key.endsWith('Details')) continue;
    const value: unknown = event[key as keyof Event];
    if (value === null || typeof value !== 'object') continue;
    const details = value as PayloadDetails;
    if (details.Input?.Truncated === true) return true;
    if (details.Result?.Truncated === true) return true;
    if (details.Error?.Truncated === true) return true;
  }
  return false;
}

/** Copies into a new object only the entries whose value is not undefined. */
function defined<T extends object>(entries: T): T {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as T;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

/** The details member for the operation's Type, with only the members that have values. */
function detailsMember(acc: OperationAccumulator): Partial<Operation> {
  const outcome = { Result: acc.result, Error: acc.error };
  switch (acc.type) {
    case 'EXECUTION':
      return { ExecutionDetails: nonEmpty(defined({ InputPayload: acc.inputPayload })) };
    case 'CONTEXT':
      return { ContextDetails: nonEmpty(defined({ ReplayChildren: acc.replayChildren, ...outcome })) };
    case 'STEP': {
      const attempt = Math.max(acc.checkpointedAttempts, acc.lastCurrentAttempt ?? 0);
      const step = {
        Attempt: attempt > 0 ? attempt : undefined,
        NextAttemptTimestamp: acc.nextAttemptTimestamp,
      };
      return { StepDetails: nonEmpty(defined({ ...step, ...outcome })) };
    }
    case 'WAIT':
      return { WaitDetails: nonEmpty(defined({ ScheduledEndTimestamp: acc.scheduledEndTimestamp })) };
    case 'CALLBACK':
      return { CallbackDetails: nonEmpty(defined({ CallbackId: acc.callbackId, ...outcome })) };
    case 'CHAINED_INVOKE':
      return { ChainedInvokeDetails: nonEmpty(defined(outcome)) };
    default:
      return {};
  }
}

/** The operation in the shape GetDurableExecutionState returns, without undefined keys. */
export function toOperation(acc: OperationAccumulator): Operation {
  const ended = acc.status !== undefined && TERMINAL_STATUSES.has(acc.status);
  return defined({
    Id: acc.id,
    ParentId: acc.parentId,
    Name: acc.name,
    Type: acc.type,
    SubType: acc.subType,
    StartTimestamp: acc.startTimestamp,
    EndTimestamp: ended ? acc.endTimestamp : undefined,
    Status: acc.status,
    ...detailsMember(acc),
  }) as Operation;
}
