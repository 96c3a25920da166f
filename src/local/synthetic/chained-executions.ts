/**
 * Links chained invokes to the executions they start. An invoke's child is an execution of the same
 * data set that ends the way the invoke says (SUCCEEDED for a success, FAILED, TIMED_OUT or STOPPED
 * for the others, RUNNING when the parent halts there) and starts no earlier than its parent; each
 * execution is the child of at most one invoke, and children come earlier in the set than their
 * parents, so the links form trees and an execution never depends on how many follow it. Where no
 * such execution is left, the child is one outside the data set (as when the invoked function is not
 * exported). The links ignore timing beyond that.
 */
import type { ExecutionFate } from './execution-fate.js';
import { leaves } from './execution-fate.js';
import type { ExecutionIdentity } from './execution-record.js';
import { functionArn, functionNameOf } from './model.js';
import type { InvokeNode, PlanNode } from './plan-nodes.js';
import type { Prng } from './prng.js';

/** What is known of an execution before it is simulated. */
export interface ExecutionHead {
  identity: ExecutionIdentity;
  startMs: number;
  fate: ExecutionFate;
}

const CHILD_FATE: Record<InvokeNode['outcome'], ExecutionFate> = {
  succeed: 'SUCCEEDED',
  fail: 'FAILED',
  timeout: 'TIMED_OUT',
  stopped: 'STOPPED',
};

/** Sets `childExecutionArn` (and, for a child in the set, its function) on every invoke of `plan`. */
export function linkChildExecutions(
  plan: readonly PlanNode[],
  index: number,
  heads: readonly ExecutionHead[],
  claimed: Set<number>,
  prng: Prng,
): void {
  const parent = heads[index] as ExecutionHead;
  for (const leaf of leaves(plan)) {
    if (leaf.kind !== 'invoke') continue;
    const fate = leaf.halt ? 'RUNNING' : CHILD_FATE[leaf.outcome];
    let child = -1;
    for (let j = index - 1; j >= 0 && child < 0; j--) {
      const head = heads[j] as ExecutionHead;
      if (!claimed.has(j) && head.fate === fate && head.startMs >= parent.startMs) child = j;
    }
    if (child >= 0) {
      claimed.add(child);
      const { identity } = heads[child] as ExecutionHead;
      leaf.functionName = identity.functionName;
      leaf.childExecutionArn = identity.executionArn;
    } else {
      const name = `${functionNameOf(leaf.functionName)}-${prng.hex(8)}`;
      leaf.childExecutionArn = `${functionArn(leaf.functionName)}/durable-execution/${name}/${prng.uuid()}`;
    }
  }
}
