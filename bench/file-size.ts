/**
 * `npm run bench:file-size [-- --copies 300 --synthetic 2000 --no-columns]`
 *
 * Our Parquet bytes against DuckDB's on the same rows. Two data sets are exported through the real
 * pipeline (local durable service, `runExportJob`, ParquetFileWriter) to a local lake: the recorded
 * SDK executions (test/fixtures/sdk-*.json, each repeated `--copies` times under new execution
 * ids) and the synthetic demo data. Each of our files is then rewritten by DuckDB with
 * `COPY ... (FORMAT PARQUET, COMPRESSION SNAPPY)`; the table compares the bytes per table, and per
 * column (summed `total_compressed_size` of `parquet_metadata()`), as a ratio ours/DuckDB's.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { loadDataFile } from '../src/local/data-file.js';
import { startLocalService } from '../src/local/service/local-service.js';
import type { StoredExecution } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import { rateLimitsAll } from '../test/support/rate-limits.js';
import { isMain } from './is-main.js';

const FIXTURES = ['sdk-executions.json', 'sdk-large-result.json'].map((f) =>
  join(import.meta.dirname, '..', 'test', 'fixtures', f),
);

/** The SDK executions, `copies` times each, every copy under its own execution ARN. */
async function sdkExecutions(copies: number): Promise<StoredExecution[]> {
  const recorded = (await Promise.all(FIXTURES.map((f) => loadDataFile(f)))).flat();
  const out: StoredExecution[] = [];
  for (let copy = 0; copy < copies; copy++) {
    for (const record of recorded) {
      const arn = String(record.execution.DurableExecutionArn);
      const text = JSON.stringify({ execution: record.execution, events: record.events });
      out.push(JSON.parse(text.replaceAll(arn, `${arn}-${copy}`)) as StoredExecution);
    }
  }
  return out;
}

function functionNamesOf(executions: readonly StoredExecution[]): string[] {
  const names = executions.map((e) => String(e.execution.FunctionArn).split(':')[6] ?? '');
  return [...new Set(names)];
}

/** Exports `executions` to `out` with the defaults, as the CLI does. */
async function exportLake(executions: StoredExecution[], out: string): Promise<void> {
  const service = await startLocalService({ executions });
  try {
    const config = await loadConfig({
      flags: {
        // Every API lifted: the bytes are the question here, not the quotas.
        lambda: { rateLimits: rateLimitsAll(10_000), maxConcurrent: 16 },
        export: { functions: functionNamesOf(executions), out },
      },
    });
    const summary = await runExportJob(config, { endpointUrlLambda: service.url });
    if (summary.executionsExported !== executions.length) {
      throw new Error(`exported ${summary.executionsExported} of ${executions.length} executions`);
    }
  } finally {
    await service.close();
  }
}

export interface Compared {
  table: string;
  rows: number;
  ours: number;
  duckdb: number;
  files: number;
  /** DuckDB's rewrite of all of the table's rows into one file. */
  duckdbOneFile: number;
  columns: Map<string, { ours: number; duckdb: number; oursEnc: Set<string>; duckdbEnc: Set<string> }>;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Rewrites each data file of `table` with DuckDB and compares bytes, per file and per column. */
async function compareTable(lake: string, table: string, scratch: string): Promise<Compared> {
  const files = (await readdir(join(lake, table), { recursive: true }))
    .filter((f) => f.endsWith('.parquet') && !f.split('/').some((s) => s.startsWith('_')))
    .map((f) => join(lake, table, f));
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const result: Compared = {
    table,
    rows: 0,
    ours: 0,
    duckdb: 0,
    files: files.length,
    duckdbOneFile: 0,
    columns: new Map(),
  };
  const oneFile = join(scratch, `${table}-all.parquet`);
  await c.run(
    `COPY (SELECT * FROM read_parquet([${files.map(literal).join(', ')}], hive_partitioning = false)) TO ${literal(oneFile)} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
  );
  result.duckdbOneFile = (await stat(oneFile)).size;
  for (const [i, file] of files.entries()) {
    const copy = join(scratch, `${table}-${i}.parquet`);
    await c.run(
      `COPY (SELECT * FROM read_parquet(${literal(file)}, hive_partitioning = false)) TO ${literal(copy)} (FORMAT PARQUET, COMPRESSION SNAPPY)`,
    );
    result.ours += (await stat(file)).size;
    result.duckdb += (await stat(copy)).size;
    const count = await c.runAndReadAll(`SELECT count(*) FROM read_parquet(${literal(file)})`);
    result.rows += Number(count.getRows()[0]?.[0]);
    for (const [side, path] of [
      ['ours', file],
      ['duckdb', copy],
    ] as const) {
      const meta = await c.runAndReadAll(
        `SELECT path_in_schema, sum(total_compressed_size)::BIGINT, string_agg(DISTINCT encodings, ' ') FROM parquet_metadata(${literal(path)}) GROUP BY 1`,
      );
      for (const [column, bytes, encodings] of meta.getRows()) {
        const entry = result.columns.get(String(column)) ?? {
          ours: 0,
          duckdb: 0,
          oursEnc: new Set<string>(),
          duckdbEnc: new Set<string>(),
        };
        entry[side] += Number(bytes);
        for (const e of String(encodings).split(/[ ,]+/))
          entry[side === 'ours' ? 'oursEnc' : 'duckdbEnc'].add(e);
        result.columns.set(String(column), entry);
      }
    }
  }
  c.closeSync();
  db.closeSync();
  return result;
}

const kib = (n: number) => (n / 1024).toFixed(1);

/** One data set's tables, ours against DuckDB's. */
export interface FileSizeSet {
  name: string;
  compared: Compared[];
}

function report(name: string, compared: Compared[], columns: boolean): void {
  console.log(`\n### ${name}\n`);
  console.log(
    '| table | rows | files | ours KiB | DuckDB KiB, file by file | ours / DuckDB | DuckDB KiB, one file | ours / DuckDB one file |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const t of compared) {
    console.log(
      `| ${t.table} | ${t.rows} | ${t.files} | ${kib(t.ours)} | ${kib(t.duckdb)} | ${(t.ours / t.duckdb).toFixed(2)} | ${kib(t.duckdbOneFile)} | ${(t.ours / t.duckdbOneFile).toFixed(2)} |`,
    );
  }
  if (!columns) return;
  for (const t of compared) {
    console.log(
      `\n${name}, \`${t.table}\` per column (compressed bytes of the column chunks; footer and indexes excluded):\n`,
    );
    console.log('| column | ours KiB | encodings | DuckDB KiB | encodings | ours / DuckDB |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const columns = [...t.columns].sort((a, b) => b[1].ours - a[1].ours);
    for (const [column, c] of columns) {
      const ratio = c.duckdb === 0 ? '–' : (c.ours / c.duckdb).toFixed(2);
      const encodings = (set: Set<string>) => [...set].filter(Boolean).sort().join(', ');
      console.log(
        `| ${column} | ${kib(c.ours)} | ${encodings(c.oursEnc)} | ${kib(c.duckdb)} | ${encodings(c.duckdbEnc)} | ${ratio} |`,
      );
    }
    const oursColumns = columns.reduce((n, [, c]) => n + c.ours, 0);
    const duckColumns = columns.reduce((n, [, c]) => n + c.duckdb, 0);
    console.log(
      `| (everything else: footers, page indexes) | ${kib(t.ours - oursColumns)} | | ${kib(t.duckdb - duckColumns)} | | |`,
    );
  }
}

/** Exports the SDK executions (`copies` of each) and `synthetic` executions, and compares the bytes. */
export async function runFileSizeBench(copies: number, synthetic: number): Promise<FileSizeSet[]> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const work = await mkdtemp(join(tmpdir(), 'bench-file-size-'));
  try {
    const sets: [string, StoredExecution[]][] = [
      [`SDK executions (${copies} copies of each recorded one)`, await sdkExecutions(copies)],
      [
        `synthetic demo data (${synthetic} executions)`,
        generateSyntheticExecutions({ count: synthetic, seed: 1, functionNames: ['orders', 'payments'] }),
      ],
    ];
    const results: FileSizeSet[] = [];
    for (const [i, [name, executions]] of sets.entries()) {
      const lake = join(work, `lake-${i}`);
      await exportLake(executions, lake);
      const compared = [];
      for (const table of ['operations', 'executions']) compared.push(await compareTable(lake, table, work));
      results.push({ name, compared });
    }
    return results;
  } finally {
    if (!process.env.BENCH_KEEP) await rm(work, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values: flags } = parseArgs({
    options: {
      copies: { type: 'string', default: '300' },
      synthetic: { type: 'string', default: '2000' },
      'no-columns': { type: 'boolean', default: false },
    },
  });
  console.log(
    'Bytes of our Parquet files against DuckDB `COPY ... (FORMAT PARQUET, COMPRESSION SNAPPY)` of the same rows.',
  );
  for (const set of await runFileSizeBench(Number(flags.copies), Number(flags.synthetic))) {
    report(set.name, set.compared, !flags['no-columns']);
  }
}
