import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQueryResult } from '../src/query/format-query-result.js';
import { openLakeSession, rowObjects } from '../src/query/lake-session.js';
import { tableFiles } from '../src/query/lake-views.js';
import { executionsTable, operationsTable } from '../src/schema/index.js';

describe('the local lake session', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'lake-session-'));
    // Not Parquet at all: reading any of them would fail the query.
    for (const path of [
      'operations/dt=2026-01-01/_part-0.parquet.1a2b.tmp',
      'operations/dt=2026-01-01/_part-1.parquet',
      'operations/dt=2026-01-01/.hidden.parquet',
      'operations/_manifests/run.parquet',
      'operations/stray.parquet',
    ]) {
      await mkdir(join(work, path, '..'), { recursive: true });
      await writeFile(join(work, path), 'not parquet');
    }
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('reads only data files in dt= folders, skipping names Athena hides (_ and .)', async () => {
    expect(await tableFiles(work, 'operations')).toEqual([]);
    expect(await tableFiles(work, 'executions')).toEqual([]);
  });

  it('queries a lake without data files as empty tables with the schema columns and dt', async () => {
    const lake = await openLakeSession(work);
    try {
      expect(lake.files).toEqual({ operations: 0, executions: 0, events: 0, invocations: 0 });
      expect(rowObjects(await lake.query('SELECT count(*) AS n FROM operations'))).toEqual([{ n: 0n }]);
      const described = rowObjects(await lake.query('DESCRIBE SELECT * FROM executions'));
      expect(described.map((r) => r.column_name)).toEqual([
        ...executionsTable.columns.map((c) => c.name),
        'dt',
      ]);
      const types = rowObjects(await lake.query('DESCRIBE SELECT * FROM operations'));
      const type = (name: string) => types.find((r) => r.column_name === name)?.column_type;
      expect([type('start_timestamp'), type('depth'), type('duration_ms'), type('is_error')]).toEqual([
        'TIMESTAMP WITH TIME ZONE',
        'INTEGER',
        'BIGINT',
        'BOOLEAN',
      ]);
      expect(types).toHaveLength(operationsTable.columns.length + 1);
    } finally {
      lake.close();
    }
  });

  it('reports a failing query as a usage error with DuckDB’s message', async () => {
    const lake = await openLakeSession(work);
    try {
      await expect(lake.query('SELECT nope FROM operations')).rejects.toMatchObject({
        name: 'ConfigError',
        message: expect.stringMatching(/^query failed: Binder Error: .*nope/),
      });
    } finally {
      lake.close();
    }
  });

  it('formats results as an aligned table, CSV (RFC 4180 quoting, LF) and JSON (ISO 8601 timestamps)', async () => {
    const lake = await openLakeSession(work);
    try {
      const result = await lake.query(
        `SELECT 'a,"b"' AS text, 9007199254740993::BIGINT AS big, 7::BIGINT AS small, NULL::VARCHAR AS missing,
                TIMESTAMPTZ '2026-01-02 03:04:05.006+00' AS at, 1.25::DECIMAL(5,2) AS dec`,
      );
      expect(formatQueryResult(result, 'csv')).toBe(
        'text,big,small,missing,at,dec\n"a,""b""",9007199254740993,7,,2026-01-02 03:04:05.006+00,1.25\n',
      );
      expect(JSON.parse(formatQueryResult(result, 'json'))).toEqual([
        {
          text: 'a,"b"',
          big: '9007199254740993',
          small: 7,
          missing: null,
          at: '2026-01-02T03:04:05.006Z',
          dec: 1.25,
        },
      ]);
      expect(formatQueryResult(result, 'table').split('\n')).toEqual([
        'text                big  small  missing  at                           dec',
        '-----  ----------------  -----  -------  --------------------------  ----',
        'a,"b"  9007199254740993      7  NULL     2026-01-02 03:04:05.006+00  1.25',
        '(1 row)',
        '',
      ]);
    } finally {
      lake.close();
    }
  });
});
