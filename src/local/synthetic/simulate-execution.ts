import type { ExecutionFate } from './execution-fate.js';
import { Failure, Halt } from './leaf-operations.js';
import type { ErrorObject, ModelOperation } from './model.js';
import type { PlanNode } from './plan-nodes.js';
import type { Prng } from './prng.js';
import { PlanRunner } from './run-plan.js';
import { Timeline } from './timeline.js';

/** The outcome of simulating one execution: its history and the generator's model of its operations. */
export interface SimulatedExecution {
  events: Record<string, unknown>[];
  operations: ModelOperation[];
  execution: ModelOperation;
  /** Execution result (SUCCEEDED) or error (FAILED, TIMED_OUT, STOPPED). */
  result?: string;
  error?: ErrorObject;
  executionTimeoutSeconds: number;
  invocationCount: number;
}

const DAY_SECONDS = 86_400;

/** Runs `plan` from `startMs`, as invocations of the JS durable SDK would, and ends the way `fate` says. */
export function simulateExecution(
  plan: readonly PlanNode[],
  fate: ExecutionFate,
  prng: Prng,
  startMs: number,
  input: string,
  result: string | undefined,
): SimulatedExecution {
  const t = new Timeline(prng, startMs);
  const execution = t.begin({
    id: prng.uuid(),
    type: 'EXECUTION',
    status: 'STARTED',
    startMs,
    inputPayload: input,
  });
  const startedDetails = { Input: t.wrap(input), ExecutionTimeout: DAY_SECONDS };
  t.emit(execution, 'ExecutionStarted', startedDetails);
  const outcome: Pick<SimulatedExecution, 'result' | 'error'> = {};
  try {
    new PlanRunner(t, prng).runSequence(plan, { path: '', counter: 0 });
    t.suspend(); // the last invocation returns the result
    outcome.result = result;
    execution.endMs = t.emit(execution, 'ExecutionSucceeded', { Result: t.wrap(result) });
    execution.status = 'SUCCEEDED';
  } catch (e) {
    if (e instanceof Failure) {
      t.suspend();
      outcome.error = e.error;
      execution.endMs = t.emit(execution, 'ExecutionFailed', { Error: t.wrapError(e.error) });
      execution.status = 'FAILED';
    } else if (e instanceof Halt) {
      endHalted(t, prng, fate, execution, e.op, startedDetails, outcome);
    } else {
      throw e;
    }
  }
  // The configured timeout must cover what ran (it was chosen before; the details object is still ours).
  const elapsed = Math.ceil((t.now - startMs) / 1000);
  if (execution.status !== 'TIMED_OUT' && elapsed >= startedDetails.ExecutionTimeout) {
    startedDetails.ExecutionTimeout = Math.ceil((elapsed + 1) / DAY_SECONDS) * DAY_SECONDS;
  }
  return {
    events: t.events,
    operations: t.operations,
    execution,
    ...outcome,
    executionTimeoutSeconds: startedDetails.ExecutionTimeout,
    invocationCount: t.invocations,
  };
}

/** RUNNING stays open; TIMED_OUT ends at start + ExecutionTimeout; STOPPED ends later and cancels a pending wait. */
function endHalted(
  t: Timeline,
  prng: Prng,
  fate: ExecutionFate,
  execution: ModelOperation,
  halted: ModelOperation,
  startedDetails: { ExecutionTimeout: number },
  outcome: Pick<SimulatedExecution, 'error'>,
): void {
  if (fate === 'TIMED_OUT') {
    const timeout = Math.ceil((t.now - execution.startMs) / 1000) + prng.pick([60, 600, 3600]);
    startedDetails.ExecutionTimeout = timeout;
    t.advanceTo(execution.startMs + timeout * 1000);
    outcome.error = {
      ErrorType: 'ExecutionTimeout',
      ErrorMessage: `Execution timed out after ${timeout} seconds`,
    };
    execution.endMs = t.emit(execution, 'ExecutionTimedOut', { Error: t.wrapError(outcome.error) });
    execution.status = 'TIMED_OUT';
  } else if (fate === 'STOPPED') {
    t.tick(60_000, 7_200_000);
    if (halted.type === 'WAIT') {
      halted.error = {
        ErrorType: 'ExecutionStopped',
        ErrorMessage: 'The wait was cancelled: the execution stopped',
      };
      halted.endMs = t.emit(halted, 'WaitCancelled', { Error: t.wrapError(halted.error) });
      halted.status = 'CANCELLED';
      t.tick();
    }
    outcome.error = {
      ErrorType: 'ExecutionStopped',
      ErrorMessage: 'Stopped by StopDurableExecution (operator request)',
    };
    execution.endMs = t.emit(execution, 'ExecutionStopped', { Error: t.wrapError(outcome.error) });
    execution.status = 'STOPPED';
  }
}
