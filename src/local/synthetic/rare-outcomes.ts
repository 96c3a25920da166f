/**
 * Outcomes the plan generator alone makes rarely or never: chained invokes whose execution timed out
 * or was stopped (ChainedInvokeTimedOut, ChainedInvokeStopped), callbacks that miss a heartbeat,
 * tenants on invokes, and stopped executions cancelling a wait (WaitCancelled). They are drawn from a
 * PRNG of their own, so the rest of a seed's data stays as it was.
 */
import { type ExecutionFate, leaves } from './execution-fate.js';
import type { PlanNode } from './plan-nodes.js';
import type { Prng } from './prng.js';

const TENANTS = ['tenant-eu-1', 'tenant-us-2'];
const INVOKE_OUTCOMES = ['succeed', 'fail', 'timeout', 'stopped'] as const;

/**
 * Varies the outcomes of `plan` in place. A showcase program (`showcase`) also cycles, by `round`,
 * its chained invoke through every outcome and lets its last callback miss a heartbeat, caught so the
 * program runs on.
 */
export function varyOutcomes(
  plan: PlanNode[],
  fate: ExecutionFate,
  prng: Prng,
  showcase: { round: number } | undefined,
): void {
  const all = leaves(plan);
  for (const leaf of all) {
    if (leaf.kind === 'invoke') {
      if (prng.chance(0.25)) leaf.tenantId = prng.pick(TENANTS);
      if (leaf.outcome === 'fail') {
        const r = prng.next();
        if (r < 0.35) leaf.outcome = 'timeout';
        else if (r < 0.6) leaf.outcome = 'stopped';
      }
    }
    if (leaf.kind === 'callback' && leaf.outcome === 'timeout') leaf.heartbeatMissed = prng.chance(0.5);
  }
  if (showcase) {
    const invoke = all.find((leaf) => leaf.kind === 'invoke');
    const outcome = INVOKE_OUTCOMES[showcase.round % INVOKE_OUTCOMES.length];
    if (invoke && !invoke.fatal && !invoke.halt && outcome) {
      invoke.outcome = outcome;
      invoke.catches = outcome !== 'succeed';
    }
    const callback = all.findLast((leaf) => leaf.kind === 'callback');
    if (callback && !callback.fatal && !callback.halt && showcase.round % 2 === 1) {
      Object.assign(callback, { outcome: 'timeout', heartbeatMissed: true, catches: true });
    }
  }
  // A stopped execution halted at a wait cancels it: move the halt to a wait where there is one.
  const wait = all.find((leaf) => leaf.kind === 'wait');
  const halted = all.find((leaf) => leaf.halt);
  if (fate === 'STOPPED' && wait && halted && halted !== wait && prng.chance(0.7)) {
    halted.halt = false;
    wait.halt = true;
  }
}
