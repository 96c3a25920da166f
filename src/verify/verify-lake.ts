import pMap from 'p-map';
import { manifestsFolder } from '../commit/state-keys.js';
import { readCompactionLedger } from '../compact/pending-compactions.js';
import type { ObjectReader } from '../lake/object-reader.js';
import { executionsTable } from '../schema/index.js';
import { checkDataFile } from './check-data-file.js';
import { type DuckDbCheck, openDuckDbCheck } from './duckdb-check.js';
import { uncommittedWriters } from './uncommitted-writers.js';
import { classifyKey, type VerifyProblem, type VerifyReport } from './verify-types.js';

export interface VerifyLakeOptions {
  /** Also read every file with DuckDB when `@duckdb/node-api` is installed (default true). */
  readonly duckdb?: boolean;
  /** Files checked at once (default 4). */
  readonly concurrency?: number;
}

/**
 * Re-reads a lake and checks it against its manifests: every listed file exists with its size,
 * SHA-256, table, row count and executions, and is readable (hyparquet decodes every column;
 * DuckDB reads every row); no data file is outside the manifests (`_`-prefixed paths are
 * ignored); no execution has rows in two committed files of one table. Files a committed
 * compaction replaced, and the new files of a compaction not committed yet, are neither checked
 * nor extra: readers skip them (src/compact/).
 */
export async function verifyLake(
  lake: { readonly reader: ObjectReader; readonly prefix: string; readonly label: string },
  options: VerifyLakeOptions = {},
): Promise<VerifyReport> {
  const { reader, prefix } = lake;
  const found = new Map<string, number>();
  for await (const object of reader.list(prefix === '' ? '' : `${prefix}/`)) {
    if (classifyKey(prefix, object.key).data) found.set(object.key, object.bytes);
  }
  const ledger = await readCompactionLedger(reader, prefix);
  const index = ledger.index;
  const problems: VerifyProblem[] = [...index.problems];
  if (index.manifests === 0) {
    problems.push({
      kind: 'manifest',
      key: manifestsFolder(prefix),
      detail: 'no manifest here: nothing was committed (wrong location, or no export has finished yet)',
    });
  }
  const opened = options.duckdb === false ? { unavailable: 'disabled' } : await openDuckDbCheck();
  const duckdb: DuckDbCheck | undefined = 'unavailable' in opened ? undefined : opened;
  const rows: Record<string, number> = {};
  let filesOk = 0;
  let bytes = 0;
  try {
    await pMap(
      [...index.expected.values()],
      async ({ file, manifests }) => {
        if (!found.has(file.key)) {
          problems.push({
            kind: 'missing',
            key: file.key,
            detail: `listed by ${manifests[0]}, not in the lake`,
          });
          return;
        }
        const problem = await checkDataFile(reader, file, duckdb);
        if (problem) {
          problems.push({ kind: 'corrupt', key: file.key, detail: problem });
          return;
        }
        filesOk++;
        bytes += file.bytes;
        rows[file.table] = (rows[file.table] ?? 0) + file.rows;
      },
      { concurrency: options.concurrency ?? 4 },
    );
  } finally {
    duckdb?.close();
  }
  // Superseded files and the new files of an uncommitted compaction are accounted for, not extra.
  const extras = [...found.keys()].filter((key) => !index.expected.has(key) && !ledger.hidden.has(key));
  const writers = extras.length > 0 ? await uncommittedWriters(reader, prefix) : new Map<string, string>();
  for (const key of extras) {
    const writer = writers.get(key);
    problems.push({
      kind: 'extra',
      key,
      detail: writer
        ? `in no manifest: written by ${writer} but not committed yet (run the same export again to commit it)`
        : 'in no manifest (not written by a committed durable-export run)',
    });
  }
  const committed = [...index.expected.values()].map((e) => e.file);
  problems.push(...duplicates(committed, index.rechecked), ...incomplete(committed));
  problems.sort((a, b) => (a.kind + a.key < b.kind + b.key ? -1 : 1));
  return {
    location: lake.label,
    manifests: index.manifests,
    jobs: index.jobs,
    filesExpected: index.expected.size,
    filesOk,
    filesFound: found.size,
    compactions: index.compactions.length,
    filesSuperseded: [...index.superseded.keys()].filter((key) => found.has(key)).length,
    filesPending: [...ledger.hidden].filter((key) => found.has(key) && !index.superseded.has(key)).length,
    rows,
    bytes,
    duckdbSkipped: 'unavailable' in opened ? opened.unavailable : undefined,
    problems,
  };
}

/**
 * Executions with rows in another table but no `executions` row (a stopped run completed only some
 * of their files), one problem per file of that other table.
 */
function incomplete(files: readonly { key: string; table: string; executions: string[] }[]): VerifyProblem[] {
  const withRow = new Set(files.filter((f) => f.table === executionsTable.name).flatMap((f) => f.executions));
  return files
    .filter((f) => f.table !== executionsTable.name)
    .map((f) => ({ key: f.key, table: f.table, without: f.executions.filter((arn) => !withRow.has(arn)) }))
    .filter((f) => f.without.length > 0)
    .map((f) => ({
      kind: 'incomplete' as const,
      key: f.key,
      detail: `${f.without.length} execution(s) have ${f.table} here but no executions row, e.g. ${f.without[0]}`,
    }));
}

/**
 * Executions whose rows are in two committed files of the same table, one problem per file pair;
 * not those a `--since-last-run` job re-checked and exported again (a newer version, by design).
 */
function duplicates(
  files: readonly { key: string; table: string; executions: string[] }[],
  rechecked: ReadonlySet<string>,
): VerifyProblem[] {
  const owner = new Map<string, string>();
  const pairs = new Map<string, { key: string; other: string; count: number; example: string }>();
  for (const file of files) {
    for (const arn of file.executions) {
      if (rechecked.has(arn)) continue;
      const id = `${file.table} ${arn}`;
      const other = owner.get(id);
      if (other === undefined) {
        owner.set(id, file.key);
        continue;
      }
      const pair = pairs.get(`${other} ${file.key}`) ?? { key: file.key, other, count: 0, example: arn };
      pair.count++;
      pairs.set(`${other} ${file.key}`, pair);
    }
  }
  return [...pairs.values()].map((p) => ({
    kind: 'duplicate' as const,
    key: p.key,
    detail: `${p.count} execution(s) also in ${p.other}, e.g. ${p.example}`,
  }));
}
