import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaDdl } from '../src/athena/create-table-ddl.js';
import { glueJson } from '../src/athena/glue-table-input.js';
import { s3LakeOf } from '../src/athena/lake-location.js';
import { ConfigError } from '../src/errors.js';
import { operationsTable, TABLE_NAMES, type TableSpec } from '../src/schema/index.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { readLakeTable } from './support/lake-reader.js';

const golden = (name: string) => join(import.meta.dirname, 'golden', name);
const GOLDEN_OPTIONS = {
  lake: { bucket: 'example-lake', prefix: 'exports/durable' },
  projectionStart: '2026-01-01',
};

/** Compares with a checked-in file; `UPDATE_GOLDEN=1` rewrites it (review the diff). */
async function expectGolden(name: string, actual: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(golden(name), actual);
  expect(actual).toBe(await readFile(golden(name), 'utf8'));
}

/** The columns of each CREATE EXTERNAL TABLE in a DDL script, parsed from the text. */
function ddlColumns(
  ddl: string,
): Record<string, { columns: [string, string][]; partitions: [string, string][] }> {
  const tables: Record<string, { columns: [string, string][]; partitions: [string, string][] }> = {};
  for (const statement of ddl.split(/\n\n/).filter((s) => s.startsWith('CREATE EXTERNAL TABLE'))) {
    const name = /^CREATE EXTERNAL TABLE IF NOT EXISTS `[^`]+`\.`([^`]+)` \($/m.exec(
      statement,
    )?.[1] as string;
    const columns = [...statement.matchAll(/^ {2}`(\w+)` (\w+) COMMENT '/gm)].map(
      (m) => [m[1], m[2]] as [string, string],
    );
    const partitions = [
      ...(/^PARTITIONED BY \((.*)\)$/m.exec(statement)?.[1] ?? '').matchAll(/`(\w+)` (\w+)/g),
    ].map((m) => [m[1], m[2]] as [string, string]);
    tables[name] = { columns, partitions };
  }
  return tables;
}

/** How Athena names the types DuckDB reports for our Parquet files. */
const ATHENA_OF_DUCKDB: Record<string, string> = {
  VARCHAR: 'string',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  BIGINT: 'bigint',
  INTEGER: 'int',
  BOOLEAN: 'boolean',
};

describe('Athena DDL and Glue TableInput generated from the schema module', () => {
  it('prints the expected DDL (golden file)', async () => {
    const ddl = athenaDdl(GOLDEN_OPTIONS);
    await expectGolden('athena-ddl.sql', ddl);
    expect(ddl).toContain("LOCATION 's3://example-lake/exports/durable/operations/'");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's placeholder, not a JS template
    const template = 's3://example-lake/exports/durable/executions/dt=${dt}/';
    expect(ddl).toContain(`'storage.location.template'='${template}'`);
    expect(ddl).toContain("'projection.dt.range'='2026-01-01,NOW'");
  });

  it('prints the same tables as Glue TableInput JSON (golden file)', async () => {
    const json = glueJson({ ...GOLDEN_OPTIONS, database: 'analytics', tablePrefix: 'prod_' });
    await expectGolden('glue-tables.json', json);
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(TABLE_NAMES.map((name) => `prod_${name}`));
    const ops = parsed.prod_operations;
    expect(ops.DatabaseName).toBe('analytics');
    expect(ops.TableInput.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(
      operationsTable.columns.map((c) => c.name),
    );
    // The folder keeps its name; only the catalog name is prefixed.
    expect(ops.TableInput.StorageDescriptor.Location).toBe('s3://example-lake/exports/durable/operations/');
  });

  it('escapes quotes and backslashes in comments as Hive DDL wants', () => {
    const table: TableSpec = {
      name: 'quoted',
      description: "It's a table",
      columns: [
        { name: 'path', type: 'string', required: false, description: "Windows path like C:\\x, 'quoted'" },
      ],
    };
    const ddl = athenaDdl({ lake: { bucket: 'b-1', prefix: '' } }, [table]);
    expect(ddl).toContain("  `path` string COMMENT 'Windows path like C:\\\\x, \\'quoted\\''");
    expect(ddl).toContain("COMMENT 'It\\'s a table'");
    expect(ddl).toContain("LOCATION 's3://b-1/quoted/'");
  });

  it('refuses a local --out and bad names as usage errors', () => {
    expect(() => s3LakeOf('./lake', 'ddl')).toThrow(ConfigError);
    expect(() => s3LakeOf('./lake', 'ddl')).toThrow(
      /ddl needs --out s3:\/\/BUCKET\/PREFIX: Athena reads tables from S3/,
    );
    expect(() => athenaDdl({ ...GOLDEN_OPTIONS, database: 'My-DB' })).toThrow(/invalid --database "My-DB"/);
    expect(() => athenaDdl({ ...GOLDEN_OPTIONS, projectionStart: '2026-02-30' })).toThrow(
      /invalid --projection-start "2026-02-30"/,
    );
  });

  describe('column list and types equal what DuckDB reads from a freshly exported lake', () => {
    let work: string;
    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'ddl-types-'));
      await exportSyntheticLake(join(work, 'lake'), { count: 8, seed: 5 });
    });
    afterAll(async () => {
      await rm(work, { recursive: true, force: true });
    });

    it.each(TABLE_NAMES)('%s', async (table) => {
      const declared = ddlColumns(athenaDdl(GOLDEN_OPTIONS))[table];
      const read = await readLakeTable(join(work, 'lake'), table);
      const described = Object.entries(read.types).map(([name, type]) => [
        name,
        ATHENA_OF_DUCKDB[type] ?? type,
      ]);
      expect(read.rows.length).toBeGreaterThan(0);
      expect(described).toEqual([...(declared?.columns ?? []), ...(declared?.partitions ?? [])]);
    });
  });
});
