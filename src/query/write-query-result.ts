import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { type FormatOptions, type QueryOutputFormat, queryFormatter } from './format-query-result.js';
import type { QueryStream } from './query-stream.js';

/**
 * Writes a streaming query result to `out` page by page, in `format`, waiting whenever `out` is
 * full: memory stays bounded by one page of rows (the table: its first rows, to lay out columns),
 * however large the result. Returns the number of rows written.
 *
 * @example
 * await withLakeQuery('./lake', 'SELECT * FROM operations', (stream) =>
 *   writeQueryResult(stream, 'csv', process.stdout),
 * );
 */
export async function writeQueryResult(
  stream: QueryStream,
  format: QueryOutputFormat,
  out: Writable,
  options: FormatOptions = {},
): Promise<number> {
  const formatter = queryFormatter(stream.columns, format, options);
  const write = async (text: string): Promise<void> => {
    if (text !== '' && !out.write(text)) await once(out, 'drain');
  };
  let rows = 0;
  for await (const page of stream.pages()) {
    rows += page.text.length;
    await write(formatter.page(page));
  }
  await write(formatter.end());
  return rows;
}
