import { TABLE_NAMES, type TableName, type TableRows, type Unstamped } from '../schema/index.js';
import type { ExportedExecution } from '../source/execution-source.js';
import { redactedEventRow } from './event-redaction.js';
import { eventToRow, invocationRows } from './event-rows.js';
import { executionToRow } from './execution-row.js';
import { functionNameOf } from './function-arn.js';
import { operationDepths } from './operation-depth.js';
import { operationToRow } from './operation-row.js';
import { originOf } from './origin.js';
import { type Provenance, withOriginAndProvenance } from './provenance.js';
import type { Redaction } from './redaction.js';

/** Rows of each lake table, by table name. */
export type RowsByTable = { [T in TableName]: TableRows[T][] };

/** Every row of one exported execution, in every table: the unit the pipeline hands to a sink. */
export interface ExecutionRows {
  readonly executionArn: string;
  /** The partition: the execution's start date, UTC, `YYYY-MM-DD`. */
  readonly dt: string;
  readonly tables: RowsByTable;
  /** The listed status and end time, and whether the rows are complete (the export index's facts). */
  readonly status?: string;
  readonly endedAt?: Date;
  readonly complete?: boolean;
}

/** The rows of each table before the provenance and origin columns are filled. */
type OwnRowsByTable = { [T in TableName]: Unstamped<TableRows[T]>[] };

export interface ExecutionRowsOptions {
  /** Column redaction, applied to every row of every table. */
  redaction?: Redaction | undefined;
  /** The tables to make rows for (default all); the others get none (`export.tables`). */
  tables?: readonly TableName[] | undefined;
}

/** How each table's rows are made from one exported execution. */
const ROW_MAKERS: { [T in TableName]: (exported: ExportedExecution) => OwnRowsByTable[T] } = {
  operations: operationRows,
  executions: (exported) => [executionToRow(exported)],
  events: (exported) => exported.events.map((event) => eventToRow(event, contextOf(exported))),
  invocations: (exported) => invocationRows(exported.events, contextOf(exported)),
};

/**
 * All rows of one exported execution and the day partition they belong to, with `redaction`
 * applied to every row of every table (no redacted value goes further than this function) and
 * the provenance columns filled from `provenance` and the origin columns from the execution ARN.
 * @throws ExportError (stage transform) when the execution ARN names no account and Region.
 */
export function executionRows(
  exported: ExportedExecution,
  provenance: Provenance,
  options: ExecutionRowsOptions = {},
): ExecutionRows {
  const chosen = new Set(options.tables ?? TABLE_NAMES);
  const make = <T extends TableName>(table: T): OwnRowsByTable[T] =>
    chosen.has(table) ? ROW_MAKERS[table](exported) : [];
  const tables: OwnRowsByTable = {
    operations: make('operations'),
    executions: make('executions'),
    events: make('events'),
    invocations: make('invocations'),
  };
  const own = options.redaction ? redacted(tables, options.redaction) : tables;
  return {
    executionArn: exported.summary.arn,
    dt: exported.summary.startTimestamp.toISOString().slice(0, 10),
    tables: withOriginAndProvenance(own, originOf(exported.summary.arn), provenance),
    status: exported.summary.status,
    endedAt: exported.summary.endTimestamp,
    complete: exported.complete !== false,
  };
}

/** Rows of every table of `rows`, e.g. for a batch's row budget. */
export function rowCount(rows: ExecutionRows): number {
  return TABLE_NAMES.reduce((n, table) => n + rows.tables[table].length, 0);
}

function contextOf(exported: ExportedExecution) {
  return { executionArn: exported.summary.arn, functionName: functionNameOf(exported.summary.functionArn) };
}

function operationRows(exported: ExportedExecution) {
  const depths = operationDepths(exported.operations);
  const context = contextOf(exported);
  return exported.operations.map((op) =>
    operationToRow(op, {
      ...context,
      source: exported.source,
      depth: depths.get(op.Id ?? '') ?? 0,
      payloadTruncated: exported.truncatedOperationIds.has(op.Id ?? ''),
      history: exported.operationFacts?.get(op.Id ?? ''),
    }),
  );
}

function redacted(tables: OwnRowsByTable, redaction: Redaction): OwnRowsByTable {
  const entries = TABLE_NAMES.map((table) => [
    table,
    // `events` holds payloads twice more, in `payload` and inside `details_json`: its own rule covers them.
    table === 'events'
      ? tables.events.map((row) => redactedEventRow(row, redaction))
      : tables[table].map((row) => redaction.apply(row)),
  ]);
  // Each table keeps its row type: `apply` returns a row of the type it was given.
  return Object.fromEntries(entries) as OwnRowsByTable;
}
