import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaDdl } from '../src/athena/create-table-ddl.js';
import {
  decodePrestoView,
  encodePrestoView,
  glueViewInput,
  latestViews,
} from '../src/athena/latest-views.js';
import { type LakeSession, openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { LAKE_TABLES, type OperationRow, type TableSpec } from '../src/schema/index.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { PartitionedSink } from '../src/sink/partitioned-sink.js';
import { executionRow, operationRow } from './sink-fixtures.js';

const LAKE = { bucket: 'my-lake', prefix: 'durable' };
const DAY = '2025-01-31';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 8, minute));

describe('latest views: Athena DDL and the Glue Presto view', () => {
  it('prints CREATE OR REPLACE VIEW operations_latest and executions_latest after the tables', () => {
    const ddl = athenaDdl({ lake: LAKE, tablePrefix: 'prod_' });
    const views = [...ddl.matchAll(/CREATE OR REPLACE VIEW "durable_export"\."(\w+)" AS/g)].map((m) => m[1]);
    expect(views).toEqual(['prod_operations_latest', 'prod_executions_latest']);
    expect(ddl.lastIndexOf('CREATE EXTERNAL TABLE')).toBeLessThan(ddl.indexOf('CREATE OR REPLACE VIEW'));
    expect(ddl).toContain(
      'ROW_NUMBER() OVER (PARTITION BY dt, execution_arn, operation_id ORDER BY exported_at DESC NULLS LAST',
    );
    expect(ddl).toContain('FROM "durable_export"."prod_executions") AS ranked');
  });

  it('encodes the view text as a Presto view and decodes it to the same definition', () => {
    const definition = {
      originalSql: 'SELECT 1 AS "x"',
      catalog: 'awsdatacatalog',
      schema: 'analytics',
      columns: [{ name: 'x', type: 'integer' }],
    };
    const text = encodePrestoView(definition);
    expect(text).toMatch(/^\/\* Presto View: [A-Za-z0-9+/=]+ \*\/$/);
    expect(decodePrestoView(text)).toEqual(definition);
    expect(() => decodePrestoView('SELECT 1')).toThrow(/not a Presto view/);
  });

  it('makes a Glue VIRTUAL_VIEW whose encoded SQL and columns match the DDL view', () => {
    const [view] = latestViews({ lake: LAKE, database: 'analytics' });
    if (!view) throw new Error('no view');
    const input = glueViewInput(view);
    expect(input).toMatchObject({
      Name: 'operations_latest',
      TableType: 'VIRTUAL_VIEW',
      ViewExpandedText: '/* Presto View */',
      Parameters: { presto_view: 'true', comment: 'Presto View' },
    });
    const decoded = decodePrestoView(String(input.ViewOriginalText));
    expect(decoded.originalSql).toBe(view.sql);
    expect(decoded).toMatchObject({ catalog: 'awsdatacatalog', schema: 'analytics' });
    const operations = LAKE_TABLES[0] as TableSpec;
    expect(decoded.columns.map((c) => c.name)).toEqual([...operations.columns.map((c) => c.name), 'dt']);
    expect(decoded.columns.find((c) => c.name === 'exported_at')?.type).toBe('timestamp(3)');
    expect(input.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(decoded.columns.map((c) => c.name));
    expect(input.StorageDescriptor?.Columns?.find((c) => c.Name === 'status')?.Type).toBe('string');
  });
});

describe('latest views in DuckDB (query): one row per operation and execution, the latest version', () => {
  let work: string;
  let lake: LakeSession;
  /** Operations 0..5 of one execution: RUNNING in the first export, finished in the second. */
  const running = (): Partial<OperationRow> => ({
    status: 'STARTED',
    end_timestamp: null,
    duration_ms: null,
  });

  async function write(
    lakeDir: string,
    runId: string,
    rows: { ops: OperationRow[]; execs: ReturnType<typeof executionRow>[] },
  ) {
    const sink = new PartitionedSink({ store: new LocalObjectStore(lakeDir), prefix: '', runId });
    await sink.write('operations', DAY, rows.ops);
    await sink.write('executions', DAY, rows.execs);
    await sink.close();
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'latest-views-'));
    const lakeDir = join(work, 'lake');
    const ids = [0, 1, 2, 3, 4, 5];
    // A file of schema version 2 era (no provenance), the RUNNING export, the final export, and an
    // overlapping job that exported the RUNNING state again earlier than the final one.
    const stamp = (runId: string | null, minute: number | null) => ({
      export_run_id: runId,
      exported_at: minute === null ? null : at(minute),
    });
    await write(lakeDir, 'old', {
      ops: ids.map((i) => operationRow(i, { ...running(), ...stamp(null, null) })),
      execs: [executionRow(1, stamp(null, null))],
    });
    await write(lakeDir, 'first', {
      ops: ids.map((i) => operationRow(i, { ...running(), ...stamp('run-a', 1) })),
      execs: [executionRow(1, stamp('run-a', 1))],
    });
    await write(lakeDir, 'final', {
      ops: ids.map((i) => operationRow(i, { status: 'SUCCEEDED', ...stamp('run-c', 9) })),
      execs: [
        executionRow(0, { ...stamp('run-c', 9), execution_arn: String(executionRow(1).execution_arn) }),
      ],
    });
    await write(lakeDir, 'overlap', {
      ops: ids.map((i) => operationRow(i, { ...running(), ...stamp('run-b', 5) })),
      execs: [executionRow(1, stamp('run-b', 5))],
    });
    lake = await openLakeSession(lakeDir);
  });
  afterAll(async () => {
    lake?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('holds each operation exactly once, with the status of the newest export', async () => {
    const [all] = rowObjects(await lake.query('SELECT count(*) AS n FROM operations'));
    expect(all?.n).toBe(24n);
    const rows = rowObjects(
      await lake.query(
        'SELECT operation_id, status, export_run_id FROM operations_latest ORDER BY execution_arn, operation_id',
      ),
    );
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toMatchObject({ status: 'SUCCEEDED', export_run_id: 'run-c' });
  });

  it('holds each execution once, the finished version', async () => {
    const rows = rowObjects(await lake.query('SELECT status, export_run_id, dt FROM executions_latest'));
    expect(rows).toEqual([{ status: 'SUCCEEDED', export_run_id: 'run-c', dt: DAY }]);
  });

  it('ranks rows without exported_at (files before schema version 3) last', async () => {
    const lakeDir = join(work, 'old-only');
    await write(lakeDir, 'old', {
      ops: [operationRow(0, { exported_at: null, export_run_id: null })],
      execs: [],
    });
    await write(lakeDir, 'new', {
      ops: [operationRow(0, { exported_at: at(0), export_run_id: 'run-new', status: 'FAILED' })],
      execs: [],
    });
    const session = await openLakeSession(lakeDir);
    try {
      expect(rowObjects(await session.query('SELECT status, export_run_id FROM operations_latest'))).toEqual([
        { status: 'FAILED', export_run_id: 'run-new' },
      ]);
    } finally {
      session.close();
    }
  });
});
