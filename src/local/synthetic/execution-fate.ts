import type { CallbackNode, InvokeNode, PlanNode, StepNode, WaitNode } from './plan-nodes.js';
import type { Prng } from './prng.js';

/** How a synthetic execution ends; the plan is adjusted so the simulation ends that way. */
export type ExecutionFate = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'STOPPED' | 'RUNNING';

/** Mostly SUCCEEDED, some FAILED, a few TIMED_OUT, STOPPED and RUNNING. */
export function pickFate(prng: Prng): ExecutionFate {
  const r = prng.next();
  if (r < 0.7) return 'SUCCEEDED';
  if (r < 0.85) return 'FAILED';
  if (r < 0.89) return 'TIMED_OUT';
  if (r < 0.93) return 'STOPPED';
  return 'RUNNING';
}

export type Leaf = StepNode | WaitNode | CallbackNode | InvokeNode;

/** The leaf calls in execution order; a WaitForCallback contributes its callback only. */
export function leaves(nodes: readonly PlanNode[], out: Leaf[] = []): Leaf[] {
  for (const node of nodes) {
    if (node.kind !== 'context') out.push(node);
    else if (node.subType === 'WaitForCallback') out.push(node.children[0] as CallbackNode);
    else leaves(node.children, out);
  }
  return out;
}

/**
 * Marks the node where the fate happens. FAILED: one step, callback or invoke fails fatally. RUNNING,
 * TIMED_OUT, STOPPED: the execution halts at a suspension point (a wait, a callback, an invoke, or a step
 * whose first attempt schedules a retry). Appends a suitable node when the plan has none.
 */
export function applyFate(plan: PlanNode[], fate: ExecutionFate, prng: Prng): void {
  if (fate === 'SUCCEEDED') return;
  const all = leaves(plan);
  if (fate === 'FAILED') {
    const candidates = all.filter((n): n is StepNode | CallbackNode | InvokeNode => n.kind !== 'wait');
    if (candidates.length === 0) {
      plan.push({
        kind: 'step',
        subType: 'Step',
        name: 'finalize',
        retries: 1,
        outcome: 'fail',
        catches: false,
        fatal: true,
      });
      return;
    }
    const chosen = prng.pick(candidates);
    chosen.fatal = true;
    chosen.outcome = chosen.kind === 'callback' && prng.chance(0.3) ? 'timeout' : 'fail';
    return;
  }
  const candidates = all.filter((n) => n.kind !== 'step' || n.retries > 0);
  if (candidates.length === 0) {
    plan.push({ kind: 'wait', name: 'wait-for-settlement', seconds: 3600, catches: false, halt: true });
    return;
  }
  prng.pick(candidates).halt = true;
}
