import { describe, expect, it } from 'vitest';
import { decodePrestoView } from '../src/athena/latest-views.js';
import { athenaTypeOf, LAKE_TABLES, latestViewName, tablesWithLatestView } from '../src/schema/index.js';
import { standInCodeDirectory, synthesizeExport } from './support/deploy-stack.js';

interface GlueTable {
  Properties: {
    DatabaseName: string;
    TableInput: {
      Name: string;
      TableType: string;
      ViewOriginalText?: string;
      PartitionKeys: { Name: string; Type: string }[];
      StorageDescriptor: { Location?: string; Columns: { Name: string; Type: string }[] };
    };
  };
  DependsOn?: string[];
}

describe('DurableExport database: the Glue catalog from the schema module', () => {
  const { template } = synthesizeExport(
    {
      functions: ['orders'],
      prefix: 'durable',
      eventDriven: true,
      database: 'lake_db',
      tablePrefix: 'prod_',
    },
    standInCodeDirectory(),
  );
  const tables = Object.values(template.findResources('AWS::Glue::Table')) as GlueTable[];
  const byName = new Map(tables.map((t) => [t.Properties.TableInput.Name, t]));

  it('creates the database and one table per lake table, with the schema its columns', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      CatalogId: '123456789012',
      DatabaseInput: { Name: 'lake_db' },
    });
    for (const spec of LAKE_TABLES) {
      const table = byName.get(`prod_${spec.name}`);
      expect(table?.Properties.DatabaseName).toBe('lake_db');
      expect(table?.Properties.TableInput.TableType).toBe('EXTERNAL_TABLE');
      expect(table?.Properties.TableInput.StorageDescriptor.Columns.map((c) => [c.Name, c.Type])).toEqual(
        spec.columns.map((c) => [c.name, athenaTypeOf(c.type)]),
      );
      expect(table?.Properties.TableInput.PartitionKeys.map((c) => c.Name)).toEqual(['dt']);
      expect(table?.Properties.TableInput.StorageDescriptor.Location).toBe(
        `s3://my-lake/durable/${spec.name}/`,
      );
      expect(table?.DependsOn?.length).toBe(1);
    }
  });

  it('adds the latest views Athena reads, over the same tables', () => {
    const views = tablesWithLatestView(LAKE_TABLES);
    expect(tables).toHaveLength(LAKE_TABLES.length + views.length);
    for (const spec of views) {
      const view = byName.get(latestViewName(`prod_${spec.name}`));
      expect(view?.Properties.TableInput.TableType).toBe('VIRTUAL_VIEW');
      const presto = decodePrestoView(view?.Properties.TableInput.ViewOriginalText ?? '');
      expect(presto.schema).toBe('lake_db');
      expect(presto.originalSql).toContain(`"lake_db"."prod_${spec.name}"`);
    }
  });
});
