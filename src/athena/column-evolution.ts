import { ExportError } from '../errors.js';

/**
 * The schema evolution rule, checked against what a catalog already holds: columns are only ever
 * appended at the end; never renamed, retyped or removed. So an existing column list must be a
 * prefix of ours (we append the rest) or ours a prefix of it (a newer durable-export registered
 * it; older files simply lack the newer columns, which read as NULL).
 */

export interface NamedType {
  readonly name: string;
  readonly type: string;
}

export type ColumnComparison =
  /** The same names and types in the same order. */
  | { readonly kind: 'same' }
  /** The existing columns are a prefix of ours: `added` are ours after them. */
  | { readonly kind: 'append'; readonly added: readonly NamedType[] }
  /** Ours are a prefix of the existing columns: `extra` are the existing ones after ours. */
  | { readonly kind: 'behind'; readonly extra: readonly NamedType[] };

const normal = (text: string | undefined): string => (text ?? '').trim().toLowerCase();

/**
 * Compares column lists position by position; a rename or retype throws an `ExportError` naming
 * the column, both names or types, and `where` (e.g. the Glue table).
 */
export function compareColumns(
  existing: readonly NamedType[],
  ours: readonly NamedType[],
  where: string,
): ColumnComparison {
  const common = Math.min(existing.length, ours.length);
  for (let i = 0; i < common; i++) {
    const have = existing[i] as NamedType;
    const want = ours[i] as NamedType;
    if (normal(have.name) !== normal(want.name)) {
      throw new ExportError(
        `${where}: column ${i + 1} is ${JSON.stringify(have.name)} there but ${JSON.stringify(want.name)} in durable-export's schema; ` +
          'columns are only ever appended, never renamed or removed, so this table was made by something else or by hand. ' +
          'Register under another database or table prefix, or drop the table (its files stay)',
        { stage: 'sink' },
      );
    }
    if (normal(have.type) !== normal(want.type)) {
      throw new ExportError(
        `${where}: column ${JSON.stringify(want.name)} is ${have.type} there but ${want.type} in durable-export's schema; ` +
          'columns are never retyped. Register under another database or table prefix, or drop the table (its files stay)',
        { stage: 'sink' },
      );
    }
  }
  if (existing.length === ours.length) return { kind: 'same' };
  if (existing.length < ours.length) return { kind: 'append', added: ours.slice(existing.length) };
  return { kind: 'behind', extra: existing.slice(ours.length) };
}
