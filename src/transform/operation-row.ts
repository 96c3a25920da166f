import type { ErrorObject, Operation } from '@aws-sdk/client-lambda';
import { ExportError } from '../errors.js';
import type { OperationRow, Unstamped } from '../schema/index.js';
import type { SourceName } from '../source/execution-source.js';
import type { OperationHistoryFacts } from '../source/operation-history-facts.js';
import { checkedBoolean, checkedDate, checkedInt32, checkedString, type FieldOf } from './checked-value.js';

const ERROR_STATUSES = new Set(['FAILED', 'TIMED_OUT', 'CANCELLED', 'STOPPED']);

export interface OperationRowContext {
  executionArn: string;
  functionName: string;
  source: SourceName;
  depth: number;
  payloadTruncated: boolean;
  /** History source: what history says beyond the `Operation` shape; absent from the state source. */
  history?: OperationHistoryFacts;
}

/**
 * One operation as one flat row: every field of the `Operation` shape, details and error
 * flattened, plus derived columns. Unknown Type, Status and SubType values pass through as text;
 * a missing required field or a value of the wrong type is an error naming the operation.
 */
export function operationToRow(op: Operation, ctx: OperationRowContext): Unstamped<OperationRow> {
  const where = { stage: 'transform' as const, executionArn: ctx.executionArn };
  const field = (name: string) => `operation ${op.Id ?? '?'} of ${ctx.executionArn}: ${name}`;
  const id = checkedString(op.Id, field, 'Id');
  const type = checkedString(op.Type, field, 'Type');
  const status = checkedString(op.Status, field, 'Status');
  const start = checkedDate(op.StartTimestamp, field, 'StartTimestamp');
  if (id === null || type === null || status === null || start === null) {
    const missing = [
      id === null && 'Id',
      type === null && 'Type',
      status === null && 'Status',
      start === null && 'StartTimestamp',
    ]
      .filter(Boolean)
      .join(', ');
    throw new ExportError(
      `operation ${op.Id ?? '(no Id)'} of ${ctx.executionArn} lacks required ${missing}`,
      where,
    );
  }
  const end = checkedDate(op.EndTimestamp, field, 'EndTimestamp');
  const step = op.StepDetails;
  const carrier = op.StepDetails ?? op.ContextDetails ?? op.CallbackDetails ?? op.ChainedInvokeDetails;
  // A WAIT has no Error member; history keeps the error of a cancelled one.
  const error: ErrorObject | undefined = carrier?.Error ?? ctx.history?.waitError;
  return {
    execution_arn: ctx.executionArn,
    function_name: ctx.functionName,
    operation_id: id,
    parent_id: checkedString(op.ParentId, field, 'ParentId'),
    name: checkedString(op.Name, field, 'Name'),
    type,
    sub_type: checkedString(op.SubType, field, 'SubType'),
    status,
    start_timestamp: start,
    end_timestamp: end,
    duration_ms: end ? end.getTime() - start.getTime() : null,
    depth: ctx.depth,
    is_error: ERROR_STATUSES.has(status),
    attempt: checkedInt32(step?.Attempt, field, 'StepDetails.Attempt'),
    next_attempt_timestamp: checkedDate(
      step?.NextAttemptTimestamp,
      field,
      'StepDetails.NextAttemptTimestamp',
    ),
    scheduled_end_timestamp: checkedDate(
      op.WaitDetails?.ScheduledEndTimestamp,
      field,
      'WaitDetails.ScheduledEndTimestamp',
    ),
    callback_id: checkedString(op.CallbackDetails?.CallbackId, field, 'CallbackDetails.CallbackId'),
    replay_children: checkedBoolean(
      op.ContextDetails?.ReplayChildren,
      field,
      'ContextDetails.ReplayChildren',
    ),
    input_payload: checkedString(op.ExecutionDetails?.InputPayload, field, 'ExecutionDetails.InputPayload'),
    result: checkedString(carrier?.Result, field, 'Result'),
    ...errorColumns(error, field),
    payload_truncated: ctx.payloadTruncated,
    source: ctx.source,
    ...historyColumns(ctx.history ?? {}, field),
  };
}

/** A name, ARN or version: AWS's emulator writes empty strings where it has none, read as NULL. */
function checkedName(value: unknown, fieldOf: FieldOf, name: string): string | null {
  return checkedString(value, fieldOf, name) || null;
}

/** The columns only history fills (docs/DURABLE-API.md §1.6); NULL from the state source. */
function historyColumns(history: OperationHistoryFacts, field: FieldOf) {
  const invoke = (name: string) => field(`ChainedInvokeStartedDetails.${name}`);
  return {
    child_execution_arn: checkedName(history.childExecutionArn, invoke, 'DurableExecutionArn'),
    child_function_name: checkedName(history.childFunctionName, invoke, 'FunctionName'),
    child_version: checkedName(history.childVersion, invoke, 'ExecutedVersion'),
    tenant_id: checkedName(history.tenantId, invoke, 'TenantId'),
    callback_timeout_seconds: checkedInt32(
      history.callbackTimeoutSeconds,
      field,
      'CallbackStartedDetails.Timeout',
    ),
    callback_heartbeat_timeout_seconds: checkedInt32(
      history.callbackHeartbeatTimeoutSeconds,
      field,
      'CallbackStartedDetails.HeartbeatTimeout',
    ),
    wait_seconds: checkedInt32(history.waitSeconds, field, 'WaitStartedDetails.Duration'),
  };
}

/** The four error columns from an `ErrorObject`; the stack trace as a JSON array of strings. */
export function errorColumns(
  error: ErrorObject | undefined,
  field: FieldOf,
): Pick<OperationRow, 'error_type' | 'error_message' | 'error_data' | 'error_stack_trace'> {
  const trace = error?.StackTrace;
  if (trace !== undefined && (!Array.isArray(trace) || trace.some((line) => typeof line !== 'string'))) {
    throw new ExportError(`${field('Error.StackTrace')} is not an array of strings`, { stage: 'transform' });
  }
  return {
    error_type: checkedString(error?.ErrorType, field, 'Error.ErrorType'),
    error_message: checkedString(error?.ErrorMessage, field, 'Error.ErrorMessage'),
    error_data: checkedString(error?.ErrorData, field, 'Error.ErrorData'),
    error_stack_trace: trace === undefined ? null : JSON.stringify(trace),
  };
}
