import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestFile } from '../commit/run-manifest.js';
import { describeError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { parquetFacts } from '../lake/parquet-facts.js';
import type { DuckDbCheck } from './duckdb-check.js';

/**
 * Checks one committed data file against its manifest entry: size, SHA-256, readable Parquet of
 * the right table with the listed row count and executions (hyparquet decodes every column), and,
 * with DuckDB, that DuckDB reads the same number of rows. Returns what is wrong, or `undefined`.
 * S3 objects are read into memory and, for DuckDB, written to a temporary file that is removed.
 */
export async function checkDataFile(
  reader: ObjectReader,
  entry: ManifestFile,
  duckdb: DuckDbCheck | undefined,
): Promise<string | undefined> {
  const bytes = await reader.read(entry.key);
  if (bytes === undefined) return 'disappeared while being verified';
  if (bytes.byteLength !== entry.bytes) return `size ${bytes.byteLength} bytes, manifest says ${entry.bytes}`;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== entry.sha256) return `SHA-256 ${sha256}, manifest says ${entry.sha256}`;
  let facts: Awaited<ReturnType<typeof parquetFacts>>;
  try {
    facts = await parquetFacts(bytes, { decodeAll: true });
  } catch (error) {
    return `not readable Parquet: ${describeError(error)}`;
  }
  if (facts.table !== entry.table)
    return `footer names table ${String(facts.table)}, manifest says ${entry.table}`;
  if (facts.rows !== entry.rows || facts.rowsDecoded !== entry.rows) {
    return `${facts.rows} rows in the footer, ${facts.rowsDecoded} decoded, manifest says ${entry.rows}`;
  }
  const listed = new Set(entry.executions);
  const differs =
    listed.size !== facts.executionArns.size || [...facts.executionArns].some((arn) => !listed.has(arn));
  if (differs)
    return `holds ${facts.executionArns.size} executions, manifest lists ${listed.size} (not the same)`;
  if (!duckdb) return undefined;
  return duckdbProblem(reader, entry, bytes, duckdb);
}

async function duckdbProblem(
  reader: ObjectReader,
  entry: ManifestFile,
  bytes: Uint8Array,
  duckdb: DuckDbCheck,
): Promise<string | undefined> {
  let dir: string | undefined;
  try {
    let path = reader.localPath?.(entry.key);
    if (path === undefined) {
      dir = await mkdtemp(join(tmpdir(), 'durable-export-verify-'));
      path = join(dir, 'file.parquet');
      await writeFile(path, bytes);
    }
    const rows = await duckdb.rowsOf(path);
    return rows === entry.rows ? undefined : `DuckDB reads ${rows} rows, manifest says ${entry.rows}`;
  } catch (error) {
    return `DuckDB cannot read it: ${describeError(error)}`;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
