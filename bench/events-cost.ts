/**
 * `npx tsx bench/events-cost.ts [--runs 3]`
 *
 * What the `events` table costs against `operations` alone, in the same run, on two data sets: the
 * demo's (200 synthetic executions, seed 42, functions orders and payments, as `make demo` serves
 * them) and the SDK fixtures (test/fixtures, AWS's own SDK). The local durable-execution service
 * runs in this process; each data set is exported to local Parquet with `--tables executions
 * operations`, `--tables executions events` and all tables, alternating, `--runs` times each after
 * one warm-up. Bytes are the table's files (the same every run); time is the whole export's, best
 * of the runs. Ratios are against the `executions operations` run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { runExportJob } from '../src/export-job.js';
import { loadDataFile } from '../src/local/data-file.js';
import { startLocalService } from '../src/local/service/local-service.js';
import type { StoredExecution } from '../src/local/service/stored-execution.js';
import { generateSyntheticExecutions } from '../src/local/synthetic/generate-executions.js';
import type { TableName } from '../src/schema/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const MODES: Record<string, TableName[]> = {
  'executions operations': ['executions', 'operations'],
  'executions events': ['executions', 'events'],
  'all four': ['operations', 'executions', 'events', 'invocations'],
};
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_REGION: 'us-east-1',
});

const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');
const dataSets: { name: string; functions: string[]; executions: () => Promise<StoredExecution[]> }[] = [
  {
    name: 'demo (200 synthetic, seed 42)',
    functions: ['orders', 'payments'],
    executions: async () =>
      generateSyntheticExecutions({ count: 200, seed: 42, functionNames: ['orders', 'payments'] }),
  },
  {
    name: 'SDK fixtures',
    functions: ['sdk-fixtures'],
    executions: async () =>
      (
        await Promise.all(
          ['sdk-executions.json', 'sdk-large-result.json'].map((f) => loadDataFile(join(fixtures, f))),
        )
      ).flat(),
  },
];

const work = await mkdtemp(join(tmpdir(), 'bench-events-'));
const lines: string[] = [];
try {
  for (const set of dataSets) {
    const service = await startLocalService({ executions: await set.executions() });
    try {
      const best: Record<
        string,
        { ms: number; bytes: Record<string, number>; rows: Record<string, number> }
      > = {};
      for (let i = -1; i < runs; i++) {
        for (const [mode, tables] of Object.entries(MODES)) {
          const config = await loadConfig({
            flags: {
              lambda: { requestsPerSecond: 10_000, maxConcurrent: 16 },
              export: {
                functions: set.functions,
                out: join(work, `${set.name.length}-${mode}-${i}`),
                tables,
              },
            },
          });
          const started = performance.now();
          const summary = await runExportJob(config, { endpointUrlLambda: service.url });
          const ms = performance.now() - started;
          if (summary.failures.length > 0) throw new Error(JSON.stringify(summary.failures));
          const bytes: Record<string, number> = {};
          const rows: Record<string, number> = {};
          for (const f of summary.files) {
            bytes[f.table] = (bytes[f.table] ?? 0) + f.bytes;
            rows[f.table] = (rows[f.table] ?? 0) + f.rows;
          }
          if (i >= 0 && (best[mode] === undefined || ms < (best[mode]?.ms ?? 0)))
            best[mode] = { ms, bytes, rows };
        }
      }
      const base = best['executions operations'];
      if (!base) throw new Error('no base run');
      const ops = base.bytes.operations ?? 0;
      const events = best['executions events'];
      const all = best['all four'];
      lines.push(
        `| ${set.name} | ${base.rows.operations} | ${events?.rows.events} | ${all?.rows.invocations} | ${ops} | ${events?.bytes.events} | ${((events?.bytes.events ?? 0) / ops).toFixed(2)} | ${((all?.bytes.invocations ?? 0) / ops).toFixed(2)} | ${base.ms.toFixed(0)} | ${((events?.ms ?? 0) / base.ms).toFixed(2)} | ${((all?.ms ?? 0) / base.ms).toFixed(2)} |`,
      );
    } finally {
      await service.close();
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
console.log(
  '| data set | operations rows | events rows | invocations rows | operations bytes | events bytes | events / operations bytes | invocations / operations bytes | ms, executions + operations | time: executions + events | time: all four |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const line of lines) console.log(line);
