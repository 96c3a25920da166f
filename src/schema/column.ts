/**
 * The vocabulary of the one schema: a column has a name, a logical type, a nullability and a
 * description. The Parquet schema, the row types and the docs are all derived from these.
 */

/** Logical column types; each maps to one Parquet physical/logical type and one Athena type. */
export type ColumnType = 'string' | 'timestamp' | 'bigint' | 'int' | 'boolean';

export interface ColumnSpec {
  /** lower_snake_case, as Athena wants it. */
  readonly name: string;
  readonly type: ColumnType;
  /** true when every row has a value (Parquet REQUIRED). */
  readonly required: boolean;
  /** One sentence; becomes the column comment in DDL and docs. */
  readonly description: string;
  /**
   * `false` for a payload (JSON text, stack traces): no column statistics in the footer. Athena
   * never prunes on a payload's value, and min/max are its first 16 bytes anyway.
   */
  readonly statistics?: false;
}

/** The TypeScript value type a column holds. Timestamps are `Date` at millisecond precision. */
export type ValueOf<T extends ColumnType> = T extends 'string'
  ? string
  : T extends 'timestamp'
    ? Date
    : T extends 'bigint' | 'int'
      ? number
      : boolean;

/** The row type of a table: one property per column, `null` allowed where the column is optional. */
export type RowOf<Cols extends readonly ColumnSpec[]> = {
  [C in Cols[number] as C['name']]: C['required'] extends true
    ? ValueOf<C['type']>
    : ValueOf<C['type']> | null;
};

export interface TableSpec<
  Cols extends readonly ColumnSpec[] = readonly ColumnSpec[],
  Name extends string = string,
> {
  /** Table and folder name under the export prefix. */
  readonly name: Name;
  readonly description: string;
  readonly columns: Cols;
  /**
   * The columns that identify a row: two rows with the same values are versions of the same thing
   * (an operation exported twice), of which readers and `compact` keep the latest. `compact` leaves
   * a table without a key alone.
   */
  readonly key?: readonly Cols[number]['name'][];
}

/** Helper so table literals keep their exact name and column tuple types. */
export function defineTable<const Name extends string, const Cols extends readonly ColumnSpec[]>(
  table: TableSpec<Cols, Name>,
): TableSpec<Cols, Name> {
  return table;
}

/**
 * `table` with `added` appended after its own columns (the evolution rule: append only). The key
 * stays: it names columns of `table`, which the wider table keeps.
 */
export function withColumnsAppended<
  const Name extends string,
  const Cols extends readonly ColumnSpec[],
  const Added extends readonly ColumnSpec[],
>(table: TableSpec<Cols, Name>, added: Added): TableSpec<readonly [...Cols, ...Added], Name> {
  type Wider = TableSpec<readonly [...Cols, ...Added], Name>;
  // TypeScript cannot see through the variadic tuple that a name of `Cols` is a name of `[...Cols, ...]`.
  const key = table.key as Wider['key'];
  return { ...table, columns: [...table.columns, ...added], key };
}
