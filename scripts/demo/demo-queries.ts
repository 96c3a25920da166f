import { DuckDBInstance } from '@duckdb/node-api';

const QUERIES: { title: string; sql: string }[] = [
  {
    title: 'Operations per type and status',
    sql: `SELECT type, status, count(*) AS operations
          FROM operations GROUP BY type, status ORDER BY type, operations DESC`,
  },
  {
    title: 'Slowest steps (p95 duration per step name)',
    sql: `SELECT name, count(*) AS runs, sum(CASE WHEN is_error THEN 1 ELSE 0 END) AS failed,
                 max(attempt) AS max_attempt,
                 round(quantile_cont(duration_ms, 0.95)) AS p95_ms
          FROM operations WHERE type = 'STEP' AND duration_ms IS NOT NULL
          GROUP BY name ORDER BY p95_ms DESC LIMIT 8`,
  },
  {
    title: 'Executions per day and status',
    sql: `SELECT dt, status, count(*) AS executions FROM executions GROUP BY dt, status ORDER BY dt, status`,
  },
];

/** Runs the demo's questions over a local copy of the lake and prints each result as a table. */
export async function printDemoQueries(lake: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    for (const table of ['operations', 'executions']) {
      await db.run(
        `CREATE VIEW ${table} AS SELECT * FROM read_parquet('${lake}/${table}/*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})`,
      );
    }
    for (const { title, sql } of QUERIES) {
      const reader = await db.runAndReadAll(sql);
      console.log(`-- ${title}`);
      printTable(reader.columnNames(), reader.getRowsJS());
      console.log('');
    }
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

function printTable(columns: string[], rows: unknown[][]): void {
  const cells = [columns, ...rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(line(cells[0] ?? []));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
}
