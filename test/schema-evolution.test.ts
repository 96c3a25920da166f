import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaDdl } from '../src/athena/create-table-ddl.js';
import { createLambdaClient } from '../src/aws/lambda-client.js';
import { startLocalService } from '../src/local/service/local-service.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { partitionedRowSink } from '../src/pipeline/partitioned-row-sink.js';
import type { RowSink } from '../src/pipeline/row-sink.js';
import { runExport } from '../src/pipeline/run-export.js';
import { type LakeSession, openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { executionsTable, operationsTable, PROVENANCE_COLUMNS, type TableSpec } from '../src/schema/index.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { PartitionedSink } from '../src/sink/partitioned-sink.js';
import { historySource } from '../src/source/history-source.js';
import { executionRow, operationRow } from './sink-fixtures.js';
import { exportSyntheticLake } from './support/export-synthetic-lake.js';
import { asVersion3 } from './support/previous-schema-lake.js';

/**
 * The evolution rule (columns only appended, never renamed or retyped) in practice: a lake written
 * by the current schema, then by a newer one with a column appended, reads back in one query, the
 * new column NULL for the older rows.
 */

/** A test-only "next version" of the schema: operations with one optional column at the end. */
const operationsV2: TableSpec = {
  ...operationsTable,
  columns: [
    ...operationsTable.columns,
    { name: 'retry_budget_ms', type: 'bigint', required: false, description: 'Test-only appended column.' },
  ],
};
const BUDGET_MS = 60_000;

/** Exports `source` with the v2 schema through the real pipeline (history source → transform → sink). */
async function exportWithV2(lakeDir: string, seed: number): Promise<number> {
  const source = generateSyntheticExecutions({ count: 6, seed, functionNames: ['orders'] });
  const service = await startLocalService({ executions: source });
  const client = createLambdaClient({
    endpoint: service.url,
    region: 'us-east-1',
    maxAttempts: 2,
    connectionTimeoutMs: 2000,
    requestTimeoutMs: 10_000,
  });
  const inner = partitionedRowSink(
    new PartitionedSink({
      store: new LocalObjectStore(lakeDir),
      prefix: '',
      runId: 'schema-v2',
      tables: { operations: operationsV2 },
    }),
  );
  // The newer transform fills the new column.
  const sink: RowSink = {
    ...inner,
    write: (rows) =>
      inner.write({
        ...rows,
        tables: {
          ...rows.tables,
          operations: rows.tables.operations.map((r) => ({ ...r, retry_budget_ms: BUDGET_MS })),
        },
      }),
  };
  try {
    const summary = await runExport({
      source: historySource({
        client,
        functions: ['orders'],
        pageSize: 1000,
        executionsInFlight: 4,
        markerRestartLimit: 2,
      }),
      sink,
    });
    expect(summary.executionsExported).toBe(source.length);
    return source.reduce((n, e) => n + e.expectedOperations.length, 0);
  } finally {
    client.destroy();
    await service.close();
  }
}

describe('schema evolution: a column appended at the end', () => {
  let work: string;
  let lake: LakeSession;
  let v1Rows: number;
  let v2Rows: number;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'evolution-'));
    const lakeDir = join(work, 'lake');
    const v1 = await exportSyntheticLake(lakeDir, { count: 6, seed: 31, functionNames: ['orders'] });
    v1Rows = v1.source.reduce((n, e) => n + e.expectedOperations.length, 0);
    v2Rows = await exportWithV2(lakeDir, 32);
    lake = await openLakeSession(lakeDir);
  });
  afterAll(async () => {
    lake?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads old and new files in one query, with NULL in the new column for the old rows', async () => {
    const rows = rowObjects(
      await lake.query(`SELECT retry_budget_ms IS NULL AS old_row, count(*) AS n, min(retry_budget_ms) AS budget
                        FROM operations GROUP BY 1 ORDER BY 1`),
    );
    expect(rows).toEqual([
      { old_row: false, n: BigInt(v2Rows), budget: BigInt(BUDGET_MS) },
      { old_row: true, n: BigInt(v1Rows), budget: null },
    ]);
  });

  it('puts the new column last, after the old ones, with its type', async () => {
    const described = rowObjects(await lake.query('DESCRIBE SELECT * FROM operations'));
    const names = described.map((r) => r.column_name);
    expect(names).toEqual([...operationsTable.columns.map((c) => c.name), 'retry_budget_ms', 'dt']);
    expect(described.find((r) => r.column_name === 'retry_budget_ms')?.column_type).toBe('BIGINT');
  });

  it('keeps the executions table readable (unchanged schema, both runs)', async () => {
    const [row] = rowObjects(await lake.query('SELECT count(*) AS n FROM executions'));
    expect(row?.n).toBe(12n);
  });

  it('appends the column at the end of the DDL too', () => {
    const ddl = athenaDdl({ lake: { bucket: 'b-1', prefix: '' } }, [operationsV2, executionsTable]);
    const last = operationsTable.columns.at(-1)?.name;
    expect(ddl).toMatch(
      new RegExp(
        ` {2}\`${last}\` \\w+ COMMENT '[^']*',\\n {2}\`retry_budget_ms\` bigint COMMENT 'Test-only appended column.'\\n\\)`,
      ),
    );
  });
});

/** The columns schema version 3 appended: the provenance columns, and `executions.contexts_pruned`. */
const V3_COLUMNS = new Set<string>([...PROVENANCE_COLUMNS.map((c) => c.name), 'contexts_pruned']);

/** `table` as schema version 2 wrote it: without the columns versions 3 and 4 appended. */
const asVersion2 = (table: TableSpec): TableSpec => ({
  ...asVersion3(table),
  columns: asVersion3(table).columns.filter((c) => !V3_COLUMNS.has(c.name)),
});

describe('schema version 3: files of version 2 read with the new columns NULL', () => {
  let work: string;
  let lake: LakeSession;
  const stamp = { export_run_id: 'v3-run', exported_at: new Date(Date.UTC(2026, 10, 30)) };

  async function write(lakeDir: string, runId: string, tables?: { [name: string]: TableSpec }, from = 0) {
    const sink = new PartitionedSink({ store: new LocalObjectStore(lakeDir), prefix: '', runId, tables });
    // Version 2 files leave out the columns their spec lacks.
    const ops = Array.from({ length: 4 }, (_, i) => operationRow(from + 3 * i, stamp));
    const execs = Array.from({ length: 2 }, (_, i) => executionRow(from + 2 * i, stamp));
    await sink.write('operations', '2025-01-31', ops);
    await sink.write('executions', '2025-01-31', execs);
    await sink.close();
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'evolution-v3-'));
    const lakeDir = join(work, 'lake');
    await write(lakeDir, 'v2', {
      operations: asVersion2(operationsTable),
      executions: asVersion2(executionsTable),
    });
    await write(lakeDir, 'v3', undefined, 100);
    lake = await openLakeSession(lakeDir);
  });
  afterAll(async () => {
    lake?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads exported_at, export_run_id and contexts_pruned as NULL from version 2 files', async () => {
    for (const [table, n] of [
      ['operations', 4n],
      ['executions', 2n],
    ] as const) {
      const rows = rowObjects(
        await lake.query(`SELECT export_run_id AS run, count(*) AS n, count(exported_at) AS stamped
                          FROM ${table} GROUP BY 1 ORDER BY 1 NULLS FIRST`),
      );
      expect(rows, table).toEqual([
        { run: null, n, stamped: 0n },
        { run: 'v3-run', n, stamped: n },
      ]);
    }
    const pruned = rowObjects(
      await lake.query(
        'SELECT export_run_id AS run, count(contexts_pruned) AS n FROM executions GROUP BY 1 ORDER BY 1 NULLS FIRST',
      ),
    );
    expect(pruned).toEqual([
      { run: null, n: 0n },
      { run: 'v3-run', n: 2n },
    ]);
  });
});
