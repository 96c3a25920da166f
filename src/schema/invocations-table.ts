import { defineTable } from './column.js';

/**
 * `invocations`: one row per Lambda invocation of a durable execution (history's
 * `InvocationCompleted` events): what a user is billed for, and where cold starts show.
 *
 * Evolution rule: columns are only ever appended at the end; never renamed, retyped or removed.
 */
export const invocationsTable = defineTable({
  name: 'invocations',
  key: ['execution_arn', 'event_id'],
  description:
    'One row per Lambda invocation of an execution (InvocationCompleted events). History source only: an export with --source state has no invocations rows.',
  columns: [
    { name: 'execution_arn', type: 'string', required: true, description: 'ARN of the durable execution.' },
    { name: 'function_name', type: 'string', required: true, description: 'Name of the durable function.' },
    {
      name: 'invocation',
      type: 'int',
      required: true,
      description: 'Ordinal of the invocation within the execution: 1 for the first, in EventId order.',
    },
    { name: 'request_id', type: 'string', required: false, description: 'Lambda request id (RequestId).' },
    {
      name: 'start_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When the invocation started (UTC).',
    },
    {
      name: 'end_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When the invocation ended (UTC).',
    },
    {
      name: 'duration_ms',
      type: 'bigint',
      required: false,
      description: 'end_timestamp minus start_timestamp in milliseconds.',
    },
    {
      name: 'error_type',
      type: 'string',
      required: false,
      description: 'Error.Payload.ErrorType when the invocation ended in an error.',
    },
    { name: 'error_message', type: 'string', required: false, description: 'Error.Payload.ErrorMessage.' },
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
      name: 'event_id',
      type: 'bigint',
      required: false,
      description: 'EventId of the InvocationCompleted event (joins the events table).',
    },
  ],
});
