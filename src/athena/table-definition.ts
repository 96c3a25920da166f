import { ExportError } from '../errors.js';
import { athenaTypeOf, LAKE_TABLES, type TableSpec } from '../schema/index.js';
import {
  checkDatabaseName,
  checkProjectionStart,
  checkTablePrefix,
  DEFAULT_DATABASE,
  DEFAULT_PROJECTION_START,
} from './catalog-names.js';
import { type S3Lake, tableLocation } from './lake-location.js';

/**
 * One catalog table as both renderings need it (Athena DDL and Glue `TableInput`), derived from the
 * schema module: the columns in schema order with their Athena types and descriptions, the `dt`
 * partition, the S3 location and the table properties with partition projection.
 */

/** Glue's limit for a column comment. */
const GLUE_COMMENT_MAX = 255;

export interface CatalogColumn {
  readonly name: string;
  /** Athena/Glue type: string, timestamp, bigint, int or boolean. */
  readonly type: string;
  readonly comment: string;
}

export interface TableDefinition {
  readonly database: string;
  /** Catalog table name: the table prefix plus the schema's table name. */
  readonly name: string;
  readonly description: string;
  readonly columns: readonly CatalogColumn[];
  readonly partitionKeys: readonly CatalogColumn[];
  /** `s3://BUCKET/PREFIX/<table>/`. */
  readonly location: string;
  /** Table properties in a stable order: compression, then partition projection. */
  readonly properties: readonly (readonly [string, string])[];
}

export interface TableDefinitionOptions {
  readonly lake: S3Lake;
  /** Default `durable_export`. */
  readonly database?: string;
  /** Prepended to catalog table names (`prod_` → `prod_operations`); folders keep their names. */
  readonly tablePrefix?: string;
  /** First `dt` day of the projection range, `YYYY-MM-DD` (default 2025-12-01). */
  readonly projectionStart?: string;
}

/** The partition column every table shares: the execution's start day in UTC. */
export const DT_PARTITION: CatalogColumn = {
  name: 'dt',
  type: 'string',
  comment: 'Execution start day (UTC), YYYY-MM-DD: the partition.',
};

/** The catalog definition of `table` for the lake at `options.lake`. */
export function tableDefinition(table: TableSpec, options: TableDefinitionOptions): TableDefinition {
  const database = checkDatabaseName(options.database ?? DEFAULT_DATABASE);
  const prefix = checkTablePrefix(options.tablePrefix ?? '');
  const start = checkProjectionStart(options.projectionStart ?? DEFAULT_PROJECTION_START);
  const location = tableLocation(options.lake, table.name);
  const columns = table.columns.map((column): CatalogColumn => {
    if (column.description.length > GLUE_COMMENT_MAX) {
      throw new ExportError(
        `${table.name}.${column.name}: description is ${column.description.length} characters; Glue allows ${GLUE_COMMENT_MAX}`,
        { stage: 'config' },
      );
    }
    return { name: column.name, type: athenaTypeOf(column.type), comment: column.description };
  });
  return {
    database,
    name: `${prefix}${table.name}`,
    description: table.description,
    columns,
    partitionKeys: [DT_PARTITION],
    location,
    properties: [
      ['parquet.compression', 'SNAPPY'],
      ['projection.enabled', 'true'],
      ['projection.dt.type', 'date'],
      ['projection.dt.format', 'yyyy-MM-dd'],
      ['projection.dt.range', `${start},NOW`],
      ['projection.dt.interval', '1'],
      ['projection.dt.interval.unit', 'DAYS'],
      ['storage.location.template', `${location}dt=\${dt}/`],
    ],
  };
}

/** The definitions of every lake table (or of `tables`, e.g. a test-only schema variant). */
export function lakeTableDefinitions(
  options: TableDefinitionOptions,
  tables: readonly TableSpec[] = LAKE_TABLES,
): TableDefinition[] {
  return tables.map((table) => tableDefinition(table, options));
}
