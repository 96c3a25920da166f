import {
  type ExecutionRow,
  type OperationRow,
  TABLE_NAMES,
  type TableName,
  type TableRows,
  type WithoutProvenance,
} from '../schema/index.js';
import type { ExportedExecution } from '../source/execution-source.js';
import { executionToRow } from './execution-row.js';
import { functionNameOf } from './function-arn.js';
import { operationDepths } from './operation-depth.js';
import { operationToRow } from './operation-row.js';
import { type Provenance, withProvenance } from './provenance.js';
import type { Redaction } from './redaction.js';

/** Rows of each lake table, by table name. */
export type RowsByTable = { [T in TableName]: TableRows[T][] };

/** Every row of one exported execution, in every table: the unit the pipeline hands to a sink. */
export interface ExecutionRows {
  readonly executionArn: string;
  /** The partition: the execution's start date, UTC, `YYYY-MM-DD`. */
  readonly dt: string;
  readonly tables: RowsByTable;
}

/** The rows of each table before the provenance columns are filled. */
type OwnRowsByTable = {
  operations: WithoutProvenance<OperationRow>[];
  executions: WithoutProvenance<ExecutionRow>[];
};

/**
 * All rows of one exported execution and the day partition they belong to, with `redaction`
 * applied to every row of every table (no redacted value goes further than this function) and
 * the provenance columns filled from `provenance`.
 */
export function executionRows(
  exported: ExportedExecution,
  provenance: Provenance,
  redaction?: Redaction,
): ExecutionRows {
  const functionName = functionNameOf(exported.summary.functionArn);
  const depths = operationDepths(exported.operations);
  const operations = exported.operations.map((op) =>
    operationToRow(op, {
      executionArn: exported.summary.arn,
      functionName,
      source: exported.source,
      depth: depths.get(op.Id ?? '') ?? 0,
      payloadTruncated: exported.truncatedOperationIds.has(op.Id ?? ''),
      history: exported.operationFacts?.get(op.Id ?? ''),
    }),
  );
  const tables: OwnRowsByTable = { operations, executions: [executionToRow(exported)] };
  return {
    executionArn: exported.summary.arn,
    dt: exported.summary.startTimestamp.toISOString().slice(0, 10),
    tables: withProvenance(redaction ? redacted(tables, redaction) : tables, provenance),
  };
}

/** Rows of every table of `rows`, e.g. for a batch's row budget. */
export function rowCount(rows: ExecutionRows): number {
  return TABLE_NAMES.reduce((n, table) => n + rows.tables[table].length, 0);
}

function redacted(tables: OwnRowsByTable, redaction: Redaction): OwnRowsByTable {
  const entries = TABLE_NAMES.map((table) => [table, tables[table].map((row) => redaction.apply(row))]);
  // Each table keeps its row type: `apply` returns a row of the type it was given.
  return Object.fromEntries(entries) as OwnRowsByTable;
}
