import type { Event } from '@aws-sdk/client-lambda';
import type {
  EventRow as LakeEventRow,
  InvocationRow as LakeInvocationRow,
  Unstamped,
} from '../schema/index.js';

type EventRow = Unstamped<LakeEventRow>;
type InvocationRow = Unstamped<LakeInvocationRow>;

import { detailsKeyOf, INVOCATION_COMPLETED } from '../source/history-event-table.js';
import { detailsOf, hasTruncatedPayload } from '../source/operation-accumulator.js';
import { checkedDate, checkedInt, checkedInt32, checkedString } from './checked-value.js';
import { errorColumns } from './operation-row.js';

export interface EventRowContext {
  executionArn: string;
  functionName: string;
}

const where = (event: Event, ctx: EventRowContext) => (name: string) =>
  `event ${event.EventId ?? '?'} (${event.EventType ?? 'no EventType'}) of ${ctx.executionArn}: ${name}`;

/**
 * One history event as one `events` row: the members every event has, the payload, error and retry
 * members of its details (whichever type it is: `detailsKeyOf` names the member), and the whole
 * details member as JSON text. `JSON.stringify` writes each `Date` the SDK parsed as an ISO-8601 UTC
 * string with milliseconds. A value of the wrong type is an error naming the event and the field.
 */
export function eventToRow(event: Event, ctx: EventRowContext): EventRow {
  const field = where(event, ctx);
  const key = detailsKeyOf(event);
  const raw: unknown = key ? event[key] : undefined;
  const details = detailsOf(event, key);
  const detailsField = (name: string) => field(`${String(key)}.${name}`);
  const retry = details?.RetryDetails;
  return {
    execution_arn: ctx.executionArn,
    function_name: ctx.functionName,
    event_id: checkedInt(event.EventId, field, 'EventId'),
    event_type: checkedString(event.EventType, field, 'EventType'),
    event_timestamp: checkedDate(event.EventTimestamp, field, 'EventTimestamp'),
    operation_id: checkedString(event.Id, field, 'Id'),
    parent_id: checkedString(event.ParentId, field, 'ParentId'),
    name: checkedString(event.Name, field, 'Name'),
    sub_type: checkedString(event.SubType, field, 'SubType'),
    attempt: checkedInt32(retry?.CurrentAttempt, detailsField, 'RetryDetails.CurrentAttempt'),
    next_attempt_delay_seconds: checkedInt32(
      retry?.NextAttemptDelaySeconds,
      detailsField,
      'RetryDetails.NextAttemptDelaySeconds',
    ),
    ...errorColumns(details?.Error?.Payload, detailsField),
    payload: checkedString(
      details?.Input?.Payload ?? details?.Result?.Payload,
      detailsField,
      details?.Input ? 'Input.Payload' : 'Result.Payload',
    ),
    payload_truncated: hasTruncatedPayload(event),
    details_json: raw === undefined || raw === null ? null : JSON.stringify(raw),
  };
}

/**
 * The `invocations` rows of an execution: one per `InvocationCompleted` event of `events` (already
 * in EventId order, as the source gives them), numbered from 1 in that order.
 */
export function invocationRows(events: readonly Event[], ctx: EventRowContext): InvocationRow[] {
  const rows: InvocationRow[] = [];
  for (const event of events) {
    if (event.EventType !== INVOCATION_COMPLETED) continue;
    const field = where(event, ctx);
    const details = event.InvocationCompletedDetails;
    const start = checkedDate(details?.StartTimestamp, field, 'StartTimestamp');
    const end = checkedDate(details?.EndTimestamp, field, 'EndTimestamp');
    rows.push({
      execution_arn: ctx.executionArn,
      function_name: ctx.functionName,
      invocation: rows.length + 1,
      request_id: checkedString(details?.RequestId, field, 'RequestId'),
      start_timestamp: start,
      end_timestamp: end,
      duration_ms: start && end ? end.getTime() - start.getTime() : null,
      ...errorColumns(details?.Error?.Payload, field),
      event_id: checkedInt(event.EventId, field, 'EventId'),
    });
  }
  return rows;
}
