import type { QueryColumn, QueryPage, QueryResult } from './query-stream.js';

/**
 * A query result as text for the `query` command: an aligned table for people, CSV (RFC 4180
 * quoting, LF line ends) or JSON (an array of objects, one row a line) for tools. Each format is
 * written page by page, so a result of any size is formatted in bounded memory.
 */
export type QueryOutputFormat = 'table' | 'csv' | 'json';

export interface FormatOptions {
  /** Table cells longer than this are cut and end in `…` (default 60); `Infinity` shows them whole. */
  readonly maxCellWidth?: number;
}

/** The table's default widest cell, in characters. */
export const MAX_CELL_WIDTH = 60;

/**
 * Rows the table holds back to measure its column widths; cells in later rows wider than their
 * column (up to the widest cell) push the rest of their row right.
 */
export const TABLE_LAYOUT_ROWS = 1000;

/** Formats one result page by page: the text of each page, then the text that ends the output. */
export interface QueryFormatter {
  page(page: QueryPage): string;
  end(): string;
}

export function queryFormatter(
  columns: readonly QueryColumn[],
  format: QueryOutputFormat,
  options: FormatOptions = {},
): QueryFormatter {
  if (format === 'csv') return csvFormatter(columns);
  if (format === 'json') return jsonFormatter(columns);
  return tableFormatter(columns, options.maxCellWidth ?? MAX_CELL_WIDTH);
}

/** A whole result as text. */
export function formatQueryResult(
  result: QueryResult,
  format: QueryOutputFormat,
  options: FormatOptions = {},
): string {
  const formatter = queryFormatter(result.columns, format, options);
  return formatter.page(result) + formatter.end();
}

/**
 * Columns padded to their widest value in the first `TABLE_LAYOUT_ROWS` rows, NULL for nulls,
 * numbers right-aligned, then a row count.
 */
function tableFormatter(columns: readonly QueryColumn[], maxCellWidth: number): QueryFormatter {
  const names = columns.map((c) => c.name);
  const numeric = columns.map((c) => NUMERIC.test(c.type));
  const held: string[][] = [];
  let widths: number[] | undefined;
  let count = 0;
  const line = (row: readonly string[], columnWidths: readonly number[]): string =>
    row
      .map((cell, i) =>
        numeric[i] ? cell.padStart(columnWidths[i] ?? 0) : cell.padEnd(columnWidths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  /** Fixes the widths from the rows held back and prints the header and those rows. */
  const layout = (): string => {
    const measured = names.map((name, i) =>
      held.reduce((w, r) => Math.max(w, (r[i] ?? '').length), name.length),
    );
    const text = [line(names, measured), measured.map((w) => '-'.repeat(w)).join('  ')];
    for (const row of held) text.push(line(row, measured));
    held.length = 0;
    widths = measured;
    return `${text.join('\n')}\n`;
  };
  return {
    page(page) {
      let text = '';
      for (const row of page.text) {
        const cells = row.map((v) => cut(v ?? 'NULL', maxCellWidth));
        count++;
        if (widths) text += `${line(cells, widths)}\n`;
        else held.push(cells);
        if (held.length >= TABLE_LAYOUT_ROWS) text += layout();
      }
      return text;
    },
    end() {
      return `${widths ? '' : layout()}(${count} row${count === 1 ? '' : 's'})\n`;
    },
  };
}

/** `text` cut to `max` characters (code points), the last one `…`. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // A code point is one or two UTF-16 units: this slice holds more than `max` of them if `text` does.
  const chars = Array.from(text.slice(0, 2 * max + 2));
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL)/;

function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvFormatter(columns: readonly QueryColumn[]): QueryFormatter {
  let header = `${columns.map((c) => csvField(c.name)).join(',')}\n`;
  const take = (): string => {
    const text = header;
    header = '';
    return text;
  };
  return {
    page: (page) => take() + page.text.map((r) => `${r.map(csvField).join(',')}\n`).join(''),
    end: take,
  };
}

/**
 * JSON values: integers as numbers (as strings beyond 2^53), decimals as numbers, timestamps in
 * ISO 8601 UTC (`2026-01-01T04:04:56.200Z`), dates, times and intervals as DuckDB prints them,
 * lists and structs as arrays and objects.
 */
function jsonFormatter(columns: readonly QueryColumn[]): QueryFormatter {
  const asText = columns.map((c) => AS_TEXT_IN_JSON.test(c.type));
  let rows = 0;
  return {
    page(page) {
      return page.rows
        .map((row, r) => {
          const object = Object.fromEntries(
            columns.map((column, i) => [
              column.name,
              asText[i] ? (page.text[r]?.[i] ?? null) : jsonValue(row[i]),
            ]),
          );
          return `${rows++ === 0 ? '[\n' : ',\n'}  ${JSON.stringify(object)}`;
        })
        .join('');
    },
    end: () => (rows === 0 ? '[]\n' : '\n]\n'),
  };
}

/** DATE, TIME and INTERVAL: as JS, a DATE would become a midnight timestamp, TIME a bigint. */
const AS_TEXT_IN_JSON = /^(DATE|TIME(?!STAMP)|INTERVAL)/;

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
