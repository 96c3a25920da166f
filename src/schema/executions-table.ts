import { defineTable } from './column.js';

/**
 * `executions`: one row per durable execution.
 *
 * Evolution rule: columns are only ever appended at the end; never renamed, retyped or removed.
 */
export const executionsTable = defineTable({
  name: 'executions',
  description: 'One row per durable execution.',
  key: ['execution_arn'],
  columns: [
    { name: 'execution_arn', type: 'string', required: true, description: 'ARN of the durable execution.' },
    { name: 'function_name', type: 'string', required: true, description: 'Name of the durable function.' },
    { name: 'execution_name', type: 'string', required: true, description: 'DurableExecutionName.' },
    {
      name: 'version',
      type: 'string',
      required: false,
      description:
        'Function version or alias qualifier the execution ran on: the qualifier of the function ARN, else the Version GetDurableExecution reports.',
    },
    {
      name: 'status',
      type: 'string',
      required: true,
      description: 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or STOPPED.',
    },
    {
      name: 'start_timestamp',
      type: 'timestamp',
      required: true,
      description: 'When the execution started (UTC).',
    },
    {
      name: 'end_timestamp',
      type: 'timestamp',
      required: false,
      description: 'When the execution ended (UTC).',
    },
    {
      name: 'duration_ms',
      type: 'bigint',
      required: false,
      description: 'Execution wall time in milliseconds.',
    },
    {
      name: 'operation_count',
      type: 'bigint',
      required: true,
      description: 'Number of operations exported.',
    },
    {
      name: 'invocation_count',
      type: 'bigint',
      required: false,
      description:
        'Number of Lambda invocations (InvocationCompleted events); NULL from the state source, which cannot know it.',
    },
    { name: 'error_type', type: 'string', required: false, description: 'Execution error type.' },
    { name: 'error_message', type: 'string', required: false, description: 'Execution error message.' },
    {
      name: 'input_payload',
      type: 'string',
      required: false,
      description: 'Execution input payload.',
      statistics: false,
    },
    {
      name: 'result',
      type: 'string',
      required: false,
      description: 'Execution result payload.',
      statistics: false,
    },
    { name: 'function_arn', type: 'string', required: true, description: 'Qualified function ARN.' },
    {
      name: 'error_data',
      type: 'string',
      required: false,
      description: 'Execution error data.',
      statistics: false,
    },
    {
      name: 'error_stack_trace',
      type: 'string',
      required: false,
      description: 'Execution error stack trace as a JSON array of strings.',
      statistics: false,
    },
    {
      name: 'kms_key_arn',
      type: 'string',
      required: false,
      description: 'KMS key protecting the execution data, if any.',
    },
    {
      name: 'source',
      type: 'string',
      required: true,
      description: 'Which API produced the row: history or state.',
    },
    {
      name: 'execution_timeout_seconds',
      type: 'int',
      required: false,
      description:
        'Execution timeout in seconds: ExecutionStartedDetails.ExecutionTimeout, else DurableConfig.ExecutionTimeout.',
    },
    {
      name: 'retention_days',
      type: 'int',
      required: false,
      description:
        'DurableConfig.RetentionPeriodInDays; from the history source only when GetDurableExecution was read.',
    },
    {
      name: 'trace_id',
      type: 'string',
      required: false,
      description:
        'X-Ray trace header (TraceHeader.XAmznTraceId); from the history source only when GetDurableExecution was read.',
    },
    {
      name: 'contexts_pruned',
      type: 'bigint',
      required: false,
      description:
        'State source: completed contexts whose children the replay view may have withheld (0 = complete); NULL from the history source, which sees the full tree.',
    },
  ],
});
