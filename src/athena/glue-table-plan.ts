import type { Column, Table, TableInput } from '@aws-sdk/client-glue';
import { ExportError } from '../errors.js';
import { compareColumns, type NamedType } from './column-evolution.js';

/**
 * What `--register-glue` does with one table, decided from GetTable's answer and the table we want:
 * create it; leave it alone; or append our newer columns at the end. Anything else is refused.
 */
export type GlueTablePlan =
  | { readonly action: 'create'; readonly input: TableInput }
  /** `behind`: the table has newer columns than this durable-export knows (a newer version made it). */
  | { readonly action: 'unchanged'; readonly behind: readonly string[] }
  | { readonly action: 'append'; readonly input: TableInput; readonly added: readonly string[] };

const named = (columns: readonly Column[] | undefined): NamedType[] =>
  (columns ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '' }));

const folder = (location: string | undefined): string => (location ?? '').replace(/\/*$/, '/');

/**
 * The plan for `desired` given the existing table (`undefined` when GetTable said
 * EntityNotFoundException). A different location, different partition keys, or a renamed or
 * retyped column throw an `ExportError` that names the table and the difference. Only the columns
 * decide between unchanged and append: parameters changed by hand (e.g. the projection range)
 * are kept, also when columns are appended.
 */
export function planGlueTable(
  existing: Table | undefined,
  desired: TableInput,
  database: string,
): GlueTablePlan {
  if (existing === undefined) return { action: 'create', input: desired };
  const where = `Glue table ${database}.${desired.Name}`;
  const location = existing.StorageDescriptor?.Location;
  const ours = desired.StorageDescriptor?.Location;
  if (folder(location) !== folder(ours)) {
    throw new ExportError(
      `${where} points at ${location ?? '(no location)'}, but this export writes ${ours}; ` +
        'use another --glue-database or --glue-table-prefix for this lake',
      { stage: 'sink' },
    );
  }
  const partitions = compareColumns(
    named(existing.PartitionKeys),
    named(desired.PartitionKeys),
    `${where} partition keys`,
  );
  if (partitions.kind !== 'same') {
    const have = named(existing.PartitionKeys).map((c) => c.name);
    throw new ExportError(
      `${where} is partitioned by (${have.join(', ')}), durable-export by (dt); drop or rename that table`,
      { stage: 'sink' },
    );
  }
  const existingColumns = existing.StorageDescriptor?.Columns ?? [];
  const desiredColumns = desired.StorageDescriptor?.Columns ?? [];
  const columns = compareColumns(named(existingColumns), named(desiredColumns), where);
  if (columns.kind === 'same') return { action: 'unchanged', behind: [] };
  if (columns.kind === 'behind') return { action: 'unchanged', behind: columns.extra.map((c) => c.name) };
  const appended = desiredColumns.slice(existingColumns.length);
  const input = tableInputOf(existing);
  input.StorageDescriptor = { ...existing.StorageDescriptor, Columns: [...existingColumns, ...appended] };
  return { action: 'append', input, added: appended.map((c) => c.Name ?? '') };
}

/**
 * The `TableInput` that recreates `table` as it is: the writable fields of a GetTable answer
 * (UpdateTable rejects the read-only ones such as CreateTime, DatabaseName or VersionId).
 */
export function tableInputOf(table: Table): TableInput {
  const input: TableInput = { Name: table.Name };
  if (table.Description !== undefined) input.Description = table.Description;
  if (table.Owner !== undefined) input.Owner = table.Owner;
  if (table.Retention !== undefined) input.Retention = table.Retention;
  if (table.StorageDescriptor !== undefined) input.StorageDescriptor = table.StorageDescriptor;
  if (table.PartitionKeys !== undefined) input.PartitionKeys = table.PartitionKeys;
  if (table.TableType !== undefined) input.TableType = table.TableType;
  if (table.Parameters !== undefined) input.Parameters = table.Parameters;
  if (table.ViewOriginalText !== undefined) input.ViewOriginalText = table.ViewOriginalText;
  if (table.ViewExpandedText !== undefined) input.ViewExpandedText = table.ViewExpandedText;
  if (table.TargetTable !== undefined) input.TargetTable = table.TargetTable;
  return input;
}
