import { defineTable } from './column.js';

/**
 * `events`: one row per history event, the audit record the other tables are derived from. The
 * common members of the `Event` shape are columns; the event's details member is kept whole as JSON
 * text (`details_json`), so no field of any event type is lost, including fields the API adds later.
 *
 * Evolution rule: columns are only ever appended at the end; never renamed, retyped or removed.
 */
export const eventsTable = defineTable({
  name: 'events',
  key: ['execution_arn', 'event_id'],
  description:
    'One row per history event (GetDurableExecutionHistory), every event type; the record the operations rows are folded from. History source only: an export with --source state has no events rows.',
  columns: [
    { name: 'execution_arn', type: 'string', required: true, description: 'ARN of the durable execution.' },
    { name: 'function_name', type: 'string', required: true, description: 'Name of the durable function.' },
    {
      name: 'event_id',
      type: 'bigint',
      required: false,
      description: 'EventId: the sequence number of the event within the execution.',
    },
    {
      name: 'event_type',
      type: 'string',
      required: false,
      description: 'EventType, e.g. StepFailed or InvocationCompleted; unknown types pass through as text.',
    },
    {
      name: 'event_timestamp',
      type: 'timestamp',
      required: false,
      description: 'EventTimestamp: when the event happened (UTC).',
    },
    {
      name: 'operation_id',
      type: 'string',
      required: false,
      description: 'Id of the operation the event belongs to (none on InvocationCompleted).',
    },
    {
      name: 'parent_id',
      type: 'string',
      required: false,
      description: 'Id of the enclosing CONTEXT operation.',
    },
    { name: 'name', type: 'string', required: false, description: 'Operation name given in code.' },
    {
      name: 'sub_type',
      type: 'string',
      required: false,
      description: 'SDK construct, e.g. Step, Map, WaitForCallback.',
    },
    {
      name: 'attempt',
      type: 'int',
      required: false,
      description: 'RetryDetails.CurrentAttempt of a StepSucceeded or StepFailed event.',
    },
    {
      name: 'next_attempt_delay_seconds',
      type: 'int',
      required: false,
      description: 'RetryDetails.NextAttemptDelaySeconds: set when the step will be attempted again.',
    },
    { name: 'error_type', type: 'string', required: false, description: 'Error.Payload.ErrorType.' },
    {
      name: 'error_message',
      type: 'string',
      required: false,
      description: 'Error.Payload.ErrorMessage.',
    },
    {
      name: 'error_data',
      type: 'string',
      required: false,
      description: 'Error.Payload.ErrorData.',
      statistics: false,
    },
    {
      name: 'error_stack_trace',
      type: 'string',
      required: false,
      description: 'Error.Payload.StackTrace as a JSON array of strings.',
      statistics: false,
    },
    {
      name: 'payload',
      type: 'string',
      required: false,
      description: 'Input.Payload or Result.Payload of the details, as history gives it.',
      statistics: false,
    },
    {
      name: 'payload_truncated',
      type: 'boolean',
      required: true,
      description: 'True when history marked the Input, Result or Error of this event Truncated.',
    },
    {
      name: 'details_json',
      type: 'string',
      required: false,
      description:
        "The event's details member (e.g. StepFailedDetails) as JSON text, every field; timestamps as ISO-8601 UTC strings with milliseconds.",
      statistics: false,
    },
  ],
});
