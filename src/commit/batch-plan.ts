import type { TableName } from '../schema/index.js';
import type { PlannedFile } from './batch-records.js';
import { type BatchOwner, batchFileKey } from './state-keys.js';

/** The executions of a batch whose rows go into one (table, day) file. */
export interface FileGroup {
  readonly table: TableName;
  readonly dt: string;
  /** ARNs of the executions with rows in this file. */
  readonly executions: readonly string[];
}

/**
 * Names a batch's data files, one per (table, day) group, each holding every row of the executions
 * it names and no other rows, so no file ever holds part of an execution.
 *
 * A new batch names each file after its executions (`batchFileKey`). A batch being re-done passes
 * the files its intent recorded as `recorded`: rows go to the recorded key of their (table, day),
 * so files completed before the crash are found under the same keys. Only rows of a (table, day)
 * the intent has no file for (an execution that gained its first operations since) get a new,
 * again content-named, file.
 */
export function planBatchFiles<G extends FileGroup>(
  prefix: string,
  owner: BatchOwner,
  groups: readonly G[],
  recorded: readonly PlannedFile[] = [],
): (G & PlannedFile)[] {
  const recordedKey = new Map(recorded.map((f) => [`${f.table}/${f.dt}`, f.key]));
  return groups
    .map((g) => ({
      ...g,
      key: recordedKey.get(`${g.table}/${g.dt}`) ?? batchFileKey(prefix, owner, g.table, g.dt, g.executions),
      executions: [...g.executions].sort(),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
