import type { ErrorObject, Event } from '@aws-sdk/client-lambda';
import type { EventMapping } from './history-event-table.js';
import { detailsOf } from './operation-accumulator.js';

/** Execution-level facts, the `execution` member of `FoldedExecution`. */
export interface ExecutionFacts {
  inputPayload?: string;
  result?: string;
  error?: ErrorObject;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED: the vocabulary of GetDurableExecution. */
  status?: string;
  startTimestamp?: Date;
  endTimestamp?: Date;
  /** `ExecutionStartedDetails.ExecutionTimeout` as the event carries it (the transform checks it). */
  executionTimeoutSeconds?: unknown;
  payloadTruncated: boolean;
}

/**
 * Folds one Execution* event into the execution facts. These are read even from an event without
 * an Id, which yields no EXECUTION operation. The status uses the execution vocabulary: a started
 * execution is RUNNING here, while its EXECUTION operation is STARTED (the Operation status enum has
 * no RUNNING; AWS's emulators report STARTED for the EXECUTION operation of a running execution).
 * Keys are only set when there is a value.
 */
export function applyExecutionFacts(
  facts: ExecutionFacts,
  event: Event,
  mapping: EventMapping,
  truncated: boolean,
  warnings: string[],
): void {
  if (truncated) facts.payloadTruncated = true;
  const details = detailsOf(event, mapping.detailsKey);

  if (mapping.role === 'start') {
    if (facts.startTimestamp === undefined && event.EventTimestamp)
      facts.startTimestamp = event.EventTimestamp;
    if (facts.inputPayload === undefined && details?.Input?.Payload !== undefined) {
      facts.inputPayload = details.Input.Payload;
    }
    const timeout = event.ExecutionStartedDetails?.ExecutionTimeout;
    if (facts.executionTimeoutSeconds === undefined && timeout !== undefined && timeout !== null) {
      facts.executionTimeoutSeconds = timeout;
    }
    if (facts.status === undefined) facts.status = 'RUNNING';
    return;
  }

  // A terminal Execution* event. With an Id the operation fold reports a repeat; without one, do it here.
  if (facts.status !== undefined && facts.status !== 'RUNNING' && !event.Id) {
    warnings.push(`event ${event.EventId ?? '(no EventId)'} (${event.EventType}): duplicate terminal event`);
  }
  facts.status = mapping.status;
  if (event.EventTimestamp) facts.endTimestamp = event.EventTimestamp;
  delete facts.result;
  delete facts.error;
  if (details?.Result?.Payload !== undefined) facts.result = details.Result.Payload;
  if (details?.Error?.Payload !== undefined) facts.error = details.Error.Payload;
}
