import type { QueryResult } from './lake-session.js';

/**
 * A query result as text for the `query` command: an aligned table for people, CSV (RFC 4180) or
 * JSON (an array of objects) for tools.
 */
export type QueryOutputFormat = 'table' | 'csv' | 'json';

export function formatQueryResult(result: QueryResult, format: QueryOutputFormat): string {
  if (format === 'csv') return csvOf(result);
  if (format === 'json') return `${JSON.stringify(jsonRowsOf(result), null, 2)}\n`;
  return tableOf(result);
}

/** Columns padded to their widest value, NULL for nulls, numbers right-aligned, then a row count. */
function tableOf(result: QueryResult): string {
  const names = result.columns.map((c) => c.name);
  const cells = result.text.map((row) => row.map((v) => v ?? 'NULL'));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = result.columns.map((c) => NUMERIC.test(c.type));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const count = `(${cells.length} row${cells.length === 1 ? '' : 's'})`;
  return `${[line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line), count].join('\n')}\n`;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP|INTERVAL)/;

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvOf(result: QueryResult): string {
  const lines = [result.columns.map((c) => csvField(c.name)), ...result.text.map((r) => r.map(csvField))];
  return lines.map((l) => `${l.join(',')}\r\n`).join('');
}

/**
 * JSON values: integers as numbers (as strings beyond 2^53), decimals as numbers, timestamps and
 * dates as DuckDB prints them, lists and structs as arrays and objects.
 */
function jsonRowsOf(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row, r) =>
    Object.fromEntries(
      result.columns.map((column, i) => [
        column.name,
        TEMPORAL.test(column.type) ? (result.text[r]?.[i] ?? null) : jsonValue(row[i]),
      ]),
    ),
  );
}

function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonValue(v)]));
  }
  return value;
}
