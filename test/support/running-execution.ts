import type { SyntheticExecution } from '../../src/local/synthetic/generate-executions.js';

/**
 * The same execution as it was while still RUNNING: its final Execution* event not yet written,
 * no end, result or error. Served first and then replaced by the finished one, it is an execution
 * that ends between two exports.
 */
export function asRunning(e: SyntheticExecution): SyntheticExecution {
  const last = e.events.at(-1);
  if (!String(last?.EventType).startsWith('Execution')) {
    throw new Error(
      `the last event of ${String(e.execution.DurableExecutionArn)} is not an Execution* event`,
    );
  }
  const { EndTimestamp: _end, Result: _result, Error: _error, ...execution } = e.execution;
  return { ...e, execution: { ...execution, Status: 'RUNNING' }, events: e.events.slice(0, -1) };
}
