/**
 * The CPU reference issue #13 defines: DuckDB starting from the rows as JavaScript values, as our
 * encoder does ("appender, then `COPY ... (FORMAT PARQUET, COMPRESSION SNAPPY)`"). Each table of an
 * exported lake is read into JavaScript row objects (not timed: the shape our writer receives,
 * strings, `Date`s, bigints, numbers, booleans and nulls), then getting them into a DuckDB table
 * through @duckdb/node-api and the `COPY` of that table to Parquet are timed together.
 *
 * Two ways in are measured, and the faster one is the reference (so it is not made artificially
 * slow): `chunks`, the rows' values set column by column into data chunks of 2,048 rows
 * (`setColumnsConverted` with the JS converter) and handed over with `appendDataChunk`; and
 * `values`, one typed appender call per value (`appendVarchar`, `appendTimestampTZ`, ...).
 * `duckdb-write-rate.ts` is the stricter reference, `COPY` alone from DuckDB's own storage.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  DuckDBTypeId,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';

/** How the rows went into DuckDB: data chunks (`appendDataChunk`) or one typed call per value. */
export type AppendWay = 'chunks' | 'values';

/** DuckDB's rate from JavaScript rows to a Parquet file, by way in; `best` is the faster way. */
export interface AppendRate {
  rows: number;
  ms: Record<AppendWay, number>;
  best: AppendWay;
  rowsPerSecond: number;
}

type Row = Record<string, unknown>;
const CHUNK_ROWS = 2048;

/** Appends `rows` in data chunks of `CHUNK_ROWS`, their values converted by the JS converter. */
function appendChunks(appender: DuckDBAppender, rows: readonly Row[], names: readonly string[]): void {
  const types = names.map((_, i) => appender.columnType(i));
  const chunk = DuckDBDataChunk.create(types, CHUNK_ROWS);
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const slice = rows.slice(start, start + CHUNK_ROWS);
    const columns = names.map((name) => slice.map((row) => row[name] ?? null));
    // The JS converter checks each value against its column's type id.
    chunk.setColumnsConverted(columns as JS[][], JSToDuckDBValueConverter);
    appender.appendDataChunk(chunk);
    chunk.reset();
  }
}

/** Appends `rows` one typed call per value, chosen by each column's DuckDB type. */
function appendValues(appender: DuckDBAppender, rows: readonly Row[], names: readonly string[]): void {
  const appendBy: Record<number, (value: unknown) => void> = {
    [DuckDBTypeId.VARCHAR]: (v) => appender.appendVarchar(v as string),
    [DuckDBTypeId.TIMESTAMP_TZ]: (v) =>
      appender.appendTimestampTZ(new DuckDBTimestampTZValue(BigInt((v as Date).getTime()) * 1000n)),
    [DuckDBTypeId.BIGINT]: (v) => appender.appendBigInt(BigInt(v as bigint | number)),
    [DuckDBTypeId.INTEGER]: (v) => appender.appendInteger(v as number),
    [DuckDBTypeId.BOOLEAN]: (v) => appender.appendBoolean(v as boolean),
  };
  const appends = names.map((name, i) => {
    const type = appender.columnType(i);
    const append = appendBy[type.typeId];
    if (!append) throw new Error(`duckdb-append-rate: column ${name} has type ${type}, not handled`);
    return append;
  });
  for (const row of rows) {
    for (let i = 0; i < names.length; i++) {
      const value = row[names[i] as string];
      if (value === null || value === undefined) appender.appendNull();
      else (appends[i] as (value: unknown) => void)(value);
    }
    appender.endRow();
  }
}

const APPEND: Record<AppendWay, typeof appendChunks> = { chunks: appendChunks, values: appendValues };

/** Milliseconds to append `rows` into a fresh table shaped like `glob`'s files, then COPY it to Parquet. */
async function timeAppendAndCopy(
  c: DuckDBConnection,
  way: AppendWay,
  glob: string,
  rows: readonly Row[],
  names: readonly string[],
  target: string,
): Promise<number> {
  const table = `t_${way}`;
  await c.run(
    `CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_parquet('${glob}', hive_partitioning = false) LIMIT 0`,
  );
  const started = performance.now();
  const appender = await c.createAppender(table);
  APPEND[way](appender, rows, names);
  appender.closeSync();
  await c.run(`COPY ${table} TO '${target}' (FORMAT PARQUET, COMPRESSION SNAPPY)`);
  const ms = performance.now() - started;
  await c.run(`DROP TABLE ${table}`);
  return ms;
}

/** DuckDB's rows/s from JavaScript row objects to Parquet over every table of the lake in `dir`. */
export async function duckdbAppendRate(dir: string): Promise<AppendRate> {
  const out = await mkdtemp(join(tmpdir(), 'bench-duckdb-append-'));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  let rows = 0;
  const ms: Record<AppendWay, number> = { chunks: 0, values: 0 };
  try {
    for (const table of await readdir(dir)) {
      if (table.startsWith('_')) continue;
      const glob = join(dir, table, 'dt=*', '*.parquet').replaceAll("'", "''");
      const read = await c.runAndReadAll(`SELECT * FROM read_parquet('${glob}', hive_partitioning = false)`);
      const names = read.columnNames();
      const objects = read.getRowObjectsJS() as Row[];
      rows += objects.length;
      for (const way of ['chunks', 'values'] as const) {
        ms[way] += await timeAppendAndCopy(
          c,
          way,
          glob,
          objects,
          names,
          join(out, `${table}-${way}.parquet`),
        );
      }
    }
  } finally {
    c.closeSync();
    db.closeSync();
    await rm(out, { recursive: true, force: true });
  }
  const best: AppendWay = ms.chunks <= ms.values ? 'chunks' : 'values';
  return { rows, ms, best, rowsPerSecond: Math.round(rows / (ms[best] / 1000)) };
}
