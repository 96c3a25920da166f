/**
 * The rows a correct export must contain, computed in the test from the generator's ground truth
 * (wire-form operations, epoch seconds), independently of src/transform and src/source.
 */
type Wire = Record<string, unknown>;

const ERROR_STATUSES = ['FAILED', 'TIMED_OUT', 'CANCELLED', 'STOPPED'];

const at = (v: unknown): Date | null => (typeof v === 'number' ? new Date(Math.round(v * 1000)) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function expectedOperationRow(
  op: Wire,
  execution: {
    arn: string;
    functionName: string;
    truncatedIds: Set<string>;
    depthOf: (id: string) => number;
  },
): Record<string, unknown> {
  const details = (op.ExecutionDetails ??
    op.ContextDetails ??
    op.StepDetails ??
    op.WaitDetails ??
    op.CallbackDetails ??
    op.ChainedInvokeDetails ??
    {}) as Wire;
  const error = (details.Error ?? undefined) as Wire | undefined;
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
