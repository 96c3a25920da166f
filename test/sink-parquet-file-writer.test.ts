import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ColumnSpec,
  executionsTable,
  type OperationRow,
  operationsTable,
  SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
  TABLE_KEY,
} from '../src/schema/index.js';
import { ParquetFileWriter } from '../src/sink/parquet-file-writer.js';
import { SinkError } from '../src/sink/sink-error.js';
import { asDuckDBRow, executionRow, operationRow, RecordingSink, readWithDuckDB } from './sink-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sink-pfw-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function metadataOf(sink: RecordingSink) {
  return parquetMetadata(new Uint8Array(sink.bytes()).buffer);
}

async function saved(sink: RecordingSink, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, sink.bytes());
  return path;
}

/** Row groups cut by bytes (50 KB) long before rows (1,000). */
const BYTES_BOUND = { rowGroupRows: 1000, rowGroupBytes: 50_000 };

describe('ParquetFileWriter', () => {
  it('writes the schema Athena wants: INT64 TIMESTAMP(MILLIS, UTC), UTF8 strings, lower-case names', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink });
    await writer.write([operationRow(0), operationRow(2)]);
    const result = await writer.close();
    expect(result).toMatchObject({ key: sink.key, rows: 2, rowGroups: 1, bytes: sink.bytes().byteLength });

    const meta = metadataOf(sink);
    const [root, ...leaves] = meta.schema;
    expect(root?.num_children).toBe(operationsTable.columns.length);
    expect(leaves.map((e) => e.name)).toEqual(operationsTable.columns.map((c) => c.name));
    for (const [i, column] of operationsTable.columns.entries()) {
      const element = leaves[i];
      expect(element?.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(element?.repetition_type).toBe(column.required ? 'REQUIRED' : 'OPTIONAL');
      if (column.type === 'timestamp') {
        expect(element).toMatchObject({
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        });
      }
      if (column.type === 'string')
        expect(element).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
      if (column.type === 'bigint') expect(element?.type).toBe('INT64');
      if (column.type === 'int') expect(element?.type).toBe('INT32');
      if (column.type === 'boolean') expect(element?.type).toBe('BOOLEAN');
    }
    const specs: readonly ColumnSpec[] = operationsTable.columns;
    for (const [i, chunk] of (meta.row_groups[0]?.columns ?? []).entries()) {
      expect(chunk.meta_data?.codec).toBe('SNAPPY');
      // Statistics (row-group pruning) on every column but the payloads.
      const payload = specs[i]?.statistics === false;
      expect(chunk.meta_data?.statistics?.null_count).toBeTypeOf(payload ? 'undefined' : 'bigint');
    }
    const withoutStatistics = specs.filter((c) => c.statistics === false).map((c) => c.name);
    expect(withoutStatistics).toEqual(['input_payload', 'result', 'error_data', 'error_stack_trace']);
    expect(meta.created_by).toMatch(/^durable-export version \d+\.\d+\.\d+/);
    expect(meta.key_value_metadata).toEqual([
      { key: SCHEMA_VERSION_KEY, value: String(SCHEMA_VERSION) },
      { key: TABLE_KEY, value: 'operations' },
    ]);
  });

  it('writes row groups of rowGroupRows and DuckDB reads every row back', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: executionsTable, sink, rowGroupRows: 4 });
    const rows = Array.from({ length: 10 }, (_, i) => executionRow(i));
    await writer.write(rows.slice(0, 3));
    await writer.write(rows.slice(3));
    expect(await writer.close()).toMatchObject({ rows: 10, rowGroups: 3 });
    expect(metadataOf(sink).row_groups.map((g) => g.num_rows)).toEqual([4n, 4n, 2n]);
    const back = await readWithDuckDB(await saved(sink, 'groups.parquet'), 'execution_name');
    const bigints = ['duration_ms', 'operation_count', 'invocation_count', 'contexts_pruned'];
    const expected = rows
      .map((r) => asDuckDBRow(r, bigints))
      .sort((a, b) => String(a.execution_name).localeCompare(String(b.execution_name)));
    expect(back.rows).toEqual(expected);
  });

  it('writes constantColumns in every row whatever the rows hold, and refuses a wrong-typed one', async () => {
    const sink = new RecordingSink();
    const exportedAt = new Date('2026-02-03T04:05:06.789Z');
    const writer = new ParquetFileWriter({
      table: executionsTable,
      sink,
      rowGroupRows: 4,
      constantColumns: { exported_at: exportedAt, export_run_id: 'batch-run' },
    });
    const rows = Array.from({ length: 10 }, (_, i) => executionRow(i));
    await writer.write(rows);
    expect(await writer.close()).toMatchObject({ rows: 10, rowGroups: 3 });
    const back = await readWithDuckDB(await saved(sink, 'constants.parquet'), 'execution_name');
    expect(back.rows).toHaveLength(10);
    for (const row of back.rows) {
      expect(row.export_run_id).toBe('batch-run');
      expect(row.exported_at).toEqual(exportedAt);
    }
    expect(new Set(rows.map((r) => r.export_run_id))).not.toContain('batch-run');

    const bad = new ParquetFileWriter({
      table: executionsTable,
      sink: new RecordingSink(),
      constantColumns: { exported_at: 'yesterday' },
    });
    await bad.write([executionRow(0)]);
    await expect(bad.close()).rejects.toThrow(/executions\.exported_at \(timestamp\) row 0: expected a Date/);
  });

  it('cuts a row group early at rowGroupBytes', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink, ...BYTES_BOUND });
    const result = (i: number) => `${i}`.padEnd(20_000, 'x');
    await writer.write(Array.from({ length: 10 }, (_, i) => operationRow(i, { result: result(i) })));
    const { rowGroups } = await writer.close();
    expect(rowGroups).toBe(4); // 3 rows reach 60 KB > 50 KB: groups of 3, 3, 3, 1
  });

  it('counts what rows of short values hold in memory against rowGroupBytes, not only their characters', async () => {
    const sink = new RecordingSink();
    // 1,000 operation rows: about 265 KB of characters (430 KB with 8 bytes for each other value,
    // the old estimate) but about 920 KB counted as memory (16 bytes a value, 64 a row), so a
    // 500 KB budget cuts them in two.
    const writer = new ParquetFileWriter({
      table: operationsTable,
      sink,
      rowGroupRows: 50_000,
      rowGroupBytes: 500_000,
    });
    await writer.write(Array.from({ length: 1000 }, (_, i) => operationRow(i)));
    expect(await writer.close()).toMatchObject({ rows: 1000, rowGroups: 2 });
  });

  it('counts a long value repeated in a column once against rowGroupBytes, and keeps every row value', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink, ...BYTES_BOUND });
    // A new string in every row (as each execution's parsed response gives), equal in all of them.
    const payload = () => `{"report":"${'y'.repeat(20_000)}"}`;
    const rows = Array.from({ length: 10 }, (_, i) => operationRow(i, { result: payload() }));
    await writer.write(rows);
    expect(await writer.close()).toMatchObject({ rows: 10, rowGroups: 1 });
    const back = await readWithDuckDB(await saved(sink, 'repeated.parquet'), 'operation_id');
    expect(back.rows.map((r) => r.result)).toEqual(rows.map(() => payload()));
  });

  it('awaits the sink after each row group before pulling more rows (backpressure)', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows: 2 });
    let pulled = 0;
    function* source(): Generator<OperationRow> {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield operationRow(i);
      }
    }
    sink.hold();
    let settled = false;
    const writing = writer.write(source()).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect({ pulled, chunks: sink.chunks.length, settled }).toEqual({ pulled: 2, chunks: 1, settled: false });
    sink.release();
    await writing;
    expect({ pulled, chunks: sink.chunks.length }).toEqual({ pulled: 6, chunks: 3 });
    await writer.close();
    expect(sink.events.at(-1)).toBe('complete');
  });

  it('writes a valid empty file when closed without rows', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink });
    expect(await writer.close()).toMatchObject({ rows: 0, rowGroups: 0 });
    const back = await readWithDuckDB(await saved(sink, 'empty.parquet'), 'operation_id');
    expect(back.rows).toEqual([]);
    expect(back.types.start_timestamp).toBe('TIMESTAMP WITH TIME ZONE');
  });

  it('rejects a null in a required column with table, column and row, and aborts the sink', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows: 2 });
    const bad = operationRow(1, { status: null as unknown as string });
    const error = await writer.write([operationRow(0), bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkError);
    expect(error).toMatchObject({ errorType: 'invalid_row', key: sink.key, context: { stage: 'sink' } });
    expect((error as Error).message).toBe('operations.status is required but row 1 has null');
    expect(sink.aborted).toBe(error);
    await expect(writer.close()).rejects.toMatchObject({ errorType: 'closed' });
  });

  it('rejects values of the wrong type with what it got', async () => {
    const writer = new ParquetFileWriter({ table: operationsTable, sink: new RecordingSink() });
    const rows = [operationRow(0, { depth: 2 ** 40 })];
    await writer.write(rows);
    await expect(writer.close()).rejects.toThrow(
      'operations.depth (int) row 0: expected a 32-bit integer, got number 1099511627776',
    );
    const other = new ParquetFileWriter({
      table: operationsTable,
      sink: new RecordingSink(),
      rowGroupRows: 1,
    });
    const invalidDate = operationRow(0, { start_timestamp: new Date(Number.NaN) });
    await expect(other.write([invalidDate])).rejects.toThrow('expected a valid Date, got Date(invalid)');
  });

  it('fails and aborts when the sink fails, and refuses further calls', async () => {
    const sink = new RecordingSink();
    const boom = new Error('disk full');
    sink.write = async () => {
      throw boom;
    };
    const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows: 1 });
    const error = await writer.write([operationRow(0)]).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorType: 'write_failed', key: sink.key, cause: boom });
    expect(sink.aborted).toBe(error);
    await expect(writer.write([operationRow(1)])).rejects.toThrow(/after the writer was failed/);
  });

  it('refuses overlapping calls', async () => {
    const sink = new RecordingSink();
    const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows: 1 });
    sink.hold();
    const first = writer.write([operationRow(0)]);
    await expect(writer.write([operationRow(1)])).rejects.toThrow(/while a previous call is still pending/);
    sink.release();
    await first;
    await writer.abort('test');
    expect(sink.events.at(-1)).toBe('abort');
  });
});
