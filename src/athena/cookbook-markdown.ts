import { TRINO_SHIM } from '../query/trino-shim.js';
import { COOKBOOK, type CookbookQuery } from './cookbook.js';

/**
 * docs/QUERIES.md, rendered from the cookbook and the dialect shim, so the doc shows exactly the
 * SQL the tests run. Regenerate with `npm run docs` (src/generated-files.ts lists it).
 */

const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The parameters of a query, or nothing when it has none. */
function parameters(query: CookbookQuery): string[] {
  if (query.params.length === 0) return [];
  return [
    'Parameters (the SQL above shows their defaults; in Athena edit the values, locally pass `--param name=value`):',
    '',
    ...query.params.map((p) => `- \`${p.name}\` (${p.type}, default \`${p.default}\`): ${p.description}`),
    '',
  ];
}

function section(query: CookbookQuery, index: number): string {
  const example = query.params.map((p) => ` --param ${p.name}=${p.default}`).join('');
  return [
    `<a id="${query.id}"></a>`,
    '',
    `## ${index + 1}. ${query.title}`,
    '',
    query.question,
    '',
    '```sql',
    query.sql,
    '```',
    '',
    ...parameters(query),
    `Locally: \`durable-export query --out /tmp/durable-lake --cookbook ${query.id}${example}\``,
  ].join('\n');
}

/** A Markdown table with padded columns, as the formatter (biome) writes it. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function shimTable(): string {
  return table(
    ['Athena (Trino)', 'DuckDB macro', 'difference'],
    TRINO_SHIM.map((m) => [`\`${cell(m.trino)}\``, `\`${cell(m.macro)}\``, cell(m.note || 'same result')]),
  );
}

export function cookbookMarkdown(): string {
  const contents = COOKBOOK.map((q, i) => `${i + 1}. [${q.title}](#${q.id})`).join('\n');
  return `# Query cookbook

<!-- Generated from src/athena/cookbook*.ts and src/query/trino-shim.ts by \`npm run docs\`.
     Edit those files, not this one. -->

Questions operators ask of an exported lake, each answered by one Athena query (Trino SQL) over
the views \`operations_latest\` (one row per operation) and \`executions_latest\` (one row per
execution), and the tables \`invocations\` (one row per Lambda invocation) and \`events\` (one row
per history event); the columns are described in [COLUMNS.md](COLUMNS.md). One lake can hold a
fleet: every row says which AWS account and Region its execution ran in (\`account_id\`,
\`region\`, from the execution ARN), so add them to a \`WHERE\` or \`GROUP BY\` to split any
query by account and Region.

## Latest views

A lake can hold an operation more than once, legitimately: an execution exported while
\`RUNNING\` and again after it ended, or by two jobs. Every row says which export wrote it
(\`exported_at\`, \`export_run_id\`), and the views \`operations_latest\` and \`executions_latest\`
keep one row per \`(execution_arn, operation_id)\` and per \`execution_arn\`: the one with the
newest \`exported_at\` (rows of files written before schema version 3, without it, rank last; ties
broken by \`export_run_id\`, then a finished row first, then \`status\`). The rule is one SQL
window, \`ROW_NUMBER() OVER (PARTITION BY dt, execution_arn[, operation_id] ORDER BY exported_at
DESC NULLS LAST, export_run_id DESC NULLS LAST, end_timestamp DESC NULLS LAST, status)\`
(src/schema/latest-row.ts); \`dt\` in the PARTITION BY keeps partition pruning through the view.
Query the plain tables \`operations\` and \`executions\` to see every version.

\`durable-export ddl\` prints the views (\`CREATE OR REPLACE VIEW\`) after the tables; \`export
--register-glue\` creates or updates them in Glue; \`durable-export query\` defines them in DuckDB.
In Glue a view Athena reads is a *Presto view*: a table with \`TableType\` \`VIRTUAL_VIEW\`,
\`Parameters\` \`{"presto_view": "true", "comment": "Presto View"}\`, \`ViewExpandedText\`
\`/* Presto View */\`, the columns (Hive types) in its \`StorageDescriptor\`, and \`ViewOriginalText\`
\`/* Presto View: <base64> */\`, where \`<base64>\` encodes the UTF-8 JSON
\`{"originalSql": "<the SELECT>", "catalog": "awsdatacatalog", "schema": "<database>", "columns":
[{"name": "...", "type": "<Presto type: varchar, bigint, integer, boolean, timestamp(3)>"}]}\`
(src/athena/latest-views.ts; \`test/latest-views.test.ts\` decodes what it encodes).

**In Athena**: create the tables once (\`durable-export ddl --out s3://BUCKET/PREFIX\` prints the
DDL, or \`durable-export export ... --register-glue\` registers them in Glue), choose the database
(\`durable_export\` by default) and paste a query. \`dt\` is the execution's start day (UTC) as a
string \`YYYY-MM-DD\` and the partition column: a condition on it such as
\`dt BETWEEN '2026-01-01' AND '2026-01-31'\` makes Athena read only those days, through the
views too. Join tables and views on \`execution_arn\` **and** \`dt\`, so that both sides are pruned.

**Locally, with DuckDB**: \`durable-export query --out /tmp/durable-lake --cookbook <id>\` runs a
query below by its id (\`--param name=value\` sets a parameter: its value is checked against its
type and put in as a SQL literal; an unknown name is a usage error), and
\`durable-export query --out s3://BUCKET/PREFIX "SELECT ..."\` any SQL (from an S3 lake, only the
files the query reads are copied to a temporary directory first: the tables it names, and the
\`dt\` days its WHERE selects). The same SQL runs unchanged, thanks to the
[dialect shim](#dialect-shim).

Every query below is run by the test suite (\`test/cookbook-queries.test.ts\`) over a lake exported
from synthetic executions, and its result is checked against the generator's own record of them.

${contents}

${COOKBOOK.map(section).join('\n\n')}

<a id="dialect-shim"></a>

## Athena SQL in DuckDB: the dialect shim

\`durable-export query\` opens DuckDB with the session time zone UTC (as Athena) and defines one
macro per Trino function that DuckDB lacks or spells differently, so queries run as written (no
text rewriting). Functions common to both need nothing: \`count_if\`, \`max_by\`, \`arbitrary\`,
\`coalesce\`, \`nullif\`, \`try_cast\`, \`round\`, \`date_trunc\`, \`current_timestamp\`,
\`6 * INTERVAL '1' HOUR\`, \`WITH RECURSIVE\`.

${shimTable()}

Writing portable queries:

- \`GROUP BY\` ordinals or columns, not output aliases (Trino rejects aliases there).
- Divide doubles (\`CAST(x AS double) / y\`): integer division truncates in Trino but not in
  DuckDB, and Trino's decimal division keeps only the larger scale of its operands.
- Percentiles from \`approx_percentile\` are approximate in Athena and may differ slightly from
  DuckDB's exact values.
- A recursive query stops at Trino's \`max_recursion_depth\` (10 by default): the path walk covers
  operations nested up to 10 levels deep.

## Schema evolution

Columns are only ever added at the end of a table, and never renamed, retyped or removed. Files
written before a column existed have no such column: Athena and \`durable-export query\` read it as
NULL for their rows (\`union_by_name\` in DuckDB; Parquet columns are matched by name in Athena).
After an upgrade that appends columns, \`export --register-glue\` appends them to the Glue tables;
tables created from the DDL need \`ALTER TABLE <table> ADD COLUMNS (...)\` or to be created again
(dropping an external table keeps its files).
`;
}
