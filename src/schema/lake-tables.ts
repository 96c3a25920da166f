import type { RowOf, TableSpec } from './column.js';
import { eventsTable } from './events-table.js';
import { executionsTable } from './executions-table.js';
import { invocationsTable } from './invocations-table.js';
import { operationsTable } from './operations-table.js';
import { type ORIGIN_COLUMNS, withOriginColumns } from './origin-columns.js';
import { type PROVENANCE_COLUMNS, withProvenanceColumns } from './provenance-columns.js';

/**
 * The tables of the lake, in the order the DDL, Glue registration, docs and queries handle them.
 *
 * Every table ends with the provenance columns (`withProvenanceColumns`), then the origin columns
 * (`withOriginColumns`). Adding a table is one entry here (its spec in a file of its own beside
 * this one, its rows made in src/transform/): the sink, the commit protocol, the catalog, `query`,
 * `verify` and the generated docs all iterate this list, and `TableName`, `TableRows` and `TABLES`
 * follow from it.
 */
const LAKE_TABLE_LIST = [
  withOriginColumns(withProvenanceColumns(operationsTable)),
  withOriginColumns(withProvenanceColumns(executionsTable)),
  withOriginColumns(withProvenanceColumns(eventsTable)),
  withOriginColumns(withProvenanceColumns(invocationsTable)),
] as const;

type LakeTable = (typeof LAKE_TABLE_LIST)[number];

/** The name of a lake table (and of its folder under the export prefix). */
export type TableName = LakeTable['name'];

/** The row type of each table, by table name. */
export type TableRows = { [S in LakeTable as S['name']]: RowOf<S['columns']> };

/** Every table of the lake, in order. */
export const LAKE_TABLES: readonly TableSpec[] = LAKE_TABLE_LIST;

/** The spec of each table, by table name. */
export const TABLES = Object.fromEntries(LAKE_TABLE_LIST.map((table) => [table.name, table])) as {
  readonly [S in LakeTable as S['name']]: S;
};

/** Every table name, in the order of `LAKE_TABLES`. */
export const TABLE_NAMES: readonly TableName[] = LAKE_TABLE_LIST.map((table) => table.name);

/** A row of `operations`, as the lake holds it. */
export type OperationRow = TableRows['operations'];

/** A row of `executions`, as the lake holds it. */
export type ExecutionRow = TableRows['executions'];

/** A row of `events`, as the lake holds it. */
export type EventRow = TableRows['events'];

/** A row of `invocations`, as the lake holds it. */
export type InvocationRow = TableRows['invocations'];

/** The columns the export stamps on every row of every table: provenance and origin. */
type StampedColumn = (typeof PROVENANCE_COLUMNS)[number]['name'] | (typeof ORIGIN_COLUMNS)[number]['name'];

/** A lake row before the export stamps its provenance and origin columns (what src/transform/ makes). */
export type Unstamped<Row> = Omit<Row, StampedColumn>;
