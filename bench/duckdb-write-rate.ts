/**
 * The CPU reference of the memory bench: DuckDB writing the same rows to Parquet (SNAPPY) in the
 * same run. Each table of an exported lake is first loaded into a DuckDB in-memory table (not
 * timed), then `COPY ... TO` a Parquet file is timed: rows/s of DuckDB's Parquet writer, on all
 * the cores DuckDB cares to use, to set against our transform + encode rows/s. The stricter of the
 * two references: `duckdb-append-rate.ts` also times getting the rows in from JavaScript objects,
 * the reference issue #13's CPU target is set against.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Rows DuckDB wrote per second over every table of the lake in `dir`. */
export async function duckdbWriteRate(
  dir: string,
): Promise<{ rows: number; ms: number; rowsPerSecond: number }> {
  const out = await mkdtemp(join(tmpdir(), 'bench-duckdb-'));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  let rows = 0;
  let ms = 0;
  try {
    for (const table of await readdir(dir)) {
      if (table.startsWith('_')) continue;
      const glob = join(dir, table, 'dt=*', '*.parquet').replaceAll("'", "''");
      await c.run(
        `CREATE TABLE "${table}" AS SELECT * FROM read_parquet('${glob}', hive_partitioning = false)`,
      );
      const count = await c.runAndReadAll(`SELECT count(*) FROM "${table}"`);
      rows += Number(count.getRows()[0]?.[0] ?? 0);
      const started = performance.now();
      await c.run(
        `COPY "${table}" TO '${join(out, `${table}.parquet`)}' (FORMAT PARQUET, COMPRESSION SNAPPY)`,
      );
      ms += performance.now() - started;
    }
  } finally {
    c.closeSync();
    db.closeSync();
    await rm(out, { recursive: true, force: true });
  }
  return { rows, ms, rowsPerSecond: Math.round(rows / (ms / 1000)) };
}
