import type { Event, Operation } from '@aws-sdk/client-lambda';
import { applyExecutionFacts, type ExecutionFacts } from './execution-facts.js';
import {
  EVENT_TABLE,
  type EventMapping,
  INVOCATION_COMPLETED,
  TERMINAL_STATUSES,
  unknownMapping,
} from './history-event-table.js';
import {
  applyOutcome,
  applyStepAttempt,
  detailsOf,
  hasTruncatedPayload,
  newAccumulator,
  type OperationAccumulator,
  retryScheduled,
  toOperation,
} from './operation-accumulator.js';
import { applyHistoryFacts, type OperationHistoryFacts } from './operation-history-facts.js';
import { orderEvents } from './order-events.js';

export interface FoldedExecution {
  /** Operations in the exact shape GetDurableExecutionState returns, ordered by the EventId of each operation's first event. */
  operations: Operation[];
  /** Operation ids for which any event payload (Input, Result, Error) had Truncated: true. */
  truncatedOperationIds: Set<string>;
  /** What history says about operations beyond the `Operation` shape, by Id (only operations with any). */
  operationFacts: Map<string, OperationHistoryFacts>;
  /** Count of InvocationCompleted events. */
  invocationCount: number;
  /** Execution-level facts from the Execution* events. */
  execution: ExecutionFacts;
  /**
   * The events folded, in EventId order without repeats (`orderEvents`): the record the `events` and
   * `invocations` tables are made from. The same objects as given, not copies.
   */
  events: Event[];
  /** Human-readable notes about events that could not be folded cleanly (unknown EventType, event without Id, duplicate terminal events...). Never throws for those. */
  warnings: string[];
}

/** `event 7 (StepFailed, id c4ca…)`, for warnings. */
export function describeEvent(event: Event): string {
  const id = event.Id ? `, id ${event.Id}` : '';
  return `event ${event.EventId ?? '(no EventId)'} (${event.EventType ?? 'no EventType'}${id})`;
}

/**
 * Folds GetDurableExecutionHistory events into the operations GetDurableExecutionState would return.
 *
 * Per operation id: the last event sets Status; the first event with a timestamp sets StartTimestamp;
 * the first event that has them sets ParentId, Name and SubType; the last terminal event sets
 * EndTimestamp (kept only while the status is terminal); details come from the events that carry
 * them. Events are first put in EventId order. Malformed input yields warnings, never an exception.
 */
export function foldHistory(events: readonly Event[]): FoldedExecution {
  const warnings: string[] = [];
  const ops = new Map<string, OperationAccumulator>();
  const truncatedOperationIds = new Set<string>();
  const execution: ExecutionFacts = { payloadTruncated: false };
  let invocationCount = 0;
  const ordered = orderEvents(events, warnings);

  for (const event of ordered) {
    const eventType = event.EventType;
    if (eventType === INVOCATION_COMPLETED) {
      invocationCount += 1;
      continue;
    }
    const truncated = hasTruncatedPayload(event);
    const known = eventType ? EVENT_TABLE.get(eventType) : undefined;
    if (known?.type === 'EXECUTION') applyExecutionFacts(execution, event, known, truncated, warnings);

    if (!known) warnings.push(`${describeEvent(event)}: unknown EventType${event.Id ? '' : ', dropped'}`);
    if (!event.Id) {
      if (known) warnings.push(`${describeEvent(event)}: event without Id, dropped`);
      continue;
    }
    let acc = ops.get(event.Id);
    if (!acc) {
      acc = newAccumulator(event.Id);
      ops.set(event.Id, acc);
    }
    if (truncated) truncatedOperationIds.add(event.Id);
    const mapping = known ?? unknownMapping(eventType ?? 'UNKNOWN', acc.status);
    foldEvent(acc, event, mapping, warnings);
  }

  const operations: Operation[] = [];
  const operationFacts = new Map<string, OperationHistoryFacts>();
  for (const acc of ops.values()) {
    if (!acc.startTimestamp) warnings.push(`operation ${acc.id}: no event has an EventTimestamp`);
    operations.push(toOperation(acc));
    if (Object.keys(acc.facts).length > 0) operationFacts.set(acc.id, acc.facts);
  }
  return {
    operations,
    truncatedOperationIds,
    operationFacts,
    invocationCount,
    execution,
    events: ordered,
    warnings,
  };
}

function foldEvent(acc: OperationAccumulator, event: Event, base: EventMapping, warnings: string[]) {
  const retry = base.known && base.type === 'STEP' && retryScheduled(event);
  const mapping: EventMapping = retry ? { ...base, status: 'PENDING', role: 'other' } : base;

  foldIdentity(acc, event, mapping, warnings);

  const wasTerminal = acc.status !== undefined && TERMINAL_STATUSES.has(acc.status);
  if (mapping.role === 'end') {
    if (acc.terminalEvents > 0) warnings.push(`${describeEvent(event)}: duplicate terminal event`);
    acc.terminalEvents += 1;
    if (event.EventTimestamp) acc.endTimestamp = event.EventTimestamp;
  } else if (wasTerminal) {
    warnings.push(`${describeEvent(event)}: event after the operation's terminal event`);
  }
  acc.status = mapping.status;

  if (!mapping.known) return;
  applyHistoryFacts(acc.facts, event);
  const details = detailsOf(event, mapping.detailsKey);
  switch (event.EventType) {
    case 'ExecutionStarted':
      acc.inputPayload = details?.Input?.Payload ?? acc.inputPayload;
      break;
    case 'WaitStarted':
      acc.scheduledEndTimestamp =
        event.WaitStartedDetails?.ScheduledEndTimestamp ?? acc.scheduledEndTimestamp;
      break;
    case 'CallbackStarted':
      acc.callbackId = event.CallbackStartedDetails?.CallbackId ?? acc.callbackId;
      break;
    case 'StepSucceeded':
    case 'StepFailed':
      applyStepAttempt(acc, event, details);
      applyOutcome(acc, details);
      break;
    default:
      if (mapping.role === 'end') applyOutcome(acc, details);
  }
}

function foldIdentity(acc: OperationAccumulator, event: Event, mapping: EventMapping, warnings: string[]) {
  if (!acc.startTimestamp && event.EventTimestamp) acc.startTimestamp = event.EventTimestamp;
  if (acc.parentId === undefined && event.ParentId) acc.parentId = event.ParentId;
  if (acc.name === undefined && event.Name) acc.name = event.Name;
  if (acc.subType === undefined && event.SubType) acc.subType = event.SubType;

  if (acc.type === undefined || (acc.typeIsRaw && !mapping.typeIsRaw)) {
    acc.type = mapping.type;
    acc.typeIsRaw = mapping.typeIsRaw;
  } else if (!mapping.typeIsRaw && mapping.type !== acc.type) {
    warnings.push(
      `${describeEvent(event)}: Type ${mapping.type} conflicts with ${acc.type}, kept ${acc.type}`,
    );
  }
}
