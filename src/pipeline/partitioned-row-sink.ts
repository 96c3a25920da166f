import { TABLE_NAMES } from '../schema/index.js';
import type { PartitionedSink } from '../sink/partitioned-sink.js';
import type { ExecutionRows } from '../transform/execution-rows.js';
import type { RowSink, WrittenFile } from './row-sink.js';

/**
 * A `RowSink` over a `PartitionedSink` (run-id named files, no commit protocol): for library use
 * and tests that want plain streaming files without `_state/` and manifests.
 */
export function partitionedRowSink(sink: PartitionedSink): RowSink {
  return {
    async write(rows: ExecutionRows) {
      for (const table of TABLE_NAMES) await sink.write(table, rows.dt, rows.tables[table]);
    },
    async close() {
      const { files } = await sink.close();
      return { files: files.map((f): WrittenFile => ({ ...f })) };
    },
    abort: (reason) => sink.abort(reason),
  };
}
