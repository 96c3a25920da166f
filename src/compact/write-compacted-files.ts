import { HashingObjectSink } from '../commit/hashing-object-sink.js';
import type { ManifestFile } from '../commit/run-manifest.js';
import { ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { type ColumnSpec, JOB_ID_KEY, type RowOf, RUN_ID_KEY, type TableSpec } from '../schema/index.js';
import type { RowRecord } from '../sink/column-values.js';
import type { ObjectStore } from '../sink/object-sink.js';
import { ParquetFileWriter } from '../sink/parquet-file-writer.js';
import type { ExpectedFile } from '../verify/manifest-index.js';
import { latestPositions, type RowPosition, rowIdOf } from './latest-version.js';
import { rowGroupsOf } from './read-row-groups.js';

/** One new file and the files whose rows go into it, newest version first. */
export interface CompactedGroup {
  readonly key: string;
  readonly sources: readonly ExpectedFile[];
}

export interface WriteCompactedFilesInput {
  readonly store: ObjectStore;
  readonly reader: ObjectReader;
  readonly table: TableSpec;
  /** The row identity columns (`TableSpec.key`). */
  readonly key: readonly string[];
  readonly dt: string;
  readonly compactionId: string;
  readonly runId: string;
  /** The groups, in `newestVersionFirst` order across all of them (the tie-break). */
  readonly groups: readonly CompactedGroup[];
  readonly rowGroupRows?: number;
  /** Called after each new file completed (the crash test pauses here). */
  readonly onFile?: () => Promise<void>;
}

export interface CompactedFiles {
  readonly files: ManifestFile[];
  readonly rowsRead: number;
  readonly rowsKept: number;
}

/**
 * Streams the rows of the sources into the new files with our Parquet writer, keeping the latest
 * version of each row key by the schema's latest rule (`latestPositions`); sources are read one row
 * group at a time. Only executions found in more than one source can have older versions, so only
 * their row keys are remembered, and only the sources holding them are read twice (once to rank):
 * memory is one source file, one row group, and the keys of the executions exported more than once.
 */
export async function writeCompactedFiles(input: WriteCompactedFilesInput): Promise<CompactedFiles> {
  const sources = input.groups.flatMap((g) => g.sources);
  const counts = new Map<string, number>();
  for (const source of sources) {
    for (const arn of source.file.executions) counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  const repeated = new Set([...counts].filter(([, n]) => n > 1).map(([arn]) => arn));
  const latest = await latestPositions(input.reader, input.table, input.key, sources, repeated);
  const isLatest = (row: RowRecord, at: RowPosition): boolean => {
    if (!repeated.has(String(row.execution_arn))) return true;
    const kept = latest.get(rowIdOf(row, input.key));
    return kept?.source === at.source && kept.row === at.row;
  };
  const files: ManifestFile[] = [];
  let rowsRead = 0;
  for (const group of input.groups) {
    const sink = new HashingObjectSink(input.store.open(group.key));
    const writer = new ParquetFileWriter<readonly ColumnSpec[]>({
      table: input.table,
      sink,
      kvMetadata: { [JOB_ID_KEY]: `compact-${input.compactionId}`, [RUN_ID_KEY]: input.runId },
      rowGroupRows: input.rowGroupRows,
    });
    const executions = new Set<string>();
    try {
      for (const source of group.sources) {
        const index = sources.indexOf(source);
        let row = 0;
        const bytes = await input.reader.read(source.file.key);
        if (bytes === undefined) {
          throw new ExportError(
            `${input.reader.describe(source.file.key)} disappeared while being compacted`,
            {
              stage: 'commit',
              key: source.file.key,
            },
          );
        }
        for await (const rows of rowGroupsOf(bytes, input.table)) {
          rowsRead += rows.length;
          const kept = rows.filter((r) => isLatest(r, { source: index, row: row++ }));
          for (const row of kept) executions.add(String(row.execution_arn));
          // Rows come from files of this table, so they have its columns (read-row-groups.ts).
          await writer.write(kept as RowOf<readonly ColumnSpec[]>[]);
        }
      }
    } catch (error) {
      await writer.abort(error);
      throw error;
    }
    if (writer.rows === 0) {
      await writer.abort(new Error('every row has a newer version in another file'));
      continue;
    }
    const result = await writer.close();
    files.push({
      key: group.key,
      table: input.table.name as ManifestFile['table'],
      dt: input.dt,
      executions: [...executions].sort(),
      rows: result.rows,
      bytes: result.bytes,
      sha256: sink.sha256(),
      adopted: false,
      batch: 0,
    });
    await input.onFile?.();
  }
  return { files, rowsRead, rowsKept: files.reduce((n, f) => n + f.rows, 0) };
}
