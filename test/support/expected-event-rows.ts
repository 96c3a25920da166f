/**
 * The `events` and `invocations` rows a correct export must contain for recorded history events
 * (wire form: epoch-second timestamps), computed here independently of src/transform; and the way
 * back, from `events` rows read out of Parquet to `Event` objects a fold can take.
 */
import type { Event } from '@aws-sdk/client-lambda';
import { expectedOrigin } from './expected-rows.js';

type Wire = Record<string, unknown>;

const at = (v: unknown): Date | null => (typeof v === 'number' ? new Date(Math.round(v * 1000)) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const big = (v: unknown): bigint | null => (typeof v === 'number' ? BigInt(v) : null);
const trace = (v: unknown): string | null => (Array.isArray(v) ? JSON.stringify(v) : null);

/**
 * Members of a recorded event the exported record cannot hold, each with why:
 * - `ReplayChildren` in a context's details is the local service's extension (test/fixtures/README.md),
 *   stripped from history responses;
 * - `CallbackStartedDetails.Input` is a member the 3.1164 model lacks, which the LambdaClient drops
 *   (docs/DURABLE-API.md §5, item 4).
 */
export const NOT_IN_HISTORY: readonly (readonly [string, string])[] = [
  ['ContextSucceededDetails', 'ReplayChildren'],
  ['ContextFailedDetails', 'ReplayChildren'],
  ['CallbackStartedDetails', 'Input'],
];

/** The details member of a wire event, without the members history cannot carry. */
export function servedDetails(event: Wire): Wire | undefined {
  const key = `${String(event.EventType)}Details`;
  const details = event[key] as Wire | undefined;
  if (details === undefined) return undefined;
  const out = { ...details };
  for (const [holder, member] of NOT_IN_HISTORY) if (holder === key) delete out[member];
  return out;
}

/** Wire details with every `…Timestamp` member (epoch seconds) as the ISO-8601 text `details_json` holds. */
export function isoTimestamps(value: unknown, key = ''): unknown {
  if (key.endsWith('Timestamp') && typeof value === 'number') return at(value)?.toISOString();
  if (Array.isArray(value)) return value.map((v) => isoTimestamps(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isoTimestamps(v, k)]));
  }
  return value;
}

/** The `events` row of one wire event, `details_json` parsed (compare it parsed: member order is free). */
export function expectedEventRow(event: Wire, arn: string, functionName: string): Wire {
  const details = servedDetails(event);
  const input = details?.Input as Wire | undefined;
  const result = details?.Result as Wire | undefined;
  const errorWrapper = details?.Error as Wire | undefined;
  const error = errorWrapper?.Payload as Wire | undefined;
  const retry = details?.RetryDetails as Wire | undefined;
  return {
    execution_arn: arn,
    function_name: functionName,
    event_id: big(event.EventId),
    event_type: str(event.EventType),
    event_timestamp: at(event.EventTimestamp),
    operation_id: str(event.Id),
    parent_id: str(event.ParentId),
    name: str(event.Name),
    sub_type: str(event.SubType),
    attempt: int(retry?.CurrentAttempt),
    next_attempt_delay_seconds: int(retry?.NextAttemptDelaySeconds),
    error_type: str(error?.ErrorType),
    error_message: str(error?.ErrorMessage),
    error_data: str(error?.ErrorData),
    error_stack_trace: trace(error?.StackTrace),
    payload: str(input?.Payload) ?? str(result?.Payload),
    payload_truncated: [input, result, errorWrapper].some((part) => part?.Truncated === true),
    details_json: details === undefined ? null : isoTimestamps(details),
    ...expectedOrigin(arn),
  };
}

/** The `invocations` rows of one execution's wire events, numbered from 1 in EventId order. */
export function expectedInvocationRows(events: Wire[], arn: string, functionName: string): Wire[] {
  const completed = events
    .filter((e) => e.EventType === 'InvocationCompleted')
    .sort((a, b) => Number(a.EventId) - Number(b.EventId));
  return completed.map((event, i) => {
    const details = (event.InvocationCompletedDetails ?? {}) as Wire;
    const error = (details.Error as Wire | undefined)?.Payload as Wire | undefined;
    const start = at(details.StartTimestamp);
    const end = at(details.EndTimestamp);
    return {
      execution_arn: arn,
      function_name: functionName,
      invocation: i + 1,
      request_id: str(details.RequestId),
      start_timestamp: start,
      end_timestamp: end,
      duration_ms: start && end ? BigInt(end.getTime() - start.getTime()) : null,
      error_type: str(error?.ErrorType),
      error_message: str(error?.ErrorMessage),
      error_data: str(error?.ErrorData),
      error_stack_trace: trace(error?.StackTrace),
      event_id: big(event.EventId),
      ...expectedOrigin(arn),
    };
  });
}

/**
 * An `events` row read back from Parquet as the `Event` the SDK would have given: the common
 * members from their columns, the details member from `details_json` with each `…Timestamp` text
 * as a Date again.
 */
export function eventOfRow(row: Wire): Event {
  const event: Wire = {};
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined) event[key] = value;
  };
  set('EventType', row.event_type);
  set('EventId', row.event_id === null ? null : Number(row.event_id));
  set('EventTimestamp', row.event_timestamp);
  set('Id', row.operation_id);
  set('ParentId', row.parent_id);
  set('Name', row.name);
  set('SubType', row.sub_type);
  if (typeof row.details_json === 'string') {
    event[`${String(row.event_type)}Details`] = JSON.parse(row.details_json, (key, value) =>
      key.endsWith('Timestamp') && typeof value === 'string' ? new Date(value) : value,
    );
  }
  return event as Event;
}
