/**
 * The rows a correct export must contain, computed in the test from the generator's ground truth
 * (wire-form operations, epoch seconds), independently of src/transform and src/source.
 */
import type { HistoryColumns } from '../../src/local/synthetic/expected-operations.js';

type Wire = Record<string, unknown>;

const ERROR_STATUSES = ['FAILED', 'TIMED_OUT', 'CANCELLED', 'STOPPED'];

const at = (v: unknown): Date | null => (typeof v === 'number' ? new Date(Math.round(v * 1000)) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const NO_HISTORY_COLUMNS: HistoryColumns = {
  child_execution_arn: null,
  child_function_name: null,
  child_version: null,
  tenant_id: null,
  callback_timeout_seconds: null,
  callback_heartbeat_timeout_seconds: null,
  wait_seconds: null,
  waitError: null,
};

/**
 * The history-only columns of operation `id`, read from its raw wire events: the started event of a
 * chained invoke, callback or wait, and a WaitCancelled error. An empty string (AWS's emulator writes
 * them for a chained invoke) is no value.
 */
export function historyColumnsOf(events: Wire[], id: string): HistoryColumns {
  const detailsOf = (type: string) =>
    (events.findLast((e) => e.Id === id && e.EventType === type)?.[`${type}Details`] ?? {}) as Wire;
  const invoke = detailsOf('ChainedInvokeStarted');
  const callback = detailsOf('CallbackStarted');
  const name = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const int = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    child_execution_arn: name(invoke.DurableExecutionArn),
    child_function_name: name(invoke.FunctionName),
    child_version: name(invoke.ExecutedVersion),
    tenant_id: name(invoke.TenantId),
    callback_timeout_seconds: int(callback.Timeout),
    callback_heartbeat_timeout_seconds: int(callback.HeartbeatTimeout),
    wait_seconds: int(detailsOf('WaitStarted').Duration),
    waitError: ((detailsOf('WaitCancelled').Error as Wire | undefined)?.Payload ?? null) as object | null,
  };
}

/** The origin columns of a row of execution `arn`: the ARN's account and Region fields. */
export function expectedOrigin(arn: string): { account_id: string | undefined; region: string | undefined } {
  const [, , , region, account] = arn.split(':');
  return { account_id: account, region };
}

export function expectedOperationRow(
  op: Wire,
  execution: {
    arn: string;
    functionName: string;
    truncatedIds: Set<string>;
    depthOf: (id: string) => number;
  },
  history: HistoryColumns = NO_HISTORY_COLUMNS,
): Record<string, unknown> {
  const details = (op.ExecutionDetails ??
    op.ContextDetails ??
    op.StepDetails ??
    op.WaitDetails ??
    op.CallbackDetails ??
    op.ChainedInvokeDetails ??
    {}) as Wire;
  const { waitError, ...historyOnly } = history;
  const error = (details.Error ?? waitError ?? undefined) as Wire | undefined;
  const start = at(op.StartTimestamp);
  const end = at(op.EndTimestamp);
  return {
    execution_arn: execution.arn,
    function_name: execution.functionName,
    operation_id: op.Id,
    parent_id: str(op.ParentId),
    name: str(op.Name),
    type: op.Type,
    sub_type: str(op.SubType),
    status: op.Status,
    start_timestamp: start,
    end_timestamp: end,
    duration_ms: start && end ? BigInt(end.getTime() - start.getTime()) : null,
    depth: execution.depthOf(String(op.Id)),
    is_error: ERROR_STATUSES.includes(String(op.Status)),
    attempt: typeof details.Attempt === 'number' ? details.Attempt : null,
    next_attempt_timestamp: at(details.NextAttemptTimestamp),
    scheduled_end_timestamp: at(details.ScheduledEndTimestamp),
    callback_id: str(details.CallbackId),
    // History carries no ReplayChildren (no history event models it), so the history source has none.
    replay_children: null,
    input_payload: str(details.InputPayload),
    result: str(details.Result),
    error_type: str(error?.ErrorType),
    error_message: str(error?.ErrorMessage),
    error_data: str(error?.ErrorData),
    error_stack_trace: Array.isArray(error?.StackTrace) ? JSON.stringify(error.StackTrace) : null,
    // The EXECUTION input is read whole from GetDurableExecution when history cut it.
    payload_truncated: op.Type !== 'EXECUTION' && execution.truncatedIds.has(String(op.Id)),
    source: 'history',
    ...historyOnly,
    ...expectedOrigin(execution.arn),
  };
}

/** Depth of every operation from the ParentId chain (0 at top level). */
export function depthsOf(operations: Wire[]): (id: string) => number {
  const parent = new Map(operations.map((o) => [String(o.Id), str(o.ParentId)]));
  return (id) => {
    let depth = 0;
    for (let p = parent.get(id); p; p = parent.get(p) ?? null) depth++;
    return depth;
  };
}

/** Ids of operations any of whose history payloads is marked Truncated. */
export function truncatedIdsOf(events: Wire[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.Id !== 'string') continue;
    const json = JSON.stringify(event);
    if (json.includes('"Truncated":true')) ids.add(event.Id);
  }
  return ids;
}
