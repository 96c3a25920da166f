import type { Column, TableInput } from '@aws-sdk/client-glue';
import type { TableSpec } from '../schema/index.js';
import {
  type CatalogColumn,
  lakeTableDefinitions,
  type TableDefinition,
  type TableDefinitionOptions,
} from './table-definition.js';

/**
 * The same tables as the Athena DDL, as Glue `TableInput` objects: what `--register-glue` sends to
 * CreateTable/UpdateTable, and what `ddl --format glue-json` prints for CloudFormation, CDK and
 * Terraform users.
 */

export const PARQUET_INPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat';
export const PARQUET_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat';
export const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

function glueColumn(column: CatalogColumn): Column {
  return { Name: column.name, Type: column.type, Comment: column.comment };
}

/** The Glue `TableInput` of one table definition. */
export function glueTableInput(table: TableDefinition): TableInput {
  return {
    Name: table.name,
    Description: table.description,
    TableType: 'EXTERNAL_TABLE',
    Parameters: {
      EXTERNAL: 'TRUE',
      classification: 'parquet',
      ...Object.fromEntries(table.properties),
    },
    PartitionKeys: table.partitionKeys.map(glueColumn),
    StorageDescriptor: {
      Columns: table.columns.map(glueColumn),
      Location: table.location,
      InputFormat: PARQUET_INPUT_FORMAT,
      OutputFormat: PARQUET_OUTPUT_FORMAT,
      SerdeInfo: {
        SerializationLibrary: PARQUET_SERDE,
        Parameters: { 'serialization.format': '1' },
      },
    },
  };
}

/** One `CreateTable` request body: also the `Properties` of `AWS::Glue::Table` (add `CatalogId`). */
export interface GlueTableRequest {
  readonly DatabaseName: string;
  readonly TableInput: TableInput;
}

/**
 * What `ddl --format glue-json` prints: `{ "<table>": { DatabaseName, TableInput }, ... }`. Each
 * value is the input of `aws glue create-table --cli-input-json` as it is.
 */
export function glueJson(options: TableDefinitionOptions, tables?: readonly TableSpec[]): string {
  const requests: Record<string, GlueTableRequest> = {};
  for (const definition of lakeTableDefinitions(options, tables)) {
    requests[definition.name] = {
      DatabaseName: definition.database,
      TableInput: glueTableInput(definition),
    };
  }
  return `${JSON.stringify(requests, null, 2)}\n`;
}
