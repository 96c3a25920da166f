/**
 * The "program" of one synthetic execution: what the handler calls, in order, and how each call turns
 * out. `run-plan.ts` executes it on a `Timeline`. A node whose failure is not caught ends its sequence,
 * so every generated node is reached (unless the execution's fate stops it earlier).
 */
export type PlanNode = StepNode | WaitNode | CallbackNode | InvokeNode | ContextNode;

interface Common {
  name?: string;
  /** User code catches this node's failure; the enclosing sequence continues. */
  catches: boolean;
  /** This node's failure fails the whole execution (never caught). */
  fatal?: boolean;
  /** The execution stops at this node (RUNNING, TIMED_OUT, STOPPED): it stays open. */
  halt?: boolean;
}
export interface StepNode extends Common {
  kind: 'step';
  subType: 'Step' | 'WaitForCondition';
  /** Step: failed attempts before the last; WaitForCondition: polls before the condition holds. */
  retries: number;
  outcome: 'succeed' | 'fail';
}
export interface WaitNode extends Common {
  kind: 'wait';
  seconds: number;
}
export interface CallbackNode extends Common {
  kind: 'callback';
  outcome: 'succeed' | 'fail' | 'timeout';
  /** A `timeout` outcome comes from a missed heartbeat, not from the callback's timeout. */
  heartbeatMissed?: boolean;
}
export interface InvokeNode extends Common {
  kind: 'invoke';
  functionName: string;
  /** How the started execution ends: SUCCEEDED, FAILED, TIMED_OUT or STOPPED. */
  outcome: 'succeed' | 'fail' | 'timeout' | 'stopped';
  /** The durable execution the invoke starts (set by `linkChildExecutions`). */
  childExecutionArn?: string;
  tenantId?: string;
}
export type ContextSubType =
  | 'RunInChildContext'
  | 'Map'
  | 'MapIteration'
  | 'Parallel'
  | 'ParallelBranch'
  | 'WaitForCallback';
export interface ContextNode extends Common {
  kind: 'context';
  subType: ContextSubType;
  children: PlanNode[];
  /** Keep the children in the replay view (the SDK's `childOperationsDepth` case). */
  replayChildren: boolean;
}

/** True when a failure of `node` leaves its sequence (it fails and nothing catches it on the way). */
export function throwsOut(node: PlanNode): boolean {
  if (node.catches) return false;
  if (node.kind === 'context')
    return node.subType !== 'Map' && node.subType !== 'Parallel' && node.children.some(throwsOut);
  return node.kind !== 'wait' && node.outcome !== 'succeed';
}
