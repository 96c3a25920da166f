import { type ColumnSpec, type TableSpec, withColumnsAppended } from './column.js';

/**
 * The provenance columns every lake table has after its own: which export wrote the row and when.
 * They are appended to each table in ONE place (`withProvenanceColumns`, applied by `lake-tables.ts`),
 * and filled in one place (src/transform/provenance.ts), so a table added later gets them too.
 *
 * Files written before schema version 3 have no such columns: readers see NULL there, and the
 * latest-row rule (src/schema/latest-row.ts) ranks those rows last.
 */
export const PROVENANCE_COLUMNS = [
  {
    name: 'exported_at',
    type: 'timestamp',
    required: false,
    description:
      'When the export wrote the row (UTC, ms): the start of the batch that wrote it; NULL in files written before schema version 3.',
  },
  {
    name: 'export_run_id',
    type: 'string',
    required: false,
    description:
      'Run id of the export that wrote the row (its `_manifests/<run id>.json`, or for a batch a stopped run began, that run); NULL in files written before schema version 3.',
  },
] as const satisfies readonly ColumnSpec[];

/**
 * `table` with the provenance columns appended after its own. A column appended to a table later
 * goes into the table's own list only if the table is new; for a table already in lakes it is
 * appended after these (evolution rule: append only), as the origin columns are (origin-columns.ts).
 */
export function withProvenanceColumns<const Name extends string, const Cols extends readonly ColumnSpec[]>(
  table: TableSpec<Cols, Name>,
): TableSpec<readonly [...Cols, ...typeof PROVENANCE_COLUMNS], Name> {
  return withColumnsAppended(table, PROVENANCE_COLUMNS);
}
