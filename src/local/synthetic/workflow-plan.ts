/** Generates the random program (plan) of one synthetic execution; see `plan-nodes.ts` for its shape. */
import {
  type CallbackNode,
  type ContextNode,
  type PlanNode,
  type StepNode,
  throwsOut,
  type WaitNode,
} from './plan-nodes.js';
import type { Prng } from './prng.js';

const STEP_NAMES = [
  'validate-order',
  'fetch-customer',
  'reserve-inventory',
  'charge-card',
  'send-receipt',
  'compute-tax',
];
const CONDITION_NAMES = ['poll-shipment-status', 'wait-until-indexed'];
const WAIT_NAMES = ['cool-down', 'wait-for-settlement'];
const CALLBACK_NAMES = ['manager-approval', 'kyc-review', 'webhook-confirmation'];
const INVOKE_TARGETS = ['billing-fn', 'risk-check-fn', 'notify-fn'];
const MAX_CONTEXT_DEPTH = 3;

/** Builds plans; `budget` caps the operations of one execution. */
export class PlanGenerator {
  private budget = 0;

  constructor(private readonly prng: Prng) {}

  /** A random program; a `showcase` program uses every operation type and context sub-type. */
  generate(showcase: boolean): PlanNode[] {
    this.budget = this.prng.chance(0.05) ? 400 : 60;
    if (!showcase) return this.sequence(0, false, this.prng.int(2, 7)).nodes;
    const p = this.prng;
    return [
      this.step(false, 'validate-order', 2),
      this.context('Map', 0, false, 'process-items'),
      this.wait('cool-down'),
      this.waitForCallback(false, 'manager-approval'),
      {
        kind: 'context',
        subType: 'Parallel',
        name: 'fan-out',
        catches: false,
        replayChildren: p.chance(0.5),
        children: [0, 1].map(
          (i) =>
            ({
              kind: 'context',
              subType: 'ParallelBranch',
              name: `parallel-branch-${i}`,
              catches: true,
              replayChildren: false,
              children: [this.context('RunInChildContext', 2, true, 'checkout')],
            }) as ContextNode,
        ),
      },
      this.step(false, 'poll-shipment-status', 2, 'WaitForCondition'),
      { kind: 'callback', name: 'webhook-confirmation', outcome: 'succeed', catches: false },
      {
        kind: 'invoke',
        name: 'invoke-billing',
        functionName: INVOKE_TARGETS[0] as string,
        outcome: 'succeed',
        catches: false,
      },
      this.step(false, 'send-receipt', 0),
    ];
  }

  private sequence(depth: number, inBranch: boolean, length: number): { nodes: PlanNode[]; throws: boolean } {
    const nodes: PlanNode[] = [];
    for (let i = 0; i < length && this.budget > 0; i++) {
      const node = this.node(depth, inBranch);
      nodes.push(node);
      if (throwsOut(node)) return { nodes, throws: true };
    }
    return { nodes, throws: false };
  }

  private node(depth: number, inBranch: boolean): PlanNode {
    const p = this.prng;
    this.budget--;
    const r = p.next();
    const nested = depth < MAX_CONTEXT_DEPTH && this.budget > 4;
    if (r < 0.4) return this.step(inBranch);
    if (r < 0.5) return this.wait();
    if (r < 0.56) return this.step(inBranch, p.pick(CONDITION_NAMES), p.int(1, 4), 'WaitForCondition');
    if (r < 0.62) {
      const outcome = p.next() < 0.85 ? 'succeed' : p.chance(0.5) ? 'fail' : 'timeout';
      return {
        kind: 'callback',
        name: p.pick(CALLBACK_NAMES),
        outcome,
        catches: outcome !== 'succeed' && (!inBranch || p.chance(0.5)),
      };
    }
    if (r < 0.68) return this.waitForCallback(inBranch);
    if (r < 0.74) {
      const outcome = p.chance(0.88) ? 'succeed' : 'fail';
      const catches = outcome === 'fail' && (!inBranch || p.chance(0.5));
      return {
        kind: 'invoke',
        name: p.chance(0.7) ? 'invoke-downstream' : undefined,
        functionName: p.pick(INVOKE_TARGETS),
        outcome,
        catches,
      };
    }
    if (!nested) return this.step(inBranch);
    if (r < 0.84)
      return this.context(
        'RunInChildContext',
        depth,
        inBranch,
        p.pick(['checkout', 'fulfilment', 'refund-flow']),
      );
    if (r < 0.92) return this.context('Map', depth, inBranch, p.pick(['process-items', 'score-candidates']));
    return this.context('Parallel', depth, inBranch, p.pick(['fan-out', 'enrich']));
  }

  private step(
    inBranch: boolean,
    name?: string,
    retries?: number,
    subType: StepNode['subType'] = 'Step',
  ): StepNode {
    const p = this.prng;
    const r = p.next();
    const failing = subType === 'Step' && retries === undefined && p.chance(inBranch ? 0.12 : 0.03);
    return {
      kind: 'step',
      subType,
      name: name ?? (p.chance(0.85) ? p.pick(STEP_NAMES) : undefined),
      retries: retries ?? (r < 0.75 ? 0 : r < 0.9 ? 1 : p.int(2, 4)),
      outcome: failing ? 'fail' : 'succeed',
      catches: failing && !inBranch,
    };
  }

  private wait(name?: string): WaitNode {
    const p = this.prng;
    const seconds = p.pick([1, 5, 30, 60, 300, 900, 3600]);
    return {
      kind: 'wait',
      name: name ?? (p.chance(0.6) ? p.pick(WAIT_NAMES) : undefined),
      seconds,
      catches: false,
    };
  }

  private waitForCallback(inBranch: boolean, name?: string): ContextNode {
    const p = this.prng;
    const outcome = name !== undefined || p.chance(0.85) ? 'succeed' : p.chance(0.5) ? 'fail' : 'timeout';
    const catches = outcome !== 'succeed' && (!inBranch || p.chance(0.5));
    const callback: CallbackNode = { kind: 'callback', outcome, catches: false };
    const submitter: StepNode = {
      kind: 'step',
      subType: 'Step',
      retries: p.chance(0.1) ? 1 : 0,
      outcome: 'succeed',
      catches: false,
    };
    return {
      kind: 'context',
      subType: 'WaitForCallback',
      name: name ?? p.pick(CALLBACK_NAMES),
      catches,
      replayChildren: false,
      children: [callback, submitter],
    };
  }

  private context(
    subType: 'RunInChildContext' | 'Map' | 'Parallel',
    depth: number,
    inBranch: boolean,
    name?: string,
  ): ContextNode {
    const p = this.prng;
    const replayChildren = p.chance(0.08);
    if (subType === 'RunInChildContext') {
      const body = this.sequence(depth + 1, inBranch, p.int(1, 4));
      return {
        kind: 'context',
        subType,
        name,
        catches: body.throws && !inBranch,
        replayChildren,
        children: body.nodes,
      };
    }
    const count = subType === 'Map' ? (p.chance(0.05) ? p.int(20, 40) : p.int(2, 6)) : p.int(2, 4);
    const childType = subType === 'Map' ? 'MapIteration' : 'ParallelBranch';
    const children: ContextNode[] = [];
    for (let i = 0; i < count; i++) {
      const body = this.sequence(depth + 2, true, p.int(1, 3));
      const childName = subType === 'Map' ? `map-item-${i}` : `parallel-branch-${i}`;
      children.push({
        kind: 'context',
        subType: childType,
        name: childName,
        catches: true,
        replayChildren: false,
        children: body.nodes,
      });
    }
    return { kind: 'context', subType, name, catches: false, replayChildren, children };
  }
}
