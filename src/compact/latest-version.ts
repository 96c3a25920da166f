import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { compareLatest, LATEST_ORDER_COLUMNS, type TableSpec } from '../schema/index.js';
import type { RowRecord } from '../sink/column-values.js';
import type { ExpectedFile } from '../verify/manifest-index.js';
import { rowGroupsOf } from './read-row-groups.js';

/**
 * Which version of a row `compact` keeps: the schema's one latest rule (`compareLatest`, the rule of
 * the `*_latest` views: newest `exported_at`, then run id, end time, status), so compaction and the
 * views always agree. Two rows are versions of each other when they have the same key
 * (`TableSpec.key`).
 */

/** Where a row is: its source (index in the compaction's order) and its row number in that file. */
export interface RowPosition {
  readonly source: number;
  readonly row: number;
}

/**
 * The files in the order `compact` reads them: the file committed by the later manifest first
 * (manifest keys start with the run's UTC time; a file belongs to the first manifest that listed
 * it), files of one manifest by key. Only a tie-break: rows the latest rule cannot tell apart keep
 * the first one met in this order.
 */
export function newestVersionFirst(files: readonly ExpectedFile[]): ExpectedFile[] {
  const order = (f: ExpectedFile): string => `${f.manifests[0] ?? ''} ${f.file.key}`;
  return [...files].sort((a, b) => (order(a) < order(b) ? 1 : order(a) > order(b) ? -1 : 0));
}

/** The identity of a row: its key columns' values. */
export const rowIdOf = (row: RowRecord, key: readonly string[]): string =>
  JSON.stringify(key.map((column) => row[column]));

/**
 * For every row key with several versions among `sources` (only executions in more than one source
 * can have them: `repeated`), the position of its latest version. A first pass over the sources
 * that hold such executions, one row group at a time; memory is the ranking columns of one version
 * per repeated key.
 */
export async function latestPositions(
  reader: ObjectReader,
  table: TableSpec,
  key: readonly string[],
  sources: readonly ExpectedFile[],
  repeated: ReadonlySet<string>,
): Promise<Map<string, RowPosition>> {
  const best = new Map<string, RowPosition & { ranking: RowRecord }>();
  for (const [source, file] of sources.entries()) {
    if (!file.file.executions.some((arn) => repeated.has(arn))) continue;
    const bytes = await reader.read(file.file.key);
    if (bytes === undefined) {
      throw new ExportError(`${reader.describe(file.file.key)} disappeared while being compacted`, {
        stage: 'commit',
        key: file.file.key,
      });
    }
    let row = 0;
    for await (const rows of rowGroupsOf(bytes, table)) {
      for (const record of rows) {
        if (repeated.has(String(record.execution_arn))) {
          const id = rowIdOf(record, key);
          const kept = best.get(id);
          if (!kept || compareLatest(record, kept.ranking) < 0) {
            const ranking = Object.fromEntries(LATEST_ORDER_COLUMNS.map((c) => [c, record[c] ?? null]));
            best.set(id, { source, row, ranking });
          }
        }
        row++;
      }
    }
  }
  return new Map([...best].map(([id, { source, row }]) => [id, { source, row }]));
}
