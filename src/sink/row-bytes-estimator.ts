import type { ColumnSpec } from '../schema/index.js';
import type { ConstantColumns, RowRecord } from './column-values.js';

/** Strings at least this long are checked for an equal one already buffered in their column. */
export const SHARED_STRING_MIN_CHARS = 1024;

/** Heap bytes of a buffered row object besides its values (a heap snapshot of an export). */
const ROW_OBJECT_BYTES = 64;
/**
 * Heap bytes per value besides a string's characters: its property slot and a string's header or
 * a boxed number; also what a reference to an already counted string counts.
 */
const VALUE_BYTES = 16;

/**
 * A cheap estimate of the memory a row group's buffered rows hold: string lengths, plus 16 bytes
 * per value and 64 per row for the object. `ParquetFileWriter` cuts a row group early when it
 * reaches `rowGroupBytes`, so neither a run of large payloads nor many rows of small values can
 * blow up memory. (Counting string lengths alone, rows of short strings held about three times
 * their estimate.)
 *
 * A long string (`SHARED_STRING_MIN_CHARS` or more) equal to the last one of the same length
 * buffered in its column is replaced in its row by that one, and counts as a reference only: the
 * row group keeps one copy of a repeated payload (the duplicate is garbage once the caller drops it),
 * so it takes no more of the budget than it takes memory. Without this, a payload repeated in every
 * row cut a row group every `rowGroupBytes / length` rows, and each row group wrote its own copy
 * of the payload in its column's dictionary (Parquet dictionaries are per column chunk).
 * Replacing a string by an equal one changes nothing a reader of the row can see; a row that cannot
 * be written to (frozen) keeps its own copy, which then counts in full.
 *
 * Only the string columns are read: the others, and the columns of `constants` (one value for the
 * whole file), count the same in every row.
 */
export class RowBytesEstimator {
  private readonly fixed: number;
  private readonly strings: readonly string[];
  /** Per string column, by length, the last long string buffered in it. */
  private readonly lastOfLength: Map<number, string>[];

  constructor(columns: readonly ColumnSpec[], constants: ConstantColumns = {}) {
    let fixed = ROW_OBJECT_BYTES;
    const strings: string[] = [];
    for (const column of columns) {
      if (column.type === 'string' && !Object.hasOwn(constants, column.name)) strings.push(column.name);
      else fixed += VALUE_BYTES;
    }
    this.fixed = fixed;
    this.strings = strings;
    this.lastOfLength = strings.map(() => new Map());
  }

  /** The bytes `row` adds to the row group (may replace its long strings by equal buffered ones). */
  add(row: RowRecord): number {
    let bytes = this.fixed;
    for (let i = 0; i < this.strings.length; i++) {
      const name = this.strings[i] as string;
      const value = row[name];
      if (typeof value !== 'string') {
        bytes += VALUE_BYTES;
        continue;
      }
      if (value.length < SHARED_STRING_MIN_CHARS) {
        bytes += VALUE_BYTES + value.length;
        continue;
      }
      const seen = this.lastOfLength[i] as Map<number, string>;
      const last = seen.get(value.length);
      if (last === value && Reflect.set(row, name, last)) {
        bytes += VALUE_BYTES;
      } else {
        seen.set(value.length, value);
        bytes += VALUE_BYTES + value.length;
      }
    }
    return bytes;
  }

  /** The buffered rows went out as a row group: their strings are no longer shared (nor kept). */
  startRowGroup(): void {
    for (const seen of this.lastOfLength) seen.clear();
  }
}
