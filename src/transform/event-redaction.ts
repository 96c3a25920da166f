import type { EventRow as LakeEventRow, Unstamped } from '../schema/index.js';

type EventRow = Unstamped<LakeEventRow>;

import type { Redaction } from './redaction.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * An `events` row with the redaction rules applied to every copy of a payload it holds, so that
 * `details_json` cannot give back what a column rule hides:
 *
 * - `error_message`, `error_data`, `error_stack_trace`: by column name, as in every table;
 * - `payload`: the `input_payload` rule when the event's payload is an `Input`, else the `result` rule;
 * - `details_json`: `Input.Payload`, `Result.Payload` and `Error.Payload`'s `ErrorMessage` and
 *   `ErrorData` by the same rules; `Error.Payload.StackTrace` by the `error_stack_trace` rule applied
 *   to its JSON text, as the column holds it: the member is then that text (a string, or removed
 *   for `drop`), equal to the column.
 */
export function redactedEventRow(row: EventRow, redaction: Redaction): EventRow {
  const out = redaction.apply(row);
  if (row.details_json === null) return out;
  const details: unknown = JSON.parse(row.details_json);
  if (!isObject(details)) return out;
  const input = isObject(details.Input) && typeof details.Input.Payload === 'string';
  if (row.payload !== null) out.payload = redaction.value(input ? 'input_payload' : 'result', row.payload);
  redactMember(details.Input, 'Payload', (v) => redaction.value('input_payload', v));
  redactMember(details.Result, 'Payload', (v) => redaction.value('result', v));
  const error = isObject(details.Error) ? details.Error.Payload : undefined;
  redactMember(error, 'ErrorMessage', (v) => redaction.value('error_message', v));
  redactMember(error, 'ErrorData', (v) => redaction.value('error_data', v));
  if (isObject(error) && error.StackTrace !== undefined) {
    const trace = redaction.value('error_stack_trace', JSON.stringify(error.StackTrace));
    if (trace === null) delete error.StackTrace;
    else if (trace !== JSON.stringify(error.StackTrace)) error.StackTrace = trace;
  }
  out.details_json = JSON.stringify(details);
  return out;
}

/** Replaces the string member `key` of `holder` (when both exist) by `rule` of it; NULL drops it. */
function redactMember(holder: unknown, key: string, rule: (value: string) => string | null): void {
  if (!isObject(holder) || typeof holder[key] !== 'string') return;
  const value = rule(holder[key]);
  if (value === null) delete holder[key];
  else holder[key] = value;
}
