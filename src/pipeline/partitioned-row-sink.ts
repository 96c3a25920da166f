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
      await sink.write('operations', rows.dt, rows.operations);
      await sink.write('executions', rows.dt, [rows.execution]);
    },
    async close() {
      const { files } = await sink.close();
      return { files: files.map((f): WrittenFile => ({ ...f })) };
    },
    abort: (reason) => sink.abort(reason),
  };
}
