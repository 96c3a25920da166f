import type { Operation } from '@aws-sdk/client-lambda';

/** Statuses of an operation that has not finished; a context in one of them keeps its children in state. */
const OPEN_STATUSES: ReadonlySet<string> = new Set(['STARTED', 'PENDING', 'READY']);

/**
 * The CONTEXT operations of a `GetDurableExecutionState` replay view whose children the service may
 * have withheld. `GetDurableExecutionState` omits the children of a completed context unless its
 * `ContextDetails.ReplayChildren` is true (docs/DURABLE-API.md §3.3), and nothing in the view says whether
 * a context had children at all. The rule, applied to each CONTEXT in the view:
 *
 * 1. it has completed: its status is not STARTED, PENDING or READY (an unknown status counts as
 *    completed, so an unfamiliar value errs towards "incomplete", never towards a false "complete");
 * 2. its `ReplayChildren` is not true (false or absent);
 * 3. no operation in the view names it as `ParentId`. If a child is present, the service did not
 *    prune this context, so it is not counted.
 *
 * Such a context is counted as pruned because every context sub-type can hold operations (Map and
 * Parallel hold iterations or branches, WaitForCallback a callback and a step, the others user code),
 * so it could have had children. A context that really had none is indistinguishable from a pruned
 * one; the count is therefore an upper bound on the contexts that lost children, and an execution
 * with a count above zero is reported incomplete rather than risk calling a partial tree complete.
 * Contexts nested inside a pruned one are not in the view and are not counted: the count is of the
 * subtrees cut off, not of the operations missing.
 */
export function prunedContexts(operations: readonly Operation[]): Operation[] {
  const parents = new Set<string>();
  for (const op of operations) if (op.ParentId) parents.add(op.ParentId);
  return operations.filter(
    (op) =>
      op.Type === 'CONTEXT' &&
      !OPEN_STATUSES.has(op.Status ?? '') &&
      op.ContextDetails?.ReplayChildren !== true &&
      !(op.Id !== undefined && parents.has(op.Id)),
  );
}
