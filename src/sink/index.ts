/**
 * The sink stage: rows → Parquet files → objects in S3 or a local directory.
 *
 * Plain streaming wiring (library use; the export command writes through src/commit/ instead,
 * which adds batches, write-ahead records and manifests on the same stores; `createS3Client` is in
 * src/aws/):
 *   const out = parseOutputLocation(flags.out);
 *   const store = out.kind === 's3'
 *     ? new S3ObjectStore({ client: createS3Client({ region, endpoint }), bucket: out.bucket })
 *     : new LocalObjectStore(out.dir);
 *   const sink = new PartitionedSink({ store, prefix: out.kind === 's3' ? out.prefix : '', runId });
 *   await sink.write('operations', dt, rows); ... const { files } = await sink.close();
 */

export { LocalObjectStore } from './local-object-store.js';
export { partitionDateOf, partitionFolder, partObjectKey } from './object-key.js';
export type { ObjectSink, ObjectStore } from './object-sink.js';
export { formatOutputLocation, type OutputLocation, parseOutputLocation } from './output-location.js';
export {
  DEFAULT_ROW_GROUP_BYTES,
  DEFAULT_ROW_GROUP_ROWS,
  type ParquetFileResult,
  ParquetFileWriter,
  type ParquetFileWriterOptions,
  SCHEMA_VERSION_KEY,
  TABLE_KEY,
} from './parquet-file-writer.js';
export {
  DEFAULT_MAX_FILE_ROWS,
  DEFAULT_MAX_OPEN_FILES,
  PartitionedSink,
  type PartitionedSinkOptions,
  RUN_ID_KEY,
  type SinkFileSummary,
  type SinkSummary,
  type TableName,
  type TableRows,
} from './partitioned-sink.js';
export {
  DEFAULT_PART_SIZE_BYTES,
  MIN_PART_SIZE_BYTES,
  S3ObjectStore,
  type S3ObjectStoreOptions,
} from './s3-object-store.js';
export { SinkError, type SinkErrorType } from './sink-error.js';
