import { athenaTypeOf } from './athena-type.js';
import type { TableSpec } from './column.js';

/**
 * `docs/COLUMNS.md`, generated from the schema module: one table per Parquet table, with each
 * column's Athena type, whether it is always set, and its description.
 */
export function columnsMarkdown(tables: readonly TableSpec[], schemaVersion: number): string {
  const parts = [
    '# Columns',
    '',
    `Generated from \`src/schema/\` (schema version ${schemaVersion}) by \`npm run docs\`; do not edit by hand.`,
    'Columns are only ever appended at the end of a table; they are never renamed, retyped or removed.',
    '',
  ];
  for (const table of tables) {
    parts.push(`## \`${table.name}\``, '', table.description, '');
    parts.push('| # | column | Athena type | always set | description |', '| --- | --- | --- | --- | --- |');
    table.columns.forEach((c, i) => {
      parts.push(
        `| ${i + 1} | \`${c.name}\` | ${athenaTypeOf(c.type)} | ${c.required ? 'yes' : ''} | ${c.description} |`,
      );
    });
    parts.push('', 'Partition column: `dt` (string, `YYYY-MM-DD`, the execution start day in UTC).', '');
  }
  return parts.join('\n');
}
