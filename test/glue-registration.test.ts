import type { Column } from '@aws-sdk/client-glue';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { glueTableInput } from '../src/athena/glue-table-input.js';
import { decodePrestoView, latestViews } from '../src/athena/latest-views.js';
import { registerGlueTables } from '../src/athena/register-glue-tables.js';
import { registerGlueViews } from '../src/athena/register-glue-views.js';
import { tableDefinition } from '../src/athena/table-definition.js';
import { createGlueClient } from '../src/aws/glue-client.js';
import { ExportError } from '../src/errors.js';
import { executionsTable, operationsTable, TABLE_NAMES, type TableSpec } from '../src/schema/index.js';
import { type GlueStub, startGlueStub } from './support/glue-stub.js';

const lake = { bucket: 'glue-lake', prefix: 'exports/durable' };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A test-only variant of the schema: the operations table with one column appended. */
const operationsV2: TableSpec = {
  ...operationsTable,
  columns: [
    ...operationsTable.columns,
    { name: 'retry_budget_ms', type: 'bigint', required: false, description: 'Test-only appended column.' },
  ],
};

type Json = Record<string, unknown>;
const columnsOf = (table: Json | undefined): Column[] =>
  ((table?.StorageDescriptor as Json | undefined)?.Columns as Column[] | undefined) ?? [];

describe('--register-glue: idempotent Glue registration through the real GlueClient and a local Glue', () => {
  let stub: GlueStub;
  const client = () =>
    createGlueClient({ endpoint: stub.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const counts = () =>
    Object.fromEntries(
      ['GetDatabase', 'CreateDatabase', 'GetTable', 'CreateTable', 'UpdateTable'].map((t) => [
        t,
        stub.count(t),
      ]),
    );

  beforeEach(async () => {
    stub = await startGlueStub();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('creates the database and every table on the first run, and changes nothing on the second', async () => {
    const glue = client();
    const first = await registerGlueTables({ client: glue, lake });
    expect(first.map((o) => [o.table, o.action])).toEqual(TABLE_NAMES.map((name) => [name, 'created']));
    expect(counts()).toEqual({
      GetDatabase: 1,
      CreateDatabase: 1,
      GetTable: 4,
      CreateTable: 4,
      UpdateTable: 0,
    });
    const stored = stub.tables.get('durable_export.operations') ?? {};
    expect(columnsOf(stored).map((c) => c.Name)).toEqual(operationsTable.columns.map((c) => c.name));
    expect((stored.StorageDescriptor as Json).Location).toBe('s3://glue-lake/exports/durable/operations/');
    expect((stored.Parameters as Json)['projection.dt.range']).toBe('2025-12-01,NOW');

    stub.calls.length = 0;
    const second = await registerGlueTables({ client: glue, lake });
    expect(second.map((o) => o.action)).toEqual(TABLE_NAMES.map(() => 'unchanged'));
    expect(counts()).toEqual({
      GetDatabase: 1,
      CreateDatabase: 0,
      GetTable: 4,
      CreateTable: 0,
      UpdateTable: 0,
    });
    glue.destroy();
  });

  it('appends a new schema column with one UpdateTable that keeps everything else', async () => {
    const glue = client();
    await registerGlueTables({ client: glue, lake });
    const before = stub.tables.get('durable_export.operations') as Json;
    // Hand-tuned parameters survive an append: only the columns decide.
    (before.Parameters as Json)['projection.dt.range'] = '2026-01-01,NOW';
    stub.calls.length = 0;

    const outcomes = await registerGlueTables({
      client: glue,
      lake,
      tables: [operationsV2, executionsTable],
    });
    expect(outcomes.map((o) => [o.table, o.action, o.addedColumns])).toEqual([
      ['operations', 'appended', ['retry_budget_ms']],
      ['executions', 'unchanged', []],
    ]);
    expect(counts()).toEqual({
      GetDatabase: 1,
      CreateDatabase: 0,
      GetTable: 2,
      CreateTable: 0,
      UpdateTable: 1,
    });
    const input = stub.requests.get('UpdateTable')?.[0]?.TableInput as Json;
    expect(columnsOf(input)).toEqual([
      ...columnsOf(before),
      { Name: 'retry_budget_ms', Type: 'bigint', Comment: 'Test-only appended column.' },
    ]);
    const { StorageDescriptor: _sd, ...rest } = input;
    const {
      StorageDescriptor: _before,
      DatabaseName,
      CreateTime,
      UpdateTime,
      VersionId,
      CatalogId,
      ...kept
    } = before;
    expect(rest).toEqual(kept);

    stub.calls.length = 0;
    await registerGlueTables({ client: glue, lake, tables: [operationsV2, executionsTable] });
    expect(stub.count('UpdateTable')).toBe(0);
    // An older durable-export (the current schema) leaves the newer table alone.
    const older = await registerGlueTables({ client: glue, lake });
    expect(older[0]).toMatchObject({ action: 'unchanged', newerColumns: ['retry_budget_ms'] });
    expect(stub.count('UpdateTable')).toBe(0);
    glue.destroy();
  });

  it.each([
    [
      'a retyped column',
      { at: 'depth', column: { Name: 'depth', Type: 'bigint' } },
      /column "depth" is bigint there but int/,
    ],
    [
      'a renamed column',
      { at: 'name', column: { Name: 'operation_name', Type: 'string' } },
      /"operation_name" there but "name"/,
    ],
  ])('refuses %s, naming it, and changes nothing', async (_what, change, message) => {
    const input = glueTableInput(tableDefinition(operationsTable, { lake }));
    const columns = [...(input.StorageDescriptor?.Columns ?? [])];
    columns[columns.findIndex((c) => c.Name === change.at)] = change.column;
    stub.putTable('durable_export', {
      ...input,
      StorageDescriptor: { ...input.StorageDescriptor, Columns: columns },
    });
    const glue = client();
    const run = registerGlueTables({ client: glue, lake });
    await expect(run).rejects.toThrow(message);
    await expect(run).rejects.toBeInstanceOf(ExportError);
    expect(stub.count('UpdateTable') + stub.count('CreateTable')).toBe(0);
    glue.destroy();
  });

  it('plans again once when another registration creates the table first', async () => {
    stub.before.set('CreateTable', (body) =>
      stub.putTable(String(body.DatabaseName), body.TableInput as Json),
    );
    const glue = client();
    const outcomes = await registerGlueTables({ client: glue, lake });
    expect(outcomes.map((o) => o.action)).toEqual(['unchanged', 'created', 'created', 'created']);
    expect(counts()).toMatchObject({ GetTable: 5, CreateTable: 4, UpdateTable: 0 });
    glue.destroy();
  });

  it('refuses a table of the same name that points at another lake', async () => {
    const other = glueTableInput(
      tableDefinition(operationsTable, { lake: { bucket: 'other-lake', prefix: '' } }),
    );
    stub.putTable('durable_export', { ...other });
    const glue = client();
    await expect(registerGlueTables({ client: glue, lake })).rejects.toThrow(
      /points at s3:\/\/other-lake\/operations\/, but this export writes s3:\/\/glue-lake\/exports\/durable\/operations\//,
    );
    glue.destroy();
  });

  it('uses the database and table prefix given, and honours AWS_ENDPOINT_URL_GLUE', async () => {
    process.env.AWS_ENDPOINT_URL_GLUE = stub.url;
    try {
      const glue = createGlueClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
      const outcomes = await registerGlueTables({
        client: glue,
        lake,
        database: 'ops_lake',
        tablePrefix: 'prod_',
      });
      const names = TABLE_NAMES.map((name) => `ops_lake.prod_${name}`);
      expect(outcomes.map((o) => `${o.database}.${o.table}`)).toEqual(names);
      expect([...stub.tables.keys()].sort()).toEqual([...names].sort());
      glue.destroy();
    } finally {
      delete process.env.AWS_ENDPOINT_URL_GLUE;
    }
  });

  it('reports a Glue failure with the operation and the cause', async () => {
    const glue = createGlueClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    const error = await registerGlueTables({ client: glue, lake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(/^Glue GetDatabase durable_export failed: /);
    expect((error as Error).cause).toBeDefined();
    glue.destroy();
  });
});

describe('--register-glue: the latest views as Presto views in a local Glue', () => {
  let stub: GlueStub;
  const client = () =>
    createGlueClient({ endpoint: stub.url, region: 'us-east-1', credentials, maxAttempts: 1 });

  beforeEach(async () => {
    stub = await startGlueStub();
  });
  afterEach(async () => {
    await stub.close();
  });

  it('creates both views, then leaves them alone, and replaces one whose SQL changed', async () => {
    const glue = client();
    const first = await registerGlueViews({ client: glue, lake, tablePrefix: 'prod_' });
    expect(first.map((o) => [o.view, o.action])).toEqual([
      ['prod_operations_latest', 'created'],
      ['prod_executions_latest', 'created'],
    ]);
    const stored = stub.tables.get('durable_export.prod_operations_latest') ?? {};
    expect(stored).toMatchObject({ TableType: 'VIRTUAL_VIEW', ViewExpandedText: '/* Presto View */' });
    const [expected] = latestViews({ lake, tablePrefix: 'prod_' });
    const decoded = decodePrestoView(String(stored.ViewOriginalText));
    expect(decoded.originalSql).toBe(expected?.sql);
    expect(decoded.originalSql).toContain('FROM "durable_export"."prod_operations"');
    expect(decoded.schema).toBe('durable_export');
    expect(columnsOf(stored).map((c) => c.Name)).toEqual([
      ...operationsTable.columns.map((c) => c.name),
      'dt',
    ]);

    const again = await registerGlueViews({ client: glue, lake, tablePrefix: 'prod_' });
    expect(again.map((o) => o.action)).toEqual(['unchanged', 'unchanged']);
    expect(stub.count('UpdateTable')).toBe(0);

    // A newer schema (one more column) replaces the view: a view holds no data.
    const newer = await registerGlueViews({
      client: glue,
      lake,
      tablePrefix: 'prod_',
      tables: [operationsV2, executionsTable],
    });
    expect(newer.map((o) => o.action)).toEqual(['replaced', 'unchanged']);
    expect(columnsOf(stub.tables.get('durable_export.prod_operations_latest')).at(-2)?.Name).toBe(
      'retry_budget_ms',
    );
    glue.destroy();
  });

  it('refuses to replace a table of the same name that is not a view', async () => {
    const glue = client();
    await registerGlueTables({ client: glue, lake });
    stub.putTable('durable_export', {
      ...glueTableInput(tableDefinition(operationsTable, { lake })),
      Name: 'operations_latest',
    });
    const error = await registerGlueViews({ client: glue, lake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    expect(String((error as Error).message)).toMatch(
      /durable_export\.operations_latest exists and is not a view/,
    );
    glue.destroy();
  });
});
