/**
 * Runs one scenario in AWS's local durable test runner and returns what the runner reports: the
 * history events (`getHistoryEvents()`) and the operations (`getOperationData()` of every operation,
 * the EXECUTION operation included), exactly as the runner hands them out (timestamps as `Date`).
 * A scenario with a `pause` is recorded while it is suspended (a RUNNING execution), then finished.
 */

import type { Operation } from '@aws/durable-execution-sdk-js';
import { LocalDurableTestRunner } from '@aws/durable-execution-sdk-js-testing';
import type { Event } from '@aws-sdk/client-lambda';
import type { Scenario } from './scenarios.js';

export interface RecordedExecution {
  name: string;
  /** The execution status: SUCCEEDED or FAILED as the runner reports it, RUNNING for a paused recording. */
  status: string;
  events: Event[];
  /** The EXECUTION operation first, then the others in the runner's order (start order). */
  operations: Operation[];
}

interface Recorded {
  operation?: Operation;
  events?: Event[];
}

/**
 * The runner's operation index (1.1.4: `operationStorage.indexedOperations`). Read for two things the
 * public API does not give: the EXECUTION operation (`getOperations()` leaves it out and
 * `getOperationById` does not index it), and a view of a still running execution (`run()` only
 * resolves at the end). Every use is checked, so a changed runner fails loudly.
 */
interface RunnerInternals {
  operationStorage?: {
    indexedOperations?: {
      executionOperation?: Recorded;
      getOperations(): Recorded[];
      getHistoryEvents(): Event[];
    };
  };
}

function indexOf(runner: LocalDurableTestRunner, name: string) {
  const index = (runner as unknown as RunnerInternals).operationStorage?.indexedOperations;
  if (!index) throw new Error(`${name}: the runner has no operation index (changed internals?)`);
  return index;
}

function byEventId(events: Event[]): Event[] {
  return [...events].sort((a, b) => (a.EventId ?? 0) - (b.EventId ?? 0));
}

/** The EXECUTION operation first, checked against the ExecutionStarted event. */
function withExecution(name: string, runner: LocalDurableTestRunner, events: Event[], others: Operation[]) {
  const executionId = events[0]?.Id;
  if (events[0]?.EventType !== 'ExecutionStarted' || !executionId) {
    throw new Error(`${name}: the first history event is not ExecutionStarted with an Id`);
  }
  const executionOp = indexOf(runner, name).executionOperation?.operation;
  if (executionOp?.Id !== executionId) throw new Error(`${name}: no EXECUTION operation ${executionId}`);
  return [structuredClone(executionOp), ...others];
}

/** Waits until the suspended invocation has ended (an InvocationCompleted after every other event). */
async function settled(runner: LocalDurableTestRunner, name: string): Promise<Event[]> {
  for (let i = 0; i < 200; i++) {
    const events = byEventId(indexOf(runner, name).getHistoryEvents());
    if (events.at(-1)?.EventType === 'InvocationCompleted') return structuredClone(events);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${name}: the execution did not suspend`);
}

/** Runs `scenario` to completion; throws when the runner reports nothing usable. */
export async function recordExecution(scenario: Scenario): Promise<RecordedExecution> {
  const { name } = scenario;
  const runner = new LocalDurableTestRunner({ handlerFunction: scenario.handler() });
  scenario.register?.(runner);
  const running = runner.run(scenario.payload === undefined ? {} : { payload: scenario.payload });

  if (scenario.pause) {
    await scenario.pause(runner);
    const events = await settled(runner, name);
    const ops = structuredClone(indexOf(runner, name).getOperations()).map((r, i) => {
      if (!r.operation) throw new Error(`${name}: operation ${i} has no data`);
      return r.operation;
    });
    const operations = withExecution(name, runner, events, ops);
    await Promise.all([scenario.drive?.(runner), running]);
    return { name, status: 'RUNNING', events, operations };
  }

  const [, result] = await Promise.all([scenario.drive?.(runner), running]);
  const events = result.getHistoryEvents();
  const others = result.getOperations().map((op, i) => {
    const data = op.getOperationData();
    if (!data) throw new Error(`${name}: operation ${i} has no data`);
    return data;
  });
  const status = result.getStatus();
  if (!status) throw new Error(`${name}: the runner reports no execution status`);
  return { name, status, events, operations: withExecution(name, runner, events, others) };
}
