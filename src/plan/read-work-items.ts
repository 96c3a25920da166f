import type { AwsConnection } from '../aws/aws-connection.js';
import { ConfigError } from '../errors.js';
import { readLinesFile } from '../source/open-manifest.js';
import { parseWorkItems, type WorkItem } from './work-item.js';

/** Which items of a plan to run: `--work-item FILE[#N]`, or `--plan FILE` with an optional `--shard i/N`. */
export interface WorkItemSelection {
  workItem?: string;
  plan?: string;
  shard?: string;
}

/** The items chosen, and the plan they come from (for reports). */
export interface SelectedWorkItems {
  location: string;
  items: WorkItem[];
  /** `--shard i/N` as given. */
  shard?: string;
}

/** True when any of `--work-item`, `--plan`, `--shard` is given. */
export function hasWorkItems(selection: WorkItemSelection): boolean {
  return [selection.workItem, selection.plan, selection.shard].some((v) => v !== undefined);
}

/**
 * Reads the plan (a local path or `s3://BUCKET/KEY`) and picks the items to run: `--work-item
 * FILE#N` the item numbered N, `--work-item FILE` (or `--plan FILE`) all of them, `--plan FILE
 * --shard i/N` those whose number is i modulo N. Shards 0..N-1 of one plan are disjoint and together
 * hold every item. A missing file, a bad line, an unknown item or a malformed reference is a
 * `ConfigError` naming the file (and line).
 */
export async function readWorkItems(
  selection: WorkItemSelection,
  connection: AwsConnection,
  signal?: AbortSignal,
): Promise<SelectedWorkItems> {
  if (selection.workItem !== undefined && (selection.plan !== undefined || selection.shard !== undefined)) {
    throw new ConfigError(
      '--work-item runs items of one plan: not with --plan or --shard (use one or the other)',
    );
  }
  if (selection.shard !== undefined && selection.plan === undefined) {
    throw new ConfigError('--shard i/N runs a share of a plan: give --plan FILE|s3://BUCKET/KEY too');
  }
  const reference = selection.workItem ?? (selection.plan as string);
  // `FILE#N`: the last `#` followed by digits only, so a `#` elsewhere in a key stays part of it.
  const numbered = selection.workItem === undefined ? null : /^(.+)#(\d+)$/.exec(reference);
  if (selection.workItem !== undefined && !numbered && /#[^/]*$/.test(reference)) {
    throw new ConfigError(
      `--work-item ${reference}: expected FILE#N with N an item number, e.g. plan.jsonl#3`,
    );
  }
  const location = numbered ? (numbered[1] as string) : reference;
  const shard = selection.shard === undefined ? undefined : shardOf(selection.shard);
  const all = await readLinesFile(
    location,
    connection,
    'work items',
    (lines) => parseWorkItems(lines, location),
    signal,
  );
  if (all.length === 0)
    throw new ConfigError(`work items ${location}: the plan holds no item`, { file: location });
  if (numbered) {
    const n = Number(numbered[2]);
    const item = all.find((i) => i.item === n);
    if (!item) {
      const numbers = all.map((i) => i.item);
      throw new ConfigError(
        `work items ${location} has no item ${n} (items ${Math.min(...numbers)}-${Math.max(...numbers)})`,
        { file: location },
      );
    }
    return { location, items: [item] };
  }
  const items = shard ? all.filter((i) => i.item % shard.count === shard.index) : all;
  return { location, items, shard: selection.shard };
}

/** `--shard i/N`: 0 <= i < N. */
function shardOf(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) {
    throw new ConfigError(`--shard ${text}: expected i/N with 0 <= i < N, e.g. 0/3, 1/3, 2/3`);
  }
  return { index, count };
}
