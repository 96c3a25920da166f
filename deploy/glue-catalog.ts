import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnDatabase } from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import { glueTableInput } from '../src/athena/glue-table-input.js';
import type { S3Lake } from '../src/athena/lake-location.js';
import { glueViewInput, latestViews } from '../src/athena/latest-views.js';
import { lakeTableDefinitions } from '../src/athena/table-definition.js';

/**
 * The Glue database, the lake's tables and their `<table>_latest` views, from the same definitions
 * `ddl --format glue-json` prints and `--register-glue` sends (src/athena/): one owner of the
 * columns. Each table's `TableInput` goes into `AWS::Glue::Table` as it is (the CreateTable body is
 * the resource's properties), so nothing here renames a column or a type.
 */

export interface GlueCatalogProps {
  readonly lake: S3Lake;
  readonly database: string;
  /** Prepended to catalog table names (default none). */
  readonly tablePrefix?: string;
}

export class GlueCatalog extends Construct {
  readonly database: CfnDatabase;
  /** Tables and views by catalog name. */
  readonly tables: ReadonlyMap<string, CfnResource>;

  constructor(scope: Construct, id: string, props: GlueCatalogProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const options = { lake: props.lake, database: props.database, tablePrefix: props.tablePrefix };
    const definitions = lakeTableDefinitions(options);
    this.database = new CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: {
        name: props.database,
        description: 'Lambda durable executions exported by durable-export',
      },
    });
    const inputs = [...definitions.map(glueTableInput), ...latestViews(options).map(glueViewInput)];
    const tables = new Map<string, CfnResource>();
    for (const input of inputs) {
      const name = String(input.Name);
      const table = new CfnResource(this, name, {
        type: 'AWS::Glue::Table',
        properties: { CatalogId: catalogId, DatabaseName: props.database, TableInput: input },
      });
      table.node.addDependency(this.database);
      tables.set(name, table);
    }
    this.tables = tables;
  }
}
