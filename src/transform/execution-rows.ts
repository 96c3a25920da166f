import type { ExecutionRow, OperationRow } from '../schema/index.js';
import type { ExportedExecution } from '../source/execution-source.js';
import { operationDepths } from '../source/operation-depth.js';
import { executionToRow } from './execution-row.js';
import { functionNameOf } from './function-arn.js';
import { operationToRow } from './operation-row.js';

export interface ExecutionRows {
  /** The partition: the execution's start date, UTC, `YYYY-MM-DD`. */
  dt: string;
  execution: ExecutionRow;
  operations: OperationRow[];
}

/** All rows of one exported execution, and the day partition they belong to. */
export function executionRows(exported: ExportedExecution): ExecutionRows {
  const functionName = functionNameOf(exported.summary.functionArn);
  const depths = operationDepths(exported.operations);
  const operations = exported.operations.map((op) =>
    operationToRow(op, {
      executionArn: exported.summary.arn,
      functionName,
      source: exported.source,
      depth: depths.get(op.Id ?? '') ?? 0,
      payloadTruncated: exported.truncatedOperationIds.has(op.Id ?? ''),
    }),
  );
  return {
    dt: exported.summary.startTimestamp.toISOString().slice(0, 10),
    execution: executionToRow(exported),
    operations,
  };
}
