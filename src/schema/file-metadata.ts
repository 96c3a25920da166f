/**
 * The keys of the key-value metadata in every data file's Parquet footer. The file writer sets the
 * schema version and the table; the sink that names the file adds its run, and the committer its
 * job and batch. `verify` and the resume of a stopped batch read them back.
 */

/** The schema version of src/schema the file was written with. */
export const SCHEMA_VERSION_KEY = 'durable_export.schema_version';
/** The table whose rows the file holds. */
export const TABLE_KEY = 'durable_export.table';
/** The run that wrote the file. */
export const RUN_ID_KEY = 'durable_export.run_id';
/** The export job whose batch wrote the file (committed files only). */
export const JOB_ID_KEY = 'durable_export.job_id';
/** The number of the batch that wrote the file (committed files only). */
export const BATCH_KEY = 'durable_export.batch';
