import type { ErrorObject, Event } from '@aws-sdk/client-lambda';

/**
 * What history says about an operation that the `Operation` shape of `GetDurableExecutionState` has
 * no member for (docs/DURABLE-API.md §1.6): the execution a chained invoke started, a callback's
 * timeouts, a wait's duration and the error of a cancelled wait. Values are kept as the events carry
 * them (the SDK validates nothing); the transform checks their types, naming the field.
 */
export interface OperationHistoryFacts {
  /** `ChainedInvokeStartedDetails.DurableExecutionArn`. */
  childExecutionArn?: unknown;
  /** `ChainedInvokeStartedDetails.FunctionName`. */
  childFunctionName?: unknown;
  /** `ChainedInvokeStartedDetails.ExecutedVersion`. */
  childVersion?: unknown;
  /** `ChainedInvokeStartedDetails.TenantId`. */
  tenantId?: unknown;
  /** `CallbackStartedDetails.Timeout`, seconds. */
  callbackTimeoutSeconds?: unknown;
  /** `CallbackStartedDetails.HeartbeatTimeout`, seconds. */
  callbackHeartbeatTimeoutSeconds?: unknown;
  /** `WaitStartedDetails.Duration`, seconds. */
  waitSeconds?: unknown;
  /** `WaitCancelledDetails.Error.Payload`: `WaitDetails` has no `Error` member. */
  waitError?: ErrorObject;
}

/** The facts of one operation, by operation Id. */
export type OperationFactsById = ReadonlyMap<string, OperationHistoryFacts>;

/** Loosely typed details (the SDK validates nothing). */
type Details = Record<string, unknown> | undefined;

function details(value: unknown): Details {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** Copies the members of `from` that are present (not undefined) into `facts`. */
function keep(facts: OperationHistoryFacts, from: OperationHistoryFacts): void {
  for (const [key, value] of Object.entries(from)) {
    if (value !== undefined) facts[key as keyof OperationHistoryFacts] = value as never;
  }
}

/**
 * Folds the facts one event carries into `facts`: the started events of chained invokes, callbacks
 * and waits, and a `WaitCancelled` error (the latest one wins, as outcomes do in the fold).
 */
export function applyHistoryFacts(facts: OperationHistoryFacts, event: Event): void {
  switch (event.EventType) {
    case 'ChainedInvokeStarted': {
      const d = details(event.ChainedInvokeStartedDetails);
      keep(facts, {
        childExecutionArn: d?.DurableExecutionArn,
        childFunctionName: d?.FunctionName,
        childVersion: d?.ExecutedVersion,
        tenantId: d?.TenantId,
      });
      break;
    }
    case 'CallbackStarted': {
      const d = details(event.CallbackStartedDetails);
      keep(facts, {
        callbackTimeoutSeconds: d?.Timeout,
        callbackHeartbeatTimeoutSeconds: d?.HeartbeatTimeout,
      });
      break;
    }
    case 'WaitStarted':
      keep(facts, { waitSeconds: details(event.WaitStartedDetails)?.Duration });
      break;
    case 'WaitCancelled': {
      const error = details(details(event.WaitCancelledDetails)?.Error)?.Payload;
      if (error === undefined) delete facts.waitError;
      else facts.waitError = error as ErrorObject;
      break;
    }
  }
}
