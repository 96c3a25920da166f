import { randomBytes } from 'node:crypto';
import type { AwsConnection } from '../aws/aws-connection.js';
import { openLake } from '../lake/open-lake.js';
import { parseOutputLocation } from '../sink/output-location.js';
import { PartitionedSink } from '../sink/partitioned-sink.js';
import { partitionedRowSink } from './partitioned-row-sink.js';
import type { RowSink } from './row-sink.js';

/** The connection (`region`, `endpointUrlS3`, ...) reaches an `s3://` lake. */
export interface ParquetSinkOptions extends AwsConnection {
  /** `s3://BUCKET/PREFIX` or a local directory. */
  out: string;
  /** Names this run's files (`part-<runId>-NNNNN.parquet`); default: UTC time plus random hex. */
  runId?: string;
  rowGroupRows?: number;
  maxFileRows?: number;
  partSizeBytes?: number;
}

/**
 * A plain streaming Parquet sink for library use: rows go to
 * `PREFIX/<table>/dt=YYYY-MM-DD/part-<runId>-NNNNN.parquet` as they come, files appear when
 * complete. It keeps no resume state and writes no manifest; `runExportJob` (and the CLI) use the
 * committing sink instead (docs/RELIABILITY.md).
 *
 * @example
 * const sink = parquetSink({ out: 's3://my-lake/durable' });
 * const summary = await runExport({ source: historySource({ ... }), sink });
 */
export function parquetSink(options: ParquetSinkOptions): RowSink {
  const lake = openLake(parseOutputLocation(options.out), options);
  const sink = partitionedRowSink(
    new PartitionedSink({
      store: lake.store,
      prefix: lake.prefix,
      runId:
        options.runId ??
        `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`,
      rowGroupRows: options.rowGroupRows,
      maxFileRows: options.maxFileRows,
    }),
  );
  return {
    write: (rows) => sink.write(rows),
    close: async () => {
      try {
        return await sink.close();
      } finally {
        lake.close();
      }
    },
    abort: async (reason) => {
      try {
        await sink.abort(reason);
      } finally {
        lake.close();
      }
    },
  };
}
