/**
 * One encoder run, in its own process so its peak RSS is its own. Started by bench/encoders.ts:
 *   node --import tsx bench/encode-child.ts <encoder> <rows> <rowGroupRows> <outFile> <seed>
 * Streams generated rows into the encoder and prints one JSON line: EncodeResult.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import parquet from 'parquetjs-lite';
import { type OperationRow, operationsTable } from '../src/schema/index.js';
import { LocalObjectStore } from '../src/sink/local-object-store.js';
import { ParquetFileWriter } from '../src/sink/parquet-file-writer.js';
import { ENCODERS, type EncodeResult, isEncoder } from './encode-result.js';
import { emptyChecksum, operationRows } from './operation-rows.js';
import { peakRssKiB } from './peak-rss.js';

const BATCH = 1000;

/** Our production path: ParquetFileWriter (hyparquet-writer) into the local object store. */
async function viaHyparquet(rows: Iterable<OperationRow>, rowGroupRows: number, out: string): Promise<void> {
  const sink = new LocalObjectStore(dirname(out)).open(basename(out));
  const writer = new ParquetFileWriter({ table: operationsTable, sink, rowGroupRows });
  let batch: OperationRow[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length === BATCH) {
      await writer.write(batch);
      batch = [];
    }
  }
  await writer.write(batch);
  await writer.close();
}

/** The design card's choice, with the same columns, SNAPPY and v1 data pages. */
async function viaParquetjsLite(
  rows: Iterable<OperationRow>,
  rowGroupRows: number,
  out: string,
): Promise<void> {
  const typeOf = {
    string: 'UTF8',
    timestamp: 'TIMESTAMP_MILLIS',
    bigint: 'INT64',
    int: 'INT32',
    boolean: 'BOOLEAN',
  } as const;
  const fields = Object.fromEntries(
    operationsTable.columns.map((c) => [
      c.name,
      { type: typeOf[c.type], optional: !c.required, compression: 'SNAPPY' as const },
    ]),
  );
  const writer = await parquet.ParquetWriter.openFile(new parquet.ParquetSchema(fields), out, {
    rowGroupSize: rowGroupRows,
    useDataPageV2: false,
  });
  for (const row of rows) await writer.appendRow(row);
  await writer.close();
}

async function main(): Promise<void> {
  const [encoder, rowsArg, rowGroupArg, out, seedArg] = process.argv.slice(2);
  if (!isEncoder(encoder) || !out) {
    throw new Error(`usage: encode-child <${ENCODERS.join('|')}> <rows> <rowGroupRows> <outFile> <seed>`);
  }
  const checksum = emptyChecksum();
  const rows = operationRows(Number(rowsArg), Number(seedArg), checksum);
  const started = process.hrtime.bigint();
  if (encoder === 'hyparquet-writer') await viaHyparquet(rows, Number(rowGroupArg), out);
  else if (encoder === 'parquetjs-lite') await viaParquetjsLite(rows, Number(rowGroupArg), out);
  else for (const _ of rows); // generate-only: the generator's own cost and memory
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (encoder !== 'generate-only') await stat(out); // fail loudly if nothing was written
  const result: EncodeResult = {
    encoder,
    rows: checksum.rows,
    seconds,
    maxRssMiB: peakRssKiB() / 1024,
    checksum,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
