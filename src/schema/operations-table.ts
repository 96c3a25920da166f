import { defineTable } from './column.js';

/**
 * `operations`: one row per checkpointed operation of a durable execution, every field of the
 * `Operation` shape that `GetDurableExecutionState` returns, flattened, plus derived columns.
 *
 * Evolution rule: columns are only ever appended at the end; never renamed, retyped or removed.
 */
export const operationsTable = defineTable({
  name: 'operations',
  description: 'One row per operation (step, wait, callback, context, chained invoke, execution).',
  key: ['execution_arn', 'operation_id'],
  columns: [
    { name: 'execution_arn', type: 'string', required: true, description: 'ARN of the durable execution.' },
    { name: 'function_name', type: 'string', required: true, description: 'Name of the durable function.' },
    {
      name: 'operation_id',
      type: 'string',
      required: true,
      description: 'Operation Id, unique within the execution.',
    },
    {
      name: 'parent_id',
      type: 'string',
      required: false,
      description: 'Id of the enclosing CONTEXT operation.',
    },
    { name: 'name', type: 'string', required: false, description: 'Operation name given in code.' },
    {
      name: 'type',
      type: 'string',
      required: true,
      description: 'EXECUTION, CONTEXT, STEP, WAIT, CALLBACK or CHAINED_INVOKE.',
    },
    {
      name: 'sub_type',
      type: 'string',
      required: false,
      description: 'SDK construct, e.g. Step, Map, WaitForCallback.',
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      description: 'Latest status, e.g. SUCCEEDED or FAILED.',
    },
    {
      name: 'start_timestamp',
      type: 'timestamp',
      required: true,
      description: 'When the operation started (UTC).',
    },
    {
      name: 'end_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When the operation ended (UTC).',
    },
    {
      name: 'duration_ms',
      type: 'bigint',
      required: false,
      description: 'end_timestamp minus start_timestamp in milliseconds.',
    },
    { name: 'depth', type: 'int', required: true, description: 'Nesting depth: 0 at top level.' },
    {
      name: 'is_error',
      type: 'boolean',
      required: true,
      description: 'True when the status is FAILED, TIMED_OUT, CANCELLED or STOPPED.',
    },
    {
      name: 'attempt',
      type: 'int',
      required: false,
      description: 'Step attempt number (StepDetails.Attempt).',
    },
    {
      name: 'next_attempt_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When the next step attempt is scheduled.',
    },
    {
      name: 'scheduled_end_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When a WAIT is scheduled to end.',
    },
    {
      name: 'callback_id',
      type: 'string',
      required: false,
      description: 'Callback Id of a CALLBACK operation.',
    },
    {
      name: 'replay_children',
      type: 'boolean',
      required: false,
      description: 'ContextDetails.ReplayChildren of a CONTEXT operation.',
    },
    {
      name: 'input_payload',
      type: 'string',
      required: false,
      description: 'Execution input payload (EXECUTION).',
      statistics: false,
    },
    {
      name: 'result',
      type: 'string',
      required: false,
      description: 'Serialized result from the details object.',
      statistics: false,
    },
    {
      name: 'error_type',
      type: 'string',
      required: false,
      description: 'ErrorObject.ErrorType; of a cancelled WAIT, WaitCancelledDetails.Error (history only).',
    },
    { name: 'error_message', type: 'string', required: false, description: 'ErrorObject.ErrorMessage.' },
    {
      name: 'error_data',
      type: 'string',
      required: false,
      description: 'ErrorObject.ErrorData.',
      statistics: false,
    },
    {
      name: 'error_stack_trace',
      type: 'string',
      required: false,
      description: 'ErrorObject.StackTrace as a JSON array of strings.',
      statistics: false,
    },
    {
      name: 'payload_truncated',
      type: 'boolean',
      required: true,
      description:
        'True when a payload of this row is cut short: history marked it Truncated and no API returns it whole.',
    },
    {
      name: 'source',
      type: 'string',
      required: true,
      description: 'Which API produced the row: history or state.',
    },
    {
      name: 'child_execution_arn',
      type: 'string',
      required: false,
      description:
        'CHAINED_INVOKE: the durable execution it started (ChainedInvokeStartedDetails.DurableExecutionArn); history only.',
    },
    {
      name: 'child_function_name',
      type: 'string',
      required: false,
      description:
        'CHAINED_INVOKE: the function name or ARN it invoked (ChainedInvokeStartedDetails.FunctionName); history only.',
    },
    {
      name: 'child_version',
      type: 'string',
      required: false,
      description:
        'CHAINED_INVOKE: the version of the invoked function that ran (ChainedInvokeStartedDetails.ExecutedVersion); history only.',
    },
    {
      name: 'tenant_id',
      type: 'string',
      required: false,
      description:
        'CHAINED_INVOKE: the tenant of the invocation (ChainedInvokeStartedDetails.TenantId); history only.',
    },
    {
      name: 'callback_timeout_seconds',
      type: 'int',
      required: false,
      description: 'CALLBACK: its timeout in seconds (CallbackStartedDetails.Timeout); history only.',
    },
    {
      name: 'callback_heartbeat_timeout_seconds',
      type: 'int',
      required: false,
      description:
        'CALLBACK: its heartbeat timeout in seconds (CallbackStartedDetails.HeartbeatTimeout); history only.',
    },
    {
      name: 'wait_seconds',
      type: 'int',
      required: false,
      description: 'WAIT: the duration it waits in seconds (WaitStartedDetails.Duration); history only.',
    },
  ],
});
