import type { TableInput } from '@aws-sdk/client-glue';
import type { ColumnType, TableSpec } from '../schema/index.js';
import { LAKE_TABLES, latestRowsSql, latestViewName, tablesWithLatestView } from '../schema/index.js';
import { DT_PARTITION, type TableDefinitionOptions, tableDefinition } from './table-definition.js';

/**
 * The `<table>_latest` views in the catalog: Athena DDL (`CREATE OR REPLACE VIEW`, printed by
 * `ddl`) and the same view as a Glue table Athena accepts (`--register-glue`). Their SELECT is
 * the one latest-row rule of src/schema/latest-row.ts.
 *
 * A Glue view that Athena reads is a "Presto view": `TableType` `VIRTUAL_VIEW`, `ViewOriginalText`
 * `/* Presto View: <base64 of JSON {originalSql, catalog, schema, columns}> *\/`, `ViewExpandedText`
 * `/* Presto View *\/`, `Parameters` `{presto_view: "true", comment: "Presto View"}`, and the
 * columns (Hive types) in the storage descriptor. docs/QUERIES.md describes it.
 */

/** The catalog Athena names the Glue Data Catalog in a Presto view. */
const ATHENA_CATALOG = 'awsdatacatalog';

/** Presto/Trino type names of the view's columns (the JSON of a Presto view needs these, not Hive's). */
const PRESTO_TYPE: Readonly<Record<ColumnType, string>> = {
  string: 'varchar',
  timestamp: 'timestamp(3)',
  bigint: 'bigint',
  int: 'integer',
  boolean: 'boolean',
};

export interface LatestView {
  readonly database: string;
  /** Catalog view name: the table prefix, the table name, `_latest`. */
  readonly name: string;
  readonly description: string;
  /** The SELECT of the view (no trailing `;`). */
  readonly sql: string;
  /** The view's columns: the table's and `dt`, with Hive and Presto types. */
  readonly columns: readonly { name: string; hiveType: string; prestoType: string; comment: string }[];
}

/** The decoded JSON inside a Presto view's `ViewOriginalText`. */
export interface PrestoViewDefinition {
  readonly originalSql: string;
  readonly catalog: string;
  readonly schema: string;
  readonly columns: readonly { name: string; type: string }[];
}

/** One latest view per table that has a latest-row key. */
export function latestViews(
  options: TableDefinitionOptions,
  tables: readonly TableSpec[] = LAKE_TABLES,
): LatestView[] {
  return tablesWithLatestView(tables).map((table) => {
    const definition = tableDefinition(table, options);
    const from = `"${definition.database}"."${definition.name}"`;
    return {
      database: definition.database,
      name: latestViewName(definition.name),
      description: `The latest version of each row of ${definition.name} (the newest exported_at).`,
      sql: latestRowsSql(table, from),
      columns: [
        ...table.columns.map((c, i) => ({
          name: c.name,
          hiveType: definition.columns[i]?.type ?? '',
          prestoType: PRESTO_TYPE[c.type],
          comment: c.description,
        })),
        { name: DT_PARTITION.name, hiveType: 'string', prestoType: 'varchar', comment: DT_PARTITION.comment },
      ],
    };
  });
}

/** `CREATE OR REPLACE VIEW "db"."name" AS <select>;` for Athena. */
export function createViewDdl(view: LatestView): string {
  return `-- ${view.description}\nCREATE OR REPLACE VIEW "${view.database}"."${view.name}" AS\n${view.sql};`;
}

/** `ViewOriginalText` of a Presto view: `/* Presto View: <base64 JSON> *\/`. */
export function encodePrestoView(definition: PrestoViewDefinition): string {
  return `/* Presto View: ${Buffer.from(JSON.stringify(definition), 'utf8').toString('base64')} */`;
}

/** The JSON inside `ViewOriginalText`; throws on text that is not a Presto view. */
export function decodePrestoView(text: string): PrestoViewDefinition {
  const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
  if (!match?.[1]) throw new SyntaxError('not a Presto view text: expected /* Presto View: <base64> */');
  return JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as PrestoViewDefinition;
}

/** The Glue `TableInput` of a latest view, in the Presto view form Athena reads. */
export function glueViewInput(view: LatestView): TableInput {
  return {
    Name: view.name,
    Description: view.description,
    TableType: 'VIRTUAL_VIEW',
    Parameters: { presto_view: 'true', comment: 'Presto View' },
    ViewOriginalText: encodePrestoView({
      originalSql: view.sql,
      catalog: ATHENA_CATALOG,
      schema: view.database,
      columns: view.columns.map((c) => ({ name: c.name, type: c.prestoType })),
    }),
    ViewExpandedText: '/* Presto View */',
    PartitionKeys: [],
    StorageDescriptor: {
      Columns: view.columns.map((c) => ({ Name: c.name, Type: c.hiveType, Comment: c.comment })),
      SerdeInfo: {},
    },
  };
}
