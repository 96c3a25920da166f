import { createHash } from 'node:crypto';
import { describeError, ExportError } from '../errors.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { parquetFacts } from '../lake/parquet-facts.js';
import type { CommittedFile, PlannedFile } from './batch-records.js';

/**
 * Takes over a data file that already exists under a batch's planned key: a run that crashed
 * after completing it and before writing the batch's done record. The file is never written again
 * (committed files are never replaced); instead it is read and checked: readable Parquet of the
 * planned table, and holding only executions the batch planned for it. Its size, SHA-256, row
 * count and the executions it actually holds go into the done record.
 *
 * @returns the committed file, or `undefined` when no object exists under the key
 * @throws ExportError (stage `commit`) when the object is not a file this batch could have written
 */
export async function adoptFile(
  reader: ObjectReader,
  planned: PlannedFile,
  batchExecutions: ReadonlySet<string>,
): Promise<CommittedFile | undefined> {
  const bytes = await reader.read(planned.key);
  if (bytes === undefined) return undefined;
  const where = reader.describe(planned.key);
  const refuse = (why: string, cause?: unknown) =>
    new ExportError(
      `${where} exists but cannot be adopted for table ${planned.table} dt=${planned.dt}: ${why}; it is left untouched`,
      { stage: 'commit', key: planned.key },
      cause === undefined ? undefined : { cause },
    );
  let facts: Awaited<ReturnType<typeof parquetFacts>>;
  try {
    facts = await parquetFacts(bytes, { decodeAll: true });
  } catch (error) {
    throw refuse(`it is not readable Parquet (${describeError(error)})`, error);
  }
  if (facts.table !== planned.table) throw refuse(`its footer names table ${String(facts.table)}`);
  if (facts.rowsDecoded !== facts.rows) {
    throw refuse(`its footer says ${facts.rows} rows but ${facts.rowsDecoded} were decoded`);
  }
  const foreign = [...facts.executionArns].filter((arn) => !batchExecutions.has(arn));
  if (foreign.length > 0) {
    throw refuse(`it holds ${foreign.length} execution(s) that are not in the batch, e.g. ${foreign[0]}`);
  }
  return {
    key: planned.key,
    table: planned.table,
    dt: planned.dt,
    executions: [...facts.executionArns].sort(),
    rows: facts.rows,
    bytes: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    adopted: true,
  };
}
