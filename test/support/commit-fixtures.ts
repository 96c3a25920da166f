/** Small executions (rows of operations and executions, none of the history-only tables) for the commit tests. */
import type { ExecutionRows } from '../../src/transform/execution-rows.js';
import { executionRow, operationRow } from '../sink-fixtures.js';

export const arn = (i: number) =>
  `arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST/durable-execution/x-${i}`;

/** Execution `i` on day `dt` with `ops` operations. */
export function execution(i: number, dt: string, ops = 3): ExecutionRows {
  return {
    executionArn: arn(i),
    dt,
    tables: {
      operations: Array.from({ length: ops }, (_, j) => operationRow(j, { execution_arn: arn(i) })),
      executions: [executionRow(i, { execution_arn: arn(i) })],
      events: [],
      invocations: [],
    },
  };
}
