import type { ExecutionRow, Unstamped } from '../schema/index.js';
import type { ExportedExecution } from '../source/execution-source.js';
import { checkedInt32, checkedString } from './checked-value.js';
import { functionNameOf, versionOf } from './function-arn.js';
import { errorColumns } from './operation-row.js';

/**
 * The `executions` row of one exported execution. The version is the function ARN's qualifier, else
 * what `GetDurableExecution` reported (`Version`) for an unqualified ARN.
 */
export function executionToRow(exported: ExportedExecution): Unstamped<ExecutionRow> {
  const { summary, detail } = exported;
  const end = summary.endTimestamp ?? null;
  const field = (name: string) => `execution ${summary.arn}: ${name}`;
  const { error_type, error_message, error_data, error_stack_trace } = errorColumns(detail.error, field);
  return {
    execution_arn: summary.arn,
    function_name: functionNameOf(summary.functionArn),
    execution_name: summary.name,
    version: versionOf(summary.functionArn) ?? checkedString(detail.version, field, 'Version'),
    status: summary.status,
    start_timestamp: summary.startTimestamp,
    end_timestamp: end,
    duration_ms: end ? end.getTime() - summary.startTimestamp.getTime() : null,
    operation_count: exported.operations.length,
    invocation_count: exported.invocationCount,
    error_type,
    error_message,
    input_payload: detail.inputPayload ?? null,
    result: detail.result ?? null,
    function_arn: summary.functionArn,
    error_data,
    error_stack_trace,
    kms_key_arn: summary.kmsKeyArn ?? null,
    source: exported.source,
    execution_timeout_seconds: checkedInt32(detail.executionTimeoutSeconds, field, 'ExecutionTimeout'),
    retention_days: checkedInt32(detail.retentionDays, field, 'DurableConfig.RetentionPeriodInDays'),
    trace_id: checkedString(detail.traceId, field, 'TraceHeader.XAmznTraceId') || null,
    contexts_pruned: exported.contextsPruned ?? null,
  };
}
