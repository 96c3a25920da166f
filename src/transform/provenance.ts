import { TABLE_NAMES } from '../schema/index.js';
import type { RowsByTable } from './execution-rows.js';

/** Which export wrote a row and when: the values of the provenance columns (src/schema/provenance-columns.ts). */
export interface Provenance {
  /** The run id (`_manifests/<runId>.json`). */
  readonly runId: string;
  /** When the export wrote the rows (UTC, ms precision in the lake). */
  readonly exportedAt: Date;
}

/** The one place the provenance columns are filled: every row of every table of `tables`, stamped. */
export function withProvenance<T extends { [K in keyof RowsByTable]: readonly object[] }>(
  tables: T,
  provenance: Provenance,
): RowsByTable {
  const stamp = { exported_at: provenance.exportedAt, export_run_id: provenance.runId };
  const entries = TABLE_NAMES.map((table) => [table, tables[table].map((row) => ({ ...row, ...stamp }))]);
  // Each table keeps its own columns and gains exactly the provenance columns.
  return Object.fromEntries(entries) as RowsByTable;
}
