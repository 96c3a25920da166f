import type { ErrorObject, ModelOperation } from './model.js';
import { seconds } from './model.js';

/** The details member each operation type carries. */
const DETAILS_MEMBER = {
  EXECUTION: 'ExecutionDetails',
  CONTEXT: 'ContextDetails',
  STEP: 'StepDetails',
  WAIT: 'WaitDetails',
  CALLBACK: 'CallbackDetails',
  CHAINED_INVOKE: 'ChainedInvokeDetails',
} as const;

function details(op: ModelOperation): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  const put = (key: string, value: unknown): void => {
    if (value !== undefined) d[key] = value;
  };
  switch (op.type) {
    case 'EXECUTION':
      put('InputPayload', op.inputPayload);
      break;
    case 'CONTEXT':
      if (op.replayChildren) d.ReplayChildren = true;
      break;
    case 'STEP':
      put('Attempt', op.attempt);
      put('NextAttemptTimestamp', op.nextAttemptMs === undefined ? undefined : seconds(op.nextAttemptMs));
      break;
    case 'WAIT':
      put('ScheduledEndTimestamp', op.scheduledEndMs === undefined ? undefined : seconds(op.scheduledEndMs));
      break;
    case 'CALLBACK':
      put('CallbackId', op.callbackId);
      break;
    case 'CHAINED_INVOKE':
      break;
  }
  if (op.type !== 'EXECUTION' && op.type !== 'WAIT') {
    put('Result', op.result);
    put('Error', op.error);
  }
  return d;
}

/**
 * One wire `Operation` (epoch seconds) per model operation, in start order: what
 * GetDurableExecutionState would return without pruning.
 */
export function expectedOperations(operations: readonly ModelOperation[]): Record<string, unknown>[] {
  return operations.map((op) => {
    const out: Record<string, unknown> = { Id: op.id };
    if (op.parentId !== undefined) out.ParentId = op.parentId;
    if (op.name !== undefined) out.Name = op.name;
    out.Type = op.type;
    if (op.subType !== undefined) out.SubType = op.subType;
    out.Status = op.status;
    out.StartTimestamp = seconds(op.startMs);
    if (op.endMs !== undefined) out.EndTimestamp = seconds(op.endMs);
    out[DETAILS_MEMBER[op.type]] = details(op);
    return out;
  });
}

/**
 * What only history tells about an operation (no `Operation` member carries it), as the history
 * source's columns hold it; `waitError` is the error of a cancelled WAIT, which its error columns hold.
 */
export interface HistoryColumns {
  child_execution_arn: string | null;
  child_function_name: string | null;
  child_version: string | null;
  tenant_id: string | null;
  callback_timeout_seconds: number | null;
  callback_heartbeat_timeout_seconds: number | null;
  wait_seconds: number | null;
  waitError: ErrorObject | null;
}

/** The history-only columns of every model operation, by Id. */
export function expectedHistoryColumns(
  operations: readonly ModelOperation[],
): Record<string, HistoryColumns> {
  return Object.fromEntries(
    operations.map((op) => [
      op.id,
      {
        child_execution_arn: op.childExecutionArn ?? null,
        child_function_name: op.childFunctionName ?? null,
        child_version: op.childVersion ?? null,
        tenant_id: op.tenantId ?? null,
        callback_timeout_seconds: op.callbackTimeoutSeconds ?? null,
        callback_heartbeat_timeout_seconds: op.callbackHeartbeatTimeoutSeconds ?? null,
        wait_seconds: op.waitSeconds ?? null,
        waitError: op.type === 'WAIT' ? (op.error ?? null) : null,
      },
    ]),
  );
}
