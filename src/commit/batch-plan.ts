import { TABLE_NAMES, type TableName, type TableRows } from '../schema/index.js';
import type { ExecutionRows } from '../transform/execution-rows.js';
import type { PlannedFile } from './batch-records.js';
import { type BatchOwner, batchFileKey } from './state-keys.js';

/** A planned data file with the rows that go into it (whole executions only). */
export type BatchFile = {
  [T in TableName]: PlannedFile & { readonly table: T; readonly rows: TableRows[T][] };
}[TableName];

/**
 * Splits a batch's executions into data files, one per (table, day), each holding every row of
 * the executions it names and no other rows, so no file ever holds part of an execution.
 *
 * A new batch names each file after its executions (`batchFileKey`). A batch being re-done passes
 * the files its intent recorded as `recorded`: rows go to the recorded key of their (table, day),
 * so files completed before the crash are found under the same keys. Only rows of a (table, day)
 * the intent has no file for (an execution that gained its first operations since) get a new,
 * again content-named, file.
 */
export function planBatchFiles(
  prefix: string,
  owner: BatchOwner,
  executions: readonly ExecutionRows[],
  recorded: readonly PlannedFile[] = [],
): BatchFile[] {
  const groups = new Map<string, { table: TableName; dt: string; arns: string[]; rows: unknown[] }>();
  const add = (table: TableName, dt: string, arn: string, rows: readonly unknown[]) => {
    if (rows.length === 0) return;
    const id = `${table}/${dt}`;
    let group = groups.get(id);
    if (!group) {
      group = { table, dt, arns: [], rows: [] };
      groups.set(id, group);
    }
    group.arns.push(arn);
    for (const row of rows) group.rows.push(row);
  };
  for (const e of executions) {
    for (const table of TABLE_NAMES) add(table, e.dt, e.executionArn, e.tables[table]);
  }
  const recordedKey = new Map(recorded.map((f) => [`${f.table}/${f.dt}`, f.key]));
  return [...groups.entries()]
    .map(([id, g]) => ({
      key: recordedKey.get(id) ?? batchFileKey(prefix, owner, g.table, g.dt, g.arns),
      table: g.table,
      dt: g.dt,
      executions: [...g.arns].sort(),
      rows: g.rows,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) as BatchFile[];
}
